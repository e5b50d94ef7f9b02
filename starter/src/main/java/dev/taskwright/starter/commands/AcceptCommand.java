package dev.taskwright.starter.commands;

import dev.taskwright.starter.task.TaskClient;
import dev.taskwright.workflows.Names;
import dev.taskwright.workflows.model.TaskState;
import java.util.Set;
import picocli.CommandLine.Command;

/**
 * {@code taskwright accept ID}: accepts a READY task's work and follows the merge to its end:
 * COMPLETED with the merge commit; BLOCKED (MERGE_CONFLICT) with the files and the retry command;
 * or READY again with the reason when the base branch's checkout has local changes.
 */
@Command(
    name = "accept",
    mixinStandardHelpOptions = true,
    header = "Accept a READY task's work: merge its branch into the base branch.",
    description = {
      "Accept the work of a task waiting for review: taskwright/ID is merged (--no-ff) into the"
          + " branch the task started from, and the task completes.",
      "Waits for the merge. Exit 0 when merged; 6 when it conflicted (BLOCKED, see the files and"
          + " taskwright retry ID) or could not start because the base branch's checkout has local"
          + " changes (READY again).",
      "Valid while the task is READY; otherwise exit 4 with the task's state."
    })
public final class AcceptCommand extends ActionCommand {

  public AcceptCommand() {
    super(Names.ACCEPT);
  }

  @Override
  boolean follows() {
    return true;
  }

  /** Only a completed task was merged; READY again or BLOCKED means a person is needed. */
  @Override
  int follow(TaskClient tasks, long afterEventId) throws InterruptedException {
    return followAndShow(tasks, taskId, afterEventId, Set.of(TaskState.COMPLETED));
  }
}
