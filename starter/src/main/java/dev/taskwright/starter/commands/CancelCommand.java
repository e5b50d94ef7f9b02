package dev.taskwright.starter.commands;

import dev.taskwright.starter.CliException;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.task.TaskClient;
import dev.taskwright.starter.task.TaskReport;
import dev.taskwright.starter.temporal.TemporalConnection;
import dev.taskwright.workflows.model.TaskState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code taskwright cancel ID}: Temporal cancellation of a running task. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    header = "Cancel a task in any state but ended.",
    description =
        "Cancel a task that has not ended, whatever it is doing or waiting for (RUNNING, BLOCKED,"
            + " READY, RATE_LIMITED, ...): a running agent is stopped, the worktree and branch are"
            + " kept, the state becomes CANCELLED.")
public final class CancelCommand extends Subcommand {

  @Parameters(paramLabel = "ID", description = "The task ID.")
  String taskId;

  @Override
  public Integer call() {
    checkedTaskId(taskId);
    try (TemporalConnection connection = connect()) {
      TaskClient tasks = new TaskClient(connection.client());
      var description = tasks.require(taskId);
      var state = TaskReport.fromServer(taskId, description).view().state();
      if (!TaskClient.isRunning(description)) {
        throw new CliException(
            ExitCodes.INVALID_STATE,
            "task " + taskId + " has already ended (" + state + "); there is nothing to cancel");
      }
      tasks.cancel(taskId);
      out()
          .println(
              "Cancellation requested for "
                  + taskId
                  + " (it was "
                  + state
                  + ")"
                  + (state == TaskState.RUNNING ? "; its agent is being stopped" : "")
                  + ". Check with: taskwright status "
                  + taskId);
      return ExitCodes.OK;
    }
  }
}
