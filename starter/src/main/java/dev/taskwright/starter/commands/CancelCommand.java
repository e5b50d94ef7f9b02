package dev.taskwright.starter.commands;

import dev.taskwright.starter.CliException;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.task.TaskClient;
import dev.taskwright.starter.task.TaskReport;
import dev.taskwright.starter.temporal.TemporalConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code taskwright cancel ID}: Temporal cancellation of a running task. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    header = "Cancel a running task.",
    description = "Cancel a task: its agent is stopped, its worktree and branch are kept, its state becomes CANCELLED.")
public final class CancelCommand extends Subcommand {

  @Parameters(paramLabel = "ID", description = "The task ID.")
  String taskId;

  @Override
  public Integer call() {
    try (TemporalConnection connection = connect()) {
      TaskClient tasks = new TaskClient(connection.client());
      var description = tasks.require(taskId);
      if (!TaskClient.isRunning(description)) {
        var state = TaskReport.fromServer(taskId, description).view().state();
        throw new CliException(ExitCodes.INVALID_STATE, "task " + taskId + " has already ended (" + state + "); there is nothing to cancel");
      }
      tasks.cancel(taskId);
      out().println("Cancellation requested for " + taskId + "; its agent is being stopped. Check with: taskwright status " + taskId);
      return ExitCodes.OK;
    }
  }
}
