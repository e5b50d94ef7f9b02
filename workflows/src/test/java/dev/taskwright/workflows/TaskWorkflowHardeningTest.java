package dev.taskwright.workflows;

import static dev.taskwright.workflows.WorkflowTestSupport.COMMITTED;
import static dev.taskwright.workflows.WorkflowTestSupport.MERGED;
import static dev.taskwright.workflows.WorkflowTestSupport.awaitState;
import static dev.taskwright.workflows.WorkflowTestSupport.spec;
import static dev.taskwright.workflows.WorkflowTestSupport.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.taskwright.workflows.model.AgentOutcome;
import dev.taskwright.workflows.model.AgentRun;
import dev.taskwright.workflows.model.AgentStatus;
import dev.taskwright.workflows.model.CommitResult;
import dev.taskwright.workflows.model.MergeInput;
import dev.taskwright.workflows.model.MergeResult;
import dev.taskwright.workflows.model.MergeStatus;
import dev.taskwright.workflows.model.Question;
import dev.taskwright.workflows.model.Reply;
import dev.taskwright.workflows.model.TaskReason;
import dev.taskwright.workflows.model.TaskResult;
import dev.taskwright.workflows.model.TaskState;
import dev.taskwright.workflows.model.TaskView;
import dev.taskwright.workflows.model.Usage;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * The workflow side of issue 13: text that cannot be stored refused (item 6), a refusal while
 * committing (item 12), auto-accept merging as accept does (item 15), links out of the worktree
 * warned about (item 16).
 */
class TaskWorkflowHardeningTest extends ScriptedTaskTest {

  private static Function<AgentRun, AgentOutcome> ok(String summary) {
    return run -> succeeded(run.sessionId(), summary);
  }

  private static Function<AgentRun, AgentOutcome> asks(String text) {
    return run ->
        new AgentOutcome(
            AgentStatus.QUESTION,
            run.sessionId(),
            null,
            null,
            new Question(text, List.of()),
            null,
            Usage.NONE,
            "/l",
            List.of());
  }

  // ---- item 6 ----

  @Test
  void answerWithANulOrALoneSurrogateIsRefusedAsActionRefused() {
    agent.then(asks("Which colour?"), ok("done"));
    start(spec(ID));
    awaitState(task, TaskState.BLOCKED);

    for (String text : List.of("a\0b", "lone \uD800 half")) {
      Throwable refused = catchThrowable(() -> task.answer(new Reply(text)));
      assertThat(refused).isInstanceOf(WorkflowUpdateException.class);
      // The validator throws an ApplicationFailure of type ACTION_REFUSED; SDK 1.38 re-serialises
      // what a validator throws and keeps only its message (sdk-java issue 2875), which is what the
      // CLI shows: the root of the chain.
      Throwable root = refused;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      assertThat(root).isInstanceOf(ApplicationFailure.class);
      ApplicationFailure failure = (ApplicationFailure) root;
      assertThat(failure.getOriginalMessage())
          .contains("answer text holds a ")
          .contains("which git and PostgreSQL cannot store");
    }
    assertThat(task.view().state()).isEqualTo(TaskState.BLOCKED);

    task.answer(new Reply("blue"));
    assertThat(stub.getResult(TaskResult.class).state()).isEqualTo(TaskState.COMPLETED);
    assertThat(agent.run(1).prompt()).isEqualTo("blue");
  }

  @Test
  void answerSignalWithANulIsIgnoredAndTheTaskWaitsOn() {
    agent.then(asks("Which colour?"), ok("done"));
    start(spec(ID));
    awaitState(task, TaskState.BLOCKED);

    stub.signal("answer", new Reply("bl\0ue"));
    // A query after the signal is answered only once the signal has been handled.
    TaskView view = task.view();
    assertThat(view.state()).isEqualTo(TaskState.BLOCKED);
    assertThat(view.reason()).isEqualTo(TaskReason.QUESTION);
    assertThat(view.actions()).containsExactly(Names.ANSWER, Names.ABANDON);

    stub.signal("answer", new Reply("blue"));
    assertThat(stub.getResult(TaskResult.class).state()).isEqualTo(TaskState.COMPLETED);
    assertThat(agent.seen()).hasSize(2);
    assertThat(agent.run(1).prompt()).isEqualTo("blue");
  }

  // ---- item 12 ----

  @Test
  void answerWhileCommittingSaysNothingCanBeDoneUntilItIsReadyOrBlocked() throws Exception {
    CountDownLatch committing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    when(workspace.commit(any()))
        .thenAnswer(
            call -> {
              committing.countDown();
              release.await(30, TimeUnit.SECONDS);
              return COMMITTED;
            });
    agent.then(ok("done"));
    start(spec(ID, false));
    assertThat(committing.await(30, TimeUnit.SECONDS)).isTrue();

    Throwable refused = catchThrowable(() -> task.answer(new Reply("blue")));
    release.countDown();

    assertThat(refused).isInstanceOf(WorkflowUpdateException.class);
    assertThat(refused)
        .rootCause()
        .hasMessageContaining(
            "task t1 is COMMITTING: nothing can be done while it commits; wait until it is READY or"
                + " BLOCKED")
        .hasMessageContaining("taskwright status t1")
        .hasMessageNotContaining("accept");
    awaitState(task, TaskState.READY);
  }

  // ---- item 15 ----

  @Test
  void autoAcceptMergesAsAcceptDoes() {
    agent.then(ok("done"));
    start(spec(ID, true));

    TaskResult result = stub.getResult(TaskResult.class);

    assertThat(result.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(result.mergeCommit()).isEqualTo("merged1");
    ArgumentCaptor<MergeInput> merge = ArgumentCaptor.forClass(MergeInput.class);
    verify(workspace).merge(merge.capture());
    assertThat(merge.getValue().taskId()).isEqualTo(ID);
    assertThat(merge.getValue().targetBranch()).isEqualTo("main");
    assertThat(ledger.states(ID))
        .containsSubsequence(TaskState.COMMITTING, TaskState.MERGING, TaskState.COMPLETED)
        .doesNotContain(TaskState.READY);
  }

  @Test
  void autoAcceptThatConflictsBlocksAsAcceptDoesAndMergesAfterTheAgentResolves() {
    agent.then(ok("work"), ok("resolved"));
    when(workspace.merge(any()))
        .thenReturn(
            new MergeResult(
                MergeStatus.CONFLICT, null, List.of("README.md"), "conflict in README.md"))
        .thenReturn(MERGED);
    start(spec(ID, true));
    awaitState(task, TaskState.BLOCKED);
    assertThat(task.view().reason()).isEqualTo(TaskReason.MERGE_CONFLICT);
    assertThat(task.view().conflictFiles()).containsExactly("README.md");

    task.retry(Reply.empty());
    TaskResult result = stub.getResult(TaskResult.class);

    assertThat(result.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(result.mergeCommit()).isEqualTo("merged1");
    assertThat(agent.run(1).prompt())
        .startsWith("Merge main into your branch and resolve the conflicts");
    verify(workspace, times(2)).merge(any());
  }

  @Test
  void completeWithoutMergeKeepsTheWorkOnItsBranch() {
    agent.then(ok("done"));
    start(spec(ID, false).withoutMerge(true));

    TaskResult result = stub.getResult(TaskResult.class);

    assertThat(result.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(result.mergeCommit()).isNull();
    assertThat(result.branch()).isEqualTo("taskwright/t1");
    verify(workspace, never()).merge(any());
    verify(workspace).cleanup(any());
  }

  // ---- item 16 ----

  @Test
  void linksOutOfTheWorktreeAreWarnedInTheViewAndTheWebUiDetails() {
    when(workspace.commit(any()))
        .thenReturn(new CommitResult(List.of("c1"), "c1", List.of("passwd -> /etc/passwd")));
    agent.then(ok("done"));
    start(spec(ID, false));
    awaitState(task, TaskState.READY);

    TaskView view = task.view();

    assertThat(view.warnings()).containsExactly("links out of the worktree: passwd -> /etc/passwd");
    assertThat(TaskDetails.markdown(view))
        .contains("**Warning:** links out of the worktree: passwd -> /etc/passwd");
    task.accept(Reply.empty());
    assertThat(stub.getResult(TaskResult.class).state()).isEqualTo(TaskState.COMPLETED);
  }
}
