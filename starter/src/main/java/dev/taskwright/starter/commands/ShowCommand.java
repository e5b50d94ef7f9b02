package dev.taskwright.starter.commands;

import dev.taskwright.ledger.LedgerDatabase;
import dev.taskwright.ledger.read.TaskHistory;
import dev.taskwright.starter.CliException;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.ledger.LedgerPrinter;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code taskwright show ID}: everything the ledger knows about one task. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    header = "Show a task's whole history from the ledger.",
    description = {
      "Show everything the task ledger holds about a task: its fields, summary, commits, tokens and"
          + " cost; each agent run (kind, outcome, start, duration, turns, tokens, cost, session,"
          + " transcript, error); and each state change with its time and reason.",
      "It reads only the ledger, so it works after Temporal's retention has deleted the task's"
          + " workflow. For what a live task waits for and the commands that fit now, use"
          + " taskwright status ID.",
      "--output json has the same, with \"runs\" and \"transitions\" oldest first."
    },
    footer = {
      "",
      "Exit codes: 0 ok; 2 not a task ID; 3 no such task in the ledger; 5 the ledger's database"
          + " cannot be reached."
    })
public final class ShowCommand extends LedgerCommand {

  /** How many similar IDs an unknown one suggests. */
  static final int SUGGESTIONS = 3;

  @Parameters(paramLabel = "ID", description = "The task ID.")
  String taskId;

  @Override
  public Integer call() {
    checkedTaskId(taskId);
    TaskHistory history;
    try (LedgerDatabase ledger = openLedger()) {
      Optional<TaskHistory> found = read(ledger, queries -> queries.show(taskId));
      if (found.isEmpty()) {
        throw notFound(read(ledger, queries -> queries.similarIds(taskId, SUGGESTIONS)));
      }
      history = found.get();
    }
    if (json()) {
      LedgerPrinter.historyJson(history, out());
    } else {
      LedgerPrinter.historyTable(history, out());
    }
    return ExitCodes.OK;
  }

  private CliException notFound(List<String> similar) {
    String hint =
        similar.isEmpty()
            ? "check the ID with taskwright list (a task started before this ledger existed is only"
                + " on the Temporal server: taskwright status "
                + taskId
                + ")"
            : "did you mean " + String.join(" or ", similar) + "?";
    return new CliException(
        ExitCodes.NOT_FOUND, "no task '" + taskId + "' in the task ledger; " + hint);
  }
}
