package dev.taskwright.starter.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskwright.starter.CliException;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.Terminal;
import dev.taskwright.starter.logs.LogEvent;
import dev.taskwright.starter.logs.TranscriptReader;
import dev.taskwright.starter.logs.TranscriptRenderer;
import dev.taskwright.starter.task.TaskClient;
import dev.taskwright.starter.task.TaskReport;
import dev.taskwright.starter.temporal.TemporalConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskwright logs ID}: the agent transcripts of a task, rendered for people. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    header = "Show what the agent of a task did.",
    description = {
      "Show the agent transcripts of a task, written on this machine by the worker that ran it"
          + " (<TASKWRIGHT_HOME>/logs/<ID>/run-<n>.jsonl): assistant text, each tool call on one"
          + " line (→), tool results cut to their first line (←), errors on lines starting with !,"
          + " and each run's result (=).",
      "-f keeps printing what the agent appends, and new runs, until the task has ended (its"
          + " workflow closed; a READY or BLOCKED task may run again, so it is followed on) or"
          + " Ctrl-C. --output json prints one {run, type, text} object per line."
    })
public final class LogsCommand extends Subcommand {

  /** How often {@code -f} looks for new lines. */
  static final Duration POLL_INTERVAL = Duration.ofMillis(200);

  @Parameters(paramLabel = "ID", description = "The task ID.")
  String taskId;

  /** How often {@code -f} asks the server whether the task has ended. */
  static final Duration END_CHECK_INTERVAL = Duration.ofSeconds(1);

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new lines (and new runs) until the task has ended, or Ctrl-C.")
  boolean follow;

  @Option(
      names = "--run",
      paramLabel = "N",
      description = "Show only run N (default: all runs, in order).")
  Integer run;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "text|json",
      converter = Output.Converter.class,
      description = "Output format (default: text).")
  Output output = Output.text;

  private final ObjectMapper json = new ObjectMapper();
  private int lastRunShown = -1;

  @Override
  public Integer call() throws InterruptedException {
    // Before the ID becomes part of a path: no ID that passes can leave the logs folder.
    checkedTaskId(taskId);
    if (run != null && run < 1) {
      throw CliException.badInput("--run must be 1 or more, not " + run);
    }
    Path folder = environment().home().logs(taskId);
    if (!Files.isDirectory(folder)) {
      throw new CliException(
          ExitCodes.NOT_FOUND,
          "no transcripts for task "
              + taskId
              + " under "
              + folder
              + "; logs live on the worker host that ran the task");
    }
    TranscriptReader reader =
        new TranscriptReader(folder, run == null ? OptionalInt.empty() : OptionalInt.of(run));
    if (!follow && reader.runs().isEmpty()) {
      throw new CliException(
          ExitCodes.NOT_FOUND,
          (run == null ? "no runs yet" : "no run " + run)
              + " for task "
              + taskId
              + " under "
              + folder);
    }
    TranscriptReader.LineConsumer lines =
        TranscriptReader.rendering(new TranscriptRenderer(), this::print);
    reader.poll(lines);
    out().flush();
    if (follow) {
      root.stopSignal().stopOnCtrlC();
      // Connected in the background: logs work on a worker host with no server in reach, and
      // then -f follows until Ctrl-C as before.
      CompletableFuture<TemporalConnection> server = CompletableFuture.supplyAsync(this::connect);
      Instant nextCheck = Instant.now();
      String ended = null;
      try {
        while (ended == null && !root.stopSignal().awaitStopRequest(POLL_INTERVAL)) {
          if (reader.poll(lines) > 0) {
            out().flush();
          }
          if (Instant.now().isAfter(nextCheck)) {
            nextCheck = Instant.now().plus(END_CHECK_INTERVAL);
            ended = endedState(server);
          }
        }
        if (ended != null) {
          // The worker writes the transcript before the workflow closes: this poll reads its end.
          reader.poll(lines);
          reader.flush(lines);
          out().flush();
          err().println("Task " + taskId + " has ended (" + ended + "); its last run is above.");
          err().flush();
        }
      } finally {
        // Closes the connection whenever it is made; nothing waits for that.
        var unused = server.thenAccept(TemporalConnection::close);
      }
    }
    reader.flush(lines);
    out().flush();
    return ExitCodes.OK;
  }

  /**
   * The task's final state once its workflow has closed; null while it runs, or when no server
   * tells.
   */
  private String endedState(CompletableFuture<TemporalConnection> server) {
    if (!server.isDone() || server.isCompletedExceptionally()) {
      return null;
    }
    try {
      TaskClient tasks = new TaskClient(server.join().client());
      return tasks
          .describe(taskId)
          .filter(description -> !TaskClient.isRunning(description))
          .map(
              description ->
                  String.valueOf(TaskReport.fromServer(taskId, description).view().state()))
          .orElse(null);
    } catch (RuntimeException unreachable) {
      // The server went away: keep following, as without one.
      return null;
    }
  }

  private void print(LogEvent event) {
    if (output == Output.json) {
      ObjectNode line = json.createObjectNode();
      line.put("run", event.run());
      line.put("type", event.type());
      line.put("text", event.text());
      out().println(line);
      return;
    }
    if (event.run() != lastRunShown) {
      out().println("== run " + event.run() + " ==");
      lastRunShown = event.run();
    }
    // The agent's text as it wrote it, but no control character reaches the terminal, and its
    // further lines are indented, so none can pass for a line of ours (== run, = result, !).
    String[] lines = Terminal.lines(event.text()).split("\n", -1);
    out().println(lines[0]);
    for (int i = 1; i < lines.length; i++) {
      out().println(("  " + lines[i]).stripTrailing());
    }
  }
}
