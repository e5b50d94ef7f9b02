package dev.taskwright.starter.commands;

import dev.taskwright.ledger.LedgerDatabase;
import dev.taskwright.ledger.read.StatsGrouping;
import dev.taskwright.ledger.read.StatsRow;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.ledger.LedgerPrinter;
import dev.taskwright.starter.task.Since;
import dev.taskwright.starter.task.TaskPrinter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code taskwright stats}: tasks, runs, tokens and cost, added up by day, repository or agent. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    header = "Add up tasks, runs, tokens and cost.",
    description = {
      "Add up the tasks created since --since (default: the last 7 days): how many tasks and agent"
          + " runs, and their tokens (input, output and cache reads) and cost, per day (in this"
          + " machine's time zone), repository or agent, with a TOTAL row.",
      "--output json has the groups under \"groups\" and the sums under \"total\", tokens by kind."
    },
    footer = {"", LedgerCommand.EXIT_CODES})
public final class StatsCommand extends LedgerCommand {

  @Option(
      names = "--by",
      paramLabel = "day|repo|agent",
      description = "What to add up by (default: day).")
  StatsGrouping by = StatsGrouping.DAY;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      description =
          "Tasks created since then: how long ago (7d, 12h), a day (2026-11-01), an ISO time, or"
              + " all (default: 7d).")
  String since = "7d";

  @Override
  public Integer call() {
    ZoneId zone = ZoneId.systemDefault();
    Instant from = Since.parse(since, Instant.now(), zone);
    List<StatsRow> groups;
    try (LedgerDatabase ledger = openLedger()) {
      groups = read(ledger, queries -> queries.stats(by, from, zone));
    }
    if (json()) {
      LedgerPrinter.statsJson(by, from, zone, groups, out());
    } else {
      out()
          .println(
              "Tasks created "
                  + (from == null ? "at any time" : "since " + TaskPrinter.clock(from))
                  + ", by "
                  + by.name().toLowerCase(Locale.ROOT)
                  + ":");
      LedgerPrinter.statsTable(by, groups, out());
    }
    if (groups.isEmpty()) {
      err()
          .println(
              "No tasks created "
                  + (from == null ? "yet" : "since " + TaskPrinter.clock(from))
                  + ".");
      err().flush();
    }
    return ExitCodes.OK;
  }
}
