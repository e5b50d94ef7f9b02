package dev.taskwright.starter.commands;

import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.task.TaskClient;
import dev.taskwright.starter.task.TaskPrinter;
import dev.taskwright.starter.task.TaskReport;
import dev.taskwright.starter.temporal.TemporalConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskwright status ID}: the task as it is now. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    header = "Show a task.",
    description = {
      "Show a task: state, what it waits for (the agent's question and its options, conflicting"
          + " files, when a usage limit resets), the exact commands that fit now, branch, worktree,"
          + " session, commits, merge commit, summary, cost.",
      "--output json has the same, with the commands under \"commands\" by action."
    })
public final class StatusCommand extends Subcommand {

  @Parameters(paramLabel = "ID", description = "The task ID.")
  String taskId;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "text|json",
      converter = Output.Converter.class,
      description = "Output format (default: text).")
  Output output = Output.text;

  @Override
  public Integer call() {
    checkedTaskId(taskId);
    try (TemporalConnection connection = connect()) {
      TaskClient tasks = new TaskClient(connection.client());
      var description = tasks.require(taskId);
      TaskReport report =
          tasks
              .view(taskId)
              .map(view -> TaskReport.live(view, description))
              .orElseGet(() -> TaskReport.fromServer(taskId, description));
      if (output == Output.json) {
        TaskPrinter.json(report, out());
      } else {
        TaskPrinter.table(report, out());
      }
      return ExitCodes.OK;
    }
  }
}
