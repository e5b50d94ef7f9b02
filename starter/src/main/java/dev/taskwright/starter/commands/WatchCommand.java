package dev.taskwright.starter.commands;

import dev.taskwright.ledger.LedgerDatabase;
import dev.taskwright.starter.CliException;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.ledger.LedgerPrinter;
import dev.taskwright.starter.task.Durations;
import dev.taskwright.starter.task.TaskPrinter;
import dev.taskwright.workflows.model.TaskRecord;
import java.io.Console;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code taskwright watch}: the active tasks, refreshed in place until Ctrl-C. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    header = "Watch the active tasks.",
    description = {
      "Show the tasks that have not ended, oldest first (ID, state, time since it started, cost,"
          + " and the question of a task BLOCKED on one), with how many tasks are in each state;"
          + " redrawn in place every --interval until Ctrl-C.",
      "When stdout is not a terminal, or with --once, it prints one table and exits.",
      "--output json prints one JSON object per refresh, one per line ({\"at\", \"tasks\","
          + " \"counts\"}), until Ctrl-C; with --once, one."
    },
    footer = {
      "",
      "Exit codes: 0 ok, also after Ctrl-C; 2 bad input; 5 the ledger's database cannot be reached"
          + " at the start."
    })
public final class WatchCommand extends LedgerCommand {

  /** More active tasks than fit on a screen; the footer says how many there are in all. */
  static final int MAX_ROWS = 200;

  /** Clears the screen and moves the cursor home. */
  static final String CLEAR = "\033[H\033[2J";

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      description = "How often to refresh: 1s or more, like 2s, 30s, 1m (default: 2s).")
  Duration interval = Duration.ofSeconds(2);

  @Option(names = "--once", description = "Print one frame and exit.")
  boolean once;

  private record Frame(List<TaskRecord> active, Map<String, Long> counts, Instant at) {}

  @Override
  public Integer call() throws InterruptedException {
    if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw CliException.badInput(
          "--interval must be 1s or more, not " + interval.toMillis() + " ms");
    }
    boolean redraw = !json() && !once && stdoutIsTerminal();
    boolean repeat = redraw || (json() && !once);
    if (repeat) {
      root.stopSignal().stopOnCtrlC();
    }
    try (LedgerDatabase ledger = openLedger()) {
      // The first frame fails the command when the ledger cannot be read; later ones say so and
      // retry.
      print(frame(ledger), redraw);
      if (!repeat) {
        return ExitCodes.OK;
      }
      while (!root.stopSignal().awaitStopRequest(interval) && !readerGone()) {
        try {
          print(frame(ledger), redraw);
        } catch (CliException unreachable) {
          err()
              .println(
                  LocalTime.now(ZoneId.systemDefault()).format(CLOCK)
                      + " "
                      + unreachable.getMessage()
                      + " (trying again in "
                      + Durations.brief(interval, 2)
                      + ")");
          err().flush();
        }
      }
    }
    return ExitCodes.OK;
  }

  /**
   * True when nobody reads stdout any more ({@code watch -o json | head -3} after head exits). The
   * writer picocli wraps around {@code System.out} never sees the failed write; the stream does.
   */
  private boolean readerGone() {
    return out().checkError() || System.out.checkError();
  }

  private static Frame frame(LedgerDatabase ledger) {
    return read(
        ledger,
        queries -> {
          List<TaskRecord> active = queries.active(MAX_ROWS);
          Map<String, Long> counts = queries.countByState();
          return new Frame(active, counts, Instant.now());
        });
  }

  private void print(Frame frame, boolean redraw) {
    PrintWriter out = out();
    if (json()) {
      TaskPrinter.printJsonLine(
          LedgerPrinter.watchJson(frame.active(), frame.counts(), frame.at()), out);
      return;
    }
    StringBuilder screen = new StringBuilder();
    if (redraw) {
      screen
          .append(CLEAR)
          .append("Active tasks, every ")
          .append(Durations.brief(interval, 2))
          .append(" (Ctrl-C stops)");
      screen.append(System.lineSeparator()).append(System.lineSeparator());
    }
    for (String line : LedgerPrinter.watchFrame(frame.active(), frame.counts(), frame.at())) {
      screen.append(line).append(System.lineSeparator());
    }
    // One write per frame, so a redraw never shows half a table.
    out.print(screen);
    out.flush();
  }

  /**
   * True when this process's stdout is a terminal, so redrawing in place makes sense. Before Java
   * 22 {@link System#console()} is null unless stdin and stdout both are; from 22 on, it may be
   * there for a pipe too, and {@code Console.isTerminal()} tells.
   */
  @SuppressWarnings(
      "SystemConsoleNull") // null is the answer before Java 22; isTerminal() after, as above
  static boolean stdoutIsTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException beforeJava22) {
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}
