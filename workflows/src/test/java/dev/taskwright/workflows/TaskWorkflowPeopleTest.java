package dev.taskwright.workflows;

import static dev.taskwright.workflows.WorkflowTestSupport.awaitState;
import static dev.taskwright.workflows.WorkflowTestSupport.spec;
import static dev.taskwright.workflows.WorkflowTestSupport.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.taskwright.workflows.model.ActionReceipt;
import dev.taskwright.workflows.model.AgentOutcome;
import dev.taskwright.workflows.model.AgentRun;
import dev.taskwright.workflows.model.AgentStatus;
import dev.taskwright.workflows.model.MergeInput;
import dev.taskwright.workflows.model.MergeResult;
import dev.taskwright.workflows.model.MergeStatus;
import dev.taskwright.workflows.model.Question;
import dev.taskwright.workflows.model.Reply;
import dev.taskwright.workflows.model.RunKind;
import dev.taskwright.workflows.model.RunRecord;
import dev.taskwright.workflows.model.TaskReason;
import dev.taskwright.workflows.model.TaskResult;
import dev.taskwright.workflows.model.TaskSpec;
import dev.taskwright.workflows.model.TaskState;
import dev.taskwright.workflows.model.Usage;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.CanceledFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** Every wait for a person: questions, review, failures, merge conflicts, usage limits. */
class TaskWorkflowPeopleTest extends ScriptedTaskTest {

  private TaskResult result() {
    return stub.getResult(TaskResult.class);
  }

  private static Function<AgentRun, AgentOutcome> ok(String summary) {
    return run -> succeeded(run.sessionId(), summary);
  }

  private static Function<AgentRun, AgentOutcome> asks(String text, String... options) {
    return run ->
        new AgentOutcome(
            AgentStatus.QUESTION,
            run.sessionId(),
            null,
            null,
            new Question(text, List.of(options)),
            null,
            new Usage(1, 10, 1, 0, 0, 0.001),
            "/logs/run.jsonl",
            List.of());
  }

  private static Function<AgentRun, AgentOutcome> endsWith(AgentStatus status, String error) {
    return run ->
        new AgentOutcome(
            status,
            run.sessionId(),
            null,
            error,
            null,
            null,
            Usage.NONE,
            "/logs/run.jsonl",
            List.of());
  }

  private static Function<AgentRun, AgentOutcome> rateLimited(Instant resetAt) {
    return run ->
        new AgentOutcome(
            AgentStatus.RATE_LIMITED,
            run.sessionId(),
            null,
            "API Error: 429",
            null,
            resetAt,
            Usage.NONE,
            "/logs/run.jsonl",
            List.of());
  }

  private boolean historyHas(EventType type) {
    return env.getWorkflowClient().fetchHistory(ID).getEvents().stream()
        .anyMatch(e -> e.getEventType() == type);
  }

  @Test
  void questionAnsweredThreeDaysLaterResumesTheSameSessionWithTheAnswer() {
    agent.then(asks("Which database?", "PostgreSQL", "SQLite"), ok("Used PostgreSQL"));
    start(spec(ID));
    awaitState(task, TaskState.BLOCKED);

    assertThat(task.view().reason()).isEqualTo(TaskReason.QUESTION);
    assertThat(task.view().question())
        .isEqualTo(new Question("Which database?", List.of("PostgreSQL", "SQLite")));
    assertThat(task.view().actions()).containsExactly("answer", "abandon");
    env.sleep(Duration.ofDays(3));
    ActionReceipt receipt = task.answer(new Reply("PostgreSQL"));
    TaskResult result = result();

    assertThat(receipt.action()).isEqualTo("answer");
    assertThat(result.state()).isEqualTo(TaskState.COMPLETED);
    AgentRun resumed = agent.run(1);
    assertThat(resumed.resume()).isTrue();
    assertThat(resumed.sessionId()).isEqualTo(agent.run(0).sessionId());
    assertThat(resumed.prompt()).isEqualTo("PostgreSQL");
    assertThat(agent.seen().get(1).atMillis() - agent.seen().get(0).atMillis())
        .isGreaterThanOrEqualTo(Duration.ofDays(3).toMillis());
    assertThat(task.view().question()).isNull();
    assertThat(ledger.endedRuns(ID))
        .extracting(RunRecord::kind)
        .containsExactly(RunKind.FIRST, RunKind.ANSWER);
    assertThat(ledger.entries(ID))
        .filteredOn(entry -> entry.task().state() == TaskState.BLOCKED)
        .first()
        .satisfies(entry -> assertThat(entry.task().question()).isEqualTo("Which database?"));
  }

  @Test
  void answerSignalFromTheWebUiResumesTheAgentToo() {
    agent.then(asks("Proceed?"), ok("done"));
    start(spec(ID));
    awaitState(task, TaskState.BLOCKED);

    stub.signal("answer", new Reply("yes"));

    assertThat(result().state()).isEqualTo(TaskState.COMPLETED);
    assertThat(agent.run(1).prompt()).isEqualTo("yes");
  }

  @Test
  void answerWhileNotBlockedIsRejectedWithoutTraceAndASignalIsIgnored() {
    agent.then(ok("done"));
    start(spec(ID, false));
    awaitState(task, TaskState.READY);

    assertThatThrownBy(() -> task.answer(new Reply("too early")))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining(
            "task t1 is READY; answer is valid only when the task is BLOCKED on a QUESTION");
    stub.signal("answer", new Reply("ignored"));
    stub.signal("answer", 42);
    assertThat(task.view().state()).isEqualTo(TaskState.READY);
    assertThat(historyHas(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).isFalse();

    when(workspace.merge(any()))
        .thenReturn(new MergeResult(MergeStatus.MERGED, "m1", List.of(), "merged"));
    task.accept(Reply.empty());
    TaskResult result = result();
    assertThat(result.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(agent.seen()).hasSize(1);
  }

  @Test
  void twoRacingAnswersUseExactlyOneAndTellTheOtherWhyNot() throws Exception {
    agent.then(asks("Name?"), ok("done"));
    start(spec(ID));
    awaitState(task, TaskState.BLOCKED);

    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<ActionReceipt>> answers = new ArrayList<>();
    try {
      for (String words : List.of("alpha", "beta")) {
        Callable<ActionReceipt> answer = () -> task.answer(new Reply(words));
        answers.add(pool.submit(answer));
      }
      List<String> accepted = new ArrayList<>();
      List<Throwable> rejected = new ArrayList<>();
      for (Future<ActionReceipt> answer : answers) {
        try {
          accepted.add(answer.get().action());
        } catch (java.util.concurrent.ExecutionException e) {
          rejected.add(e.getCause());
        }
      }
      assertThat(accepted).hasSize(1);
      assertThat(rejected).singleElement().isInstanceOf(WorkflowUpdateException.class);
      assertThat(rejected.get(0))
          .rootCause()
          .message()
          .containsAnyOf("already has 'answer'", "is RUNNING");
    } finally {
      pool.shutdownNow();
    }
    assertThat(result().state()).isEqualTo(TaskState.COMPLETED);
    assertThat(agent.seen()).hasSize(2);
    assertThat(agent.run(1).prompt()).isIn("alpha", "beta");
  }

  @Test
  void usageLimitWithAResetTimeWaitsUntilThenAndDoesNotCountAsAnAttempt() {
    Instant[] resetAt = new Instant[1];
    agent.then(
        run -> {
          resetAt[0] = Instant.ofEpochMilli(env.currentTimeMillis()).plus(Duration.ofMinutes(10));
          return rateLimited(resetAt[0]).apply(run);
        },
        endsWith(AgentStatus.FAILED, "flaky test"),
        ok("done"));
    start(spec(ID));
    awaitState(task, TaskState.RATE_LIMITED);

    assertThat(task.view().rateLimitResetAt()).isEqualTo(resetAt[0]);
    TaskResult result = result();

    assertThat(result.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(agent.seen()).hasSize(3);
    assertThat(agent.seen().get(1).atMillis()).isGreaterThanOrEqualTo(resetAt[0].toEpochMilli());
    assertThat(agent.run(1).resume()).isTrue();
    assertThat(agent.run(1).prompt()).isEqualTo(Prompts.CONTINUE_AFTER_USAGE_LIMIT);
    assertThat(agent.run(1).sessionId()).isEqualTo(agent.run(0).sessionId());
  }

  @Test
  void usageLimitWithoutAResetTimeBacksOffFromOneMinuteDoubling() {
    agent.then(rateLimited(null), rateLimited(null), rateLimited(null), ok("done"));
    start(spec(ID));

    assertThat(result().state()).isEqualTo(TaskState.COMPLETED);
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < agent.seen().size(); i++) {
      gaps.add(agent.seen().get(i).atMillis() - agent.seen().get(i - 1).atMillis());
    }
    assertThat(gaps).hasSize(3);
    assertThat(gaps.get(0))
        .isBetween(Duration.ofMinutes(1).toMillis(), Duration.ofMinutes(2).toMillis() - 1);
    assertThat(gaps.get(1))
        .isBetween(Duration.ofMinutes(2).toMillis(), Duration.ofMinutes(4).toMillis() - 1);
    assertThat(gaps.get(2))
        .isBetween(Duration.ofMinutes(4).toMillis(), Duration.ofMinutes(8).toMillis() - 1);
  }

  @Test
  void rejectResumesWithTheFeedbackThenAcceptMergesAndCompletes() {
    agent.then(ok("first try"), ok("second try"));
    when(workspace.merge(any()))
        .thenReturn(new MergeResult(MergeStatus.MERGED, "merge42", List.of(), "merged"));
    start(spec(ID, false));
    awaitState(task, TaskState.READY);
    assertThat(task.view().actions()).containsExactly("accept", "reject");

    assertThatThrownBy(() -> task.reject(new Reply("  ")))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("reject needs text");
    task.reject(new Reply("Use tabs, not spaces"));
    awaitState(task, TaskState.READY);
    assertThat(task.view().summary()).isEqualTo("second try");
    task.accept(Reply.empty());
    TaskResult result = result();

    assertThat(result.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(result.mergeCommit()).isEqualTo("merge42");
    assertThat(agent.run(1).prompt()).isEqualTo("Use tabs, not spaces");
    assertThat(agent.run(1).resume()).isTrue();
    verify(workspace, times(2)).commit(any());
    ArgumentCaptor<MergeInput> merge = ArgumentCaptor.forClass(MergeInput.class);
    verify(workspace).merge(merge.capture());
    assertThat(merge.getValue().targetBranch()).isEqualTo("main");
    verify(workspace).cleanup(any());
  }

  @Test
  void mergeConflictBlocksThenRetryAsksTheAgentToResolveAndReturnsToReady() {
    agent.then(ok("work"), ok("resolved"));
    when(workspace.merge(any()))
        .thenReturn(
            new MergeResult(
                MergeStatus.CONFLICT, null, List.of("README.md"), "conflict in README.md"))
        .thenReturn(new MergeResult(MergeStatus.MERGED, "merge7", List.of(), "merged"));
    start(spec(ID, false));
    awaitState(task, TaskState.READY);

    task.accept(Reply.empty());
    awaitState(task, TaskState.BLOCKED);
    assertThat(task.view().reason()).isEqualTo(TaskReason.MERGE_CONFLICT);
    assertThat(task.view().conflictFiles()).containsExactly("README.md");
    task.retry(Reply.empty());
    awaitState(task, TaskState.READY);
    task.accept(Reply.empty());
    TaskResult result = result();

    assertThat(result.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(result.mergeCommit()).isEqualTo("merge7");
    assertThat(agent.run(1).prompt())
        .startsWith("Merge main into your branch and resolve the conflicts")
        .contains("README.md");
    assertThat(agent.run(1).resume()).isTrue();
  }

  @Test
  void baseBranchWithLocalChangesSaysSoAndStaysReady() {
    agent.then(ok("work"));
    when(workspace.merge(any()))
        .thenReturn(
            new MergeResult(
                MergeStatus.TARGET_DIRTY,
                null,
                List.of(),
                "main is checked out in /tmp/repo with local changes"))
        .thenReturn(new MergeResult(MergeStatus.MERGED, "merge8", List.of(), "merged"));
    start(spec(ID, false));
    awaitState(task, TaskState.READY);

    task.accept(Reply.empty());
    awaitUntil(() -> task.view().lastError() != null);
    assertThat(task.view().state()).isEqualTo(TaskState.READY);
    assertThat(task.view().lastError()).contains("local changes");
    task.accept(Reply.empty());

    assertThat(result().mergeCommit()).isEqualTo("merge8");
  }

  @Test
  void acceptingATaskBasedOnATagCompletesWithTheWorkOnItsBranch() {
    agent.then(ok("work"));
    when(workspace.merge(any()))
        .thenReturn(
            new MergeResult(
                MergeStatus.TARGET_NOT_A_BRANCH, null, List.of(), "v1.0 is a tag, not a branch"));
    start(spec(ID, false));
    awaitState(task, TaskState.READY);

    task.accept(Reply.empty());
    TaskResult result = result();

    assertThat(result.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(result.mergeCommit()).isNull();
    assertThat(result.branch()).isEqualTo("taskwright/t1");
  }

  @Test
  void failureRetriedWithGuidanceResumesTheSessionWithTheGuidance() {
    agent.then(
        endsWith(AgentStatus.FAILED, "tests fail"),
        endsWith(AgentStatus.FAILED, "tests still fail"),
        ok("fixed"));
    start(spec(ID));
    awaitState(task, TaskState.BLOCKED);
    assertThat(task.view().reason()).isEqualTo(TaskReason.AGENT_FAILED);

    task.retry(new Reply("The fixture file is in src/test/resources"));

    assertThat(result().state()).isEqualTo(TaskState.COMPLETED);
    assertThat(agent.run(2).prompt()).isEqualTo("The fixture file is in src/test/resources");
    assertThat(agent.run(2).resume()).isTrue();
  }

  @Test
  void timeoutAndBudgetBlockWithTheirReasonAndRetryWithoutGuidanceRepeatsTheError() {
    agent.then(
        endsWith(AgentStatus.TIMED_OUT, "ran past 30m"),
        endsWith(AgentStatus.BUDGET_EXCEEDED, "Reached maximum budget ($0.01)"),
        ok("done"));
    TaskSpec base = spec(ID);
    start(
        TaskSpec.builder()
            .id(base.id())
            .title(base.title())
            .prompt(base.prompt())
            .repo(base.repo())
            .baseRef(base.baseRef())
            .agent(base.agent())
            .autoAccept(true)
            .maxAttempts(1)
            .timeout(base.timeout())
            .idleTimeout(base.idleTimeout())
            .build());
    awaitState(task, TaskState.BLOCKED);
    assertThat(task.view().reason()).isEqualTo(TaskReason.TIMED_OUT);
    task.retry(Reply.empty());
    awaitUntil(() -> task.view().reason() == TaskReason.BUDGET_EXCEEDED);
    assertThat(agent.run(1).prompt()).contains("ran past 30m");
    task.retry(Reply.empty());

    assertThat(result().state()).isEqualTo(TaskState.COMPLETED);
  }

  @Test
  void cancellingATaskThatWaitsForAPersonEndsItCancelledAndKeepsTheWorktree() {
    agent.then(asks("Really?"));
    start(spec(ID));
    awaitState(task, TaskState.BLOCKED);

    stub.cancel();

    assertThatThrownBy(this::result)
        .isInstanceOf(WorkflowFailedException.class)
        .hasCauseInstanceOf(CanceledFailure.class);
    assertThat(task.view().state()).isEqualTo(TaskState.CANCELLED);
    verify(workspace, never()).cleanup(any());
  }

  @Test
  void tooLongAnAnswerIsRejectedWithTheLimit() {
    agent.then(asks("Paste the log?"), ok("done"));
    start(spec(ID));
    awaitState(task, TaskState.BLOCKED);

    assertThatThrownBy(() -> task.answer(new Reply("x".repeat(Reply.MAX_LENGTH + 1))))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("too long");
    assertThat(task.view().state()).isEqualTo(TaskState.BLOCKED);
    task.answer(new Reply("short"));
    assertThat(result().state()).isEqualTo(TaskState.COMPLETED);
  }

  private static void awaitUntil(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met in 30 s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
