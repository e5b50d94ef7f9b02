package dev.taskwright.starter.commands;

import dev.taskwright.starter.CliException;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.Terminal;
import dev.taskwright.starter.task.TaskClient;
import dev.taskwright.starter.task.TaskPrinter;
import dev.taskwright.starter.task.TaskReport;
import dev.taskwright.starter.temporal.TemporalConnection;
import dev.taskwright.workflows.model.Reply;
import dev.taskwright.workflows.model.TaskView;
import picocli.CommandLine.Parameters;

/**
 * What the person actions ({@code answer}, {@code accept}, {@code reject}, {@code retry}, {@code
 * abandon}) share: check the words before anything is sent, find the task, send the action as the
 * task's validated update, print the receipt, then either say how to follow the task or follow it.
 *
 * <p>Exit codes: 0 taken; 2 missing or oversized words; 3 no such task; 4 the action does not fit
 * the task's state (with the task's reason and what fits now); 5 Temporal, or a worker,
 * unreachable; 6 when following, the task stopped short of what the action was for.
 */
abstract class ActionCommand extends Subcommand {

  @Parameters(index = "0", paramLabel = "ID", description = "The task ID.")
  String taskId;

  private final String action;

  /**
   * @param action the update's name ({@code Names.ANSWER}, ...)
   */
  ActionCommand(String action) {
    this.action = action;
  }

  String action() {
    return action;
  }

  /** The words to send, checked; empty for an action without words. */
  Reply reply() {
    return Reply.empty();
  }

  /** Whether to follow the task once it took the action. */
  abstract boolean follows();

  /** Following the task: where to exit 0. */
  int follow(TaskClient tasks, long afterEventId) throws InterruptedException {
    return followAndShow(tasks, taskId, afterEventId, DONE_OR_IN_REVIEW);
  }

  @Override
  public Integer call() throws InterruptedException {
    checkedTaskId(taskId);
    Reply reply = reply();
    try (TemporalConnection connection = connect()) {
      TaskClient tasks = new TaskClient(connection.client());
      var description = tasks.require(taskId);
      if (!TaskClient.isRunning(description)) {
        var state = TaskReport.fromServer(taskId, description).view().state();
        throw new CliException(
            ExitCodes.INVALID_STATE,
            "task "
                + taskId
                + " has already ended ("
                + state
                + "); there is nothing to "
                + action());
      }
      // The update needs a worker to validate it; without one, say so rather than wait.
      TaskView before = tasks.viewFromAnyLiveWorker(taskId).orElseThrow(this::noWorker);
      TaskClient.ActionOutcome outcome = tasks.act(taskId, action(), reply);
      if (outcome.refusal() != null) {
        TaskView now = tasks.view(taskId).orElse(before);
        // A refusal while the task works on its own says what to wait for; what fits a moment later
        // does not belong to it.
        throw new CliException(
            ExitCodes.INVALID_STATE,
            outcome.refusal().contains(dev.taskwright.workflows.TaskDetails.NOTHING_WHILE_BUSY)
                ? outcome.refusal()
                : outcome.refusal() + " (" + TaskPrinter.whatFitsNow(now) + ")");
      }
      out().println(taskId + ": " + Terminal.line(outcome.receipt().message()));
      out().flush();
      if (follows()) {
        return follow(tasks, TaskClient.lastEventId(description));
      }
      err().println("Follow it with: taskwright status " + taskId + " (or add --wait)");
      err().flush();
      return ExitCodes.OK;
    }
  }

  private CliException noWorker() {
    return new CliException(
        ExitCodes.UNREACHABLE,
        "no worker answers for task "
            + taskId
            + ", so nothing was sent; start one with `taskwright worker` (or `taskwright dev`) and"
            + " try again");
  }
}
