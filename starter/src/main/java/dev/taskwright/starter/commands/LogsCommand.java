package dev.taskwright.starter.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskwright.starter.CliException;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.Terminal;
import dev.taskwright.starter.logs.LogEvent;
import dev.taskwright.starter.logs.TranscriptReader;
import dev.taskwright.starter.logs.TranscriptRenderer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskwright logs ID}: the agent transcripts of a task, rendered for people. */
@Command(name = "logs", mixinStandardHelpOptions = true,
    header = "Show what the agent of a task did.",
    description = {
      "Show the agent transcripts of a task, written on this machine by the worker that ran it"
          + " (<TASKWRIGHT_HOME>/logs/<ID>/run-<n>.jsonl): assistant text, each tool call on one line (→),"
          + " tool results cut to their first line (←), errors on lines starting with !, and each run's result (=).",
      "-f keeps printing what the agent appends until Ctrl-C. --output json prints one {run, type, text} object per line."
    })
public final class LogsCommand extends Subcommand {

  /** How often {@code -f} looks for new lines. */
  static final Duration POLL_INTERVAL = Duration.ofMillis(200);

  @Parameters(paramLabel = "ID", description = "The task ID.")
  String taskId;

  @Option(names = {"-f", "--follow"}, description = "Keep printing new lines (and new runs) until Ctrl-C.")
  boolean follow;

  @Option(names = "--run", paramLabel = "N", description = "Show only run N (default: all runs, in order).")
  Integer run;

  @Option(names = {"-o", "--output"}, paramLabel = "text|json", converter = Output.Converter.class, description = "Output format (default: text).")
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
          "no transcripts for task " + taskId + " under " + folder + "; logs live on the worker host that ran the task");
    }
    TranscriptReader reader = new TranscriptReader(folder, run == null ? OptionalInt.empty() : OptionalInt.of(run));
    if (!follow && reader.runs().isEmpty()) {
      throw new CliException(
          ExitCodes.NOT_FOUND,
          (run == null ? "no runs yet" : "no run " + run) + " for task " + taskId + " under " + folder);
    }
    TranscriptReader.LineConsumer lines = TranscriptReader.rendering(new TranscriptRenderer(), this::print);
    reader.poll(lines);
    out().flush();
    if (follow) {
      root.stopSignal().stopOnCtrlC();
      while (!root.stopSignal().awaitStopRequest(POLL_INTERVAL)) {
        if (reader.poll(lines) > 0) {
          out().flush();
        }
      }
    }
    reader.flush(lines);
    out().flush();
    return ExitCodes.OK;
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
