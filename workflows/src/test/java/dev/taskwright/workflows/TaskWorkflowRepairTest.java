package dev.taskwright.workflows;

import static dev.taskwright.workflows.WorkflowTestSupport.COMMITTED;
import static dev.taskwright.workflows.WorkflowTestSupport.MERGED;
import static dev.taskwright.workflows.WorkflowTestSupport.WORKSPACE;
import static dev.taskwright.workflows.WorkflowTestSupport.awaitState;
import static dev.taskwright.workflows.WorkflowTestSupport.spec;
import static dev.taskwright.workflows.WorkflowTestSupport.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.taskwright.workflows.model.ActionReceipt;
import dev.taskwright.workflows.model.Reply;
import dev.taskwright.workflows.model.TaskReason;
import dev.taskwright.workflows.model.TaskResult;
import dev.taskwright.workflows.model.TaskState;
import dev.taskwright.workflows.model.TaskView;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 7: a worktree that needs a person's repair (the branch deleted while READY, the
 * agent checked out main, {@code .git} removed) blocks the task in BLOCKED/NEEDS_REPAIR with the
 * activity's advice, and {@code retry} works once it is repaired. These tasks used to end FAILED,
 * where retry and abandon are refused.
 */
class TaskWorkflowRepairTest extends ScriptedTaskTest {

  private static final String BRANCH_GONE =
      "branch taskwright/t1 no longer exists in /tmp/repo; restore it (git branch taskwright/t1"
          + " <commit>), then taskwright retry t1, or taskwright abandon t1";

  private static ApplicationFailure needsRepair(String message) {
    return ApplicationFailure.newNonRetryableFailure(
        message, FailureType.WORKSPACE_NEEDS_REPAIR.type());
  }

  @Test
  void branchDeletedBeforeTheMergeBlocksForRepairAndRetryMergesOnceRepaired() {
    agent.then(run -> succeeded(run.sessionId(), "work"));
    when(workspace.merge(any())).thenThrow(needsRepair(BRANCH_GONE)).thenReturn(MERGED);
    start(spec(ID, false));
    awaitState(task, TaskState.READY);

    task.accept(Reply.empty());
    awaitState(task, TaskState.BLOCKED);
    TaskView blocked = task.view();
    assertThat(blocked.reason()).isEqualTo(TaskReason.NEEDS_REPAIR);
    assertThat(blocked.lastError()).isEqualTo(BRANCH_GONE);
    assertThat(blocked.actions()).containsExactly(Names.RETRY, Names.ABANDON);
    ActionReceipt receipt = task.retry(Reply.empty());
    TaskResult result = stub.getResult(TaskResult.class);

    assertThat(receipt.message()).isEqualTo("retrying: the task tries to merge again");
    assertThat(result.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(result.mergeCommit()).isEqualTo("merged1");
    assertThat(result.error()).isNull();
    verify(workspace, times(2)).merge(any());
    assertThat(agent.seen()).hasSize(1);
    assertThat(ledger.states(ID))
        .containsSubsequence(
            TaskState.MERGING, TaskState.BLOCKED, TaskState.MERGING, TaskState.COMPLETED);
  }

  @Test
  void commitThatNeedsRepairResumesTheAgentWithTheRetryWordsThenCommits() {
    agent.then(
        run -> succeeded(run.sessionId(), "work"),
        run -> succeeded(run.sessionId(), "back on the branch"));
    when(workspace.commit(any()))
        .thenThrow(
            needsRepair(
                "HEAD of the worktree /tmp/worktrees/repo/t1 is on main, not on taskwright/t1"))
        .thenReturn(COMMITTED);
    start(spec(ID, false));
    awaitState(task, TaskState.BLOCKED);
    assertThat(task.view().reason()).isEqualTo(TaskReason.NEEDS_REPAIR);

    ActionReceipt receipt =
        task.retry(new Reply("Check out taskwright/t1 again and redo your change there"));
    awaitState(task, TaskState.READY);

    assertThat(receipt.message())
        .contains("the agent resumes session")
        .contains("then its work is committed");
    assertThat(agent.seen()).hasSize(2);
    assertThat(agent.run(1).prompt())
        .isEqualTo("Check out taskwright/t1 again and redo your change there");
    assertThat(agent.run(1).resume()).isTrue();
    assertThat(agent.run(1).sessionId()).isEqualTo(agent.run(0).sessionId());
    verify(workspace, times(2)).commit(any());
    assertThat(task.view().summary()).isEqualTo("back on the branch");
    task.accept(Reply.empty());
    assertThat(stub.getResult(TaskResult.class).state()).isEqualTo(TaskState.COMPLETED);
  }

  @Test
  void gitThatRefusesBlocksTooAndAbandonEndsTheTaskWithTheReason() {
    agent.then(run -> succeeded(run.sessionId(), "work"));
    when(workspace.commit(any()))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure(
                "git refused the commit message: it holds a NUL", FailureType.GIT_REFUSED.type()));
    start(spec(ID, false));
    awaitState(task, TaskState.BLOCKED);
    assertThat(task.view().reason()).isEqualTo(TaskReason.NEEDS_REPAIR);

    task.abandon(new Reply("not worth it"));
    TaskResult result = stub.getResult(TaskResult.class);

    assertThat(result.state()).isEqualTo(TaskState.FAILED);
    assertThat(result.reason()).isEqualTo(TaskReason.ABANDONED);
    assertThat(result.error())
        .contains("git refused the commit message")
        .contains("abandoned: not worth it");
  }

  @Test
  void worktreeThatCannotBePreparedYetBlocksAndRetryPreparesIt() {
    agent.then(run -> succeeded(run.sessionId(), "work"));
    when(workspace.prepare(any()))
        .thenThrow(needsRepair("the repository /tmp/repo has no .git"))
        .thenReturn(WORKSPACE);
    start(spec(ID, true));
    awaitState(task, TaskState.BLOCKED);
    assertThat(task.view().reason()).isEqualTo(TaskReason.NEEDS_REPAIR);

    task.retry(new Reply("The repository is back"));
    TaskResult result = stub.getResult(TaskResult.class);

    assertThat(result.state()).isEqualTo(TaskState.COMPLETED);
    verify(workspace, times(2)).prepare(any());
    assertThat(agent.run(0).prompt()).isEqualTo("Write hello.txt\n\nThe repository is back");
  }
}
