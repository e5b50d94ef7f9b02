package dev.taskwright.workflows;

import dev.taskwright.workflows.model.ActionReceipt;
import dev.taskwright.workflows.model.AgentOutcome;
import dev.taskwright.workflows.model.AgentRun;
import dev.taskwright.workflows.model.AgentStatus;
import dev.taskwright.workflows.model.CleanupInput;
import dev.taskwright.workflows.model.CommitInput;
import dev.taskwright.workflows.model.CommitResult;
import dev.taskwright.workflows.model.DependencyLookup;
import dev.taskwright.workflows.model.DependencyOutcome;
import dev.taskwright.workflows.model.MergeInput;
import dev.taskwright.workflows.model.MergeResult;
import dev.taskwright.workflows.model.MergeStatus;
import dev.taskwright.workflows.model.PrepareInput;
import dev.taskwright.workflows.model.Question;
import dev.taskwright.workflows.model.Reply;
import dev.taskwright.workflows.model.RunKind;
import dev.taskwright.workflows.model.RunRecord;
import dev.taskwright.workflows.model.Subscription;
import dev.taskwright.workflows.model.TaskLink;
import dev.taskwright.workflows.model.TaskReason;
import dev.taskwright.workflows.model.TaskRecord;
import dev.taskwright.workflows.model.TaskResult;
import dev.taskwright.workflows.model.TaskSpec;
import dev.taskwright.workflows.model.TaskState;
import dev.taskwright.workflows.model.TaskView;
import dev.taskwright.workflows.model.TransitionRecord;
import dev.taskwright.workflows.model.Usage;
import dev.taskwright.workflows.model.Workspace;
import dev.taskwright.workflows.ports.AgentActivities;
import dev.taskwright.workflows.ports.TaskLookupActivities;
import dev.taskwright.workflows.ports.WorkspaceActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * The task workflow: prepare the worktree, run the agent (resuming its session on failure), commit,
 * summarise, wait for review, merge, clean up. Wherever a person is needed (a question, a review, a
 * failure, a merge conflict) it waits without holding a worker slot, for as long as it takes, and
 * carries on in the same agent session when the person acts.
 *
 * <p>Deterministic: all time, randomness and I/O go through {@link Workflow} or an activity.
 */
public class TaskWorkflowImpl implements TaskWorkflow {

  private static final Logger log = Workflow.getLogger(TaskWorkflowImpl.class);

  /** The first wait after a usage limit with no reset time; each further one doubles. */
  static final Duration RATE_LIMIT_FIRST_BACKOFF = Duration.ofMinutes(1);

  /** The longest wait after a usage limit with no reset time. */
  static final Duration RATE_LIMIT_MAX_BACKOFF = Duration.ofMinutes(30);

  /**
   * The change that ignores a {@code subscribe} naming no task ID; histories from before it, in
   * which such a subscriber was told at the end, replay as they ran.
   */
  static final String SUBSCRIBERS_ARE_TASK_IDS = "subscribers-are-task-ids";

  /**
   * The change that ignores a {@code dependencyFinished} naming no end (no state, or one that is
   * not terminal); histories from before it, in which such news failed the dependent, replay as
   * they ran.
   */
  static final String DEPENDENCY_NEWS_NAMES_AN_END = "dependency-news-names-an-end";

  /**
   * The change that blocks a task whose worktree needs a person's repair (an activity failed with
   * {@link FailureType#WORKSPACE_NEEDS_REPAIR} or {@link FailureType#GIT_REFUSED}) in
   * BLOCKED/NEEDS_REPAIR, where {@code retry} tries the step again; before it, the task ended
   * FAILED.
   */
  static final String REPAIRS_BLOCK = "repairs-block";

  /**
   * The change that ignores a signal whose text git or PostgreSQL cannot store (a NUL, a lone
   * surrogate); before it, such an answer was taken and every later commit and ledger write failed.
   */
  static final String UNSTORABLE_SIGNALS_IGNORED = "unstorable-signals-ignored";

  /**
   * The change that makes {@code autoAccept} merge as {@code accept} does; before it, an
   * auto-accepted task completed with its work on its branch, as {@link
   * TaskSpec#completeWithoutMerge()} does now.
   */
  static final String AUTO_ACCEPT_MERGES = "auto-accept-merges";

  /** {@code prepare} may run on any host; the host it ran on keeps the task from then on. */
  private final WorkspaceActivities anyHostWorkspace =
      Workflow.newActivityStub(WorkspaceActivities.class, Timeouts.workspace(Names.TASK_QUEUE));

  /** Reads a dependency that finished (or never existed) before it could be subscribed to. */
  private final TaskLookupActivities lookup =
      Workflow.newActivityStub(TaskLookupActivities.class, Timeouts.lookup());

  private WorkspaceActivities hostWorkspace;
  private AgentActivities agent;

  private final TaskSpec spec;
  private TaskState state = TaskState.QUEUED;
  private TaskReason reason;
  private int attempts;
  private String sessionId;
  private boolean sessionStarted;
  private Workspace workspace;
  private List<String> commits = List.of();
  private String summary;
  private String lastError;
  private Usage usage = Usage.NONE;
  private Question question;
  private Instant rateLimitResetAt;
  private int rateLimitsInARow;
  private String mergeCommit;
  private List<String> conflictFiles = List.of();

  /**
   * Links out of the worktree in the task's commits, as the last commit reported them; a warning
   * for the review.
   */
  private List<String> outsideLinks = List.of();

  private final List<String> failures = new ArrayList<>();
  private String head;

  /**
   * The step waiting in BLOCKED/NEEDS_REPAIR for a person's repair ("commit", "merge", ...), else
   * null.
   */
  private String repairStep;

  /** Where every transition and run is written; set when the run starts. */
  private TaskLedger ledger;

  private Instant createdAt;

  /**
   * Each dependency and how it finished (null until it has), in the order the spec names them;
   * typed as LinkedHashMap so that iterating it is visibly ordered.
   */
  private final LinkedHashMap<String, DependencyOutcome> dependencies = new LinkedHashMap<>();

  private final Subscribers subscribers = new Subscribers();
  private final Subtasks subtasks;

  /** What a person asked for, set by an update or signal handler and taken by the main loop. */
  private PersonAction pending;

  /** An accepted action waiting for the main loop: the update/signal name and its words. */
  private record PersonAction(String name, String text) {}

  /**
   * How a step that may need repair ended: its result, or the person's action that replaces it
   * (abandon, or retry with words for the agent), with the words of the last retry that re-ran it.
   */
  private record Repaired<T>(T value, PersonAction instead, String words) {}

  /** What the next agent run is told, whether it continues the session, and why it runs. */
  private record NextRun(String prompt, boolean resume, RunKind kind) {}

  /**
   * State is set up before any handler runs, so a query or signal that arrives first sees a whole
   * task.
   */
  @WorkflowInit
  public TaskWorkflowImpl(TaskSpec spec) {
    this.spec = spec;
    this.subtasks = new Subtasks(spec);
    spec.dependsOn().forEach(dependency -> dependencies.put(dependency, null));
  }

  @Override
  public TaskResult run(TaskSpec ignored) {
    ledger = TaskLedger.forThisRun();
    createdAt = now();
    publish();
    ledger.record(taskRecord(), new TransitionRecord(createdAt, null, state, reason), null);
    try {
      return runTask();
    } catch (CanceledFailure cancelled) {
      throw cancelled(cancelled);
    } catch (ActivityFailure failure) {
      if (failure.getCause() instanceof CanceledFailure cancelled) {
        throw cancelled(cancelled);
      }
      // An activity gave up for good: its input is wrong (the repository vanished, the agent is
      // not installed) or its retries ran out. The task ends FAILED with the reason in view,
      // rather than as an opaque workflow failure.
      lastError = rootMessage(failure);
      log.warn("Task {} failed in {}: {}", spec.id(), state, lastError);
      enter(TaskState.FAILED, null);
      return finish();
    }
  }

  private TaskResult runTask() {
    if (!dependencies.isEmpty() && !waitForDependencies()) {
      enter(TaskState.FAILED, TaskReason.DEPENDENCY_FAILED);
      return finish();
    }
    enter(TaskState.PREPARING, null);
    Repaired<Workspace> prepared =
        repairable("prepare the worktree", () -> anyHostWorkspace.prepare(prepareInput()), true);
    if (prepared.instead() != null) {
      return abandon(prepared.instead());
    }
    workspace = prepared.value();
    hostWorkspace =
        Workflow.newActivityStub(
            WorkspaceActivities.class, Timeouts.workspace(Names.hostQueue(workspace.host())));
    agent =
        Workflow.newActivityStub(
            AgentActivities.class,
            Timeouts.agentRun(Names.agentQueue(workspace.host()), spec.timeout()));

    // The session ID is fixed before the first run starts, so it is in history even if the
    // worker dies before the agent prints anything.
    // A restarted subtask continues its earlier session; anything else starts one.
    sessionStarted = spec.resumeSessionId() != null;
    sessionId = sessionStarted ? spec.resumeSessionId() : Workflow.randomUUID().toString();
    NextRun next =
        new NextRun(spec.prompt(), sessionStarted, sessionStarted ? RunKind.RESUME : RunKind.FIRST);
    if (prepared.words() != null && !prepared.words().isBlank()) {
      // Words given with the retry that prepared the worktree go to the agent with its task.
      next = new NextRun(next.prompt() + "\n\n" + prepared.words(), next.resume(), next.kind());
    }
    while (true) {
      AgentOutcome outcome = runAgentUntilSettled(next);
      switch (outcome.status()) {
        case SUCCEEDED -> {
          PersonAction instead = commitWork(outcome);
          if (instead != null) {
            if (instead.name().equals(Names.ABANDON)) {
              return abandon(instead);
            }
            next = continueWith(instead.text(), RunKind.RESUME);
            continue;
          }
          subtasks.add(spec.subtasks(), outcome.subtasks(), head);
          if (!subtasks.isEmpty()) {
            AfterReview afterChildren = runSubtasks();
            if (afterChildren.abandonedBy() != null) {
              return abandon(afterChildren.abandonedBy());
            }
            if (afterChildren.next() != null) {
              next = afterChildren.next();
              continue;
            }
          }
          if (completesWithoutMerge()) {
            return complete();
          }
          AfterReview after = review(spec.autoAccept());
          if (after.abandonedBy() != null) {
            return abandon(after.abandonedBy());
          }
          if (after.next() == null) {
            return complete();
          }
          next = after.next();
        }
        case QUESTION -> {
          question = outcome.question();
          PersonAction action = waitForPerson(TaskState.BLOCKED, TaskReason.QUESTION);
          question = null;
          if (action.name().equals(Names.ABANDON)) {
            return abandon(action);
          }
          next = continueWith(action.text(), RunKind.ANSWER);
        }
        default -> {
          PersonAction action = waitForPerson(TaskState.BLOCKED, reasonFor(outcome.status()));
          if (action.name().equals(Names.ABANDON)) {
            return abandon(action);
          }
          next =
              continueWith(
                  action.text() == null || action.text().isBlank()
                      ? Prompts.retryAfterFailure(lastError)
                      : action.text(),
                  RunKind.RESUME);
        }
      }
    }
  }

  /**
   * Runs the agent until it succeeds, asks a question, or has failed {@code maxAttempts} times in a
   * row. A failed run whose session exists is resumed with the failure text; one that never started
   * a session starts afresh with the earlier failures in its system prompt. A usage limit is a
   * durable wait, not a failure: it does not count against {@code maxAttempts}.
   */
  private AgentOutcome runAgentUntilSettled(NextRun first) {
    NextRun next = first;
    int failedRuns = 0;
    while (true) {
      attempts++;
      enter(TaskState.RUNNING, null);
      Instant runStarted = now();
      ledger.record(
          taskRecord(),
          null,
          new RunRecord(
              attempts, next.kind(), sessionId, runStarted, null, null, null, null, null));
      AgentOutcome outcome = agent.run(agentRun(next));
      usage = usage.plus(outcome.usage());
      if (outcome.sessionId() != null) {
        sessionStarted = true;
        sessionId = outcome.sessionId();
      }
      ledger.record(
          taskRecord(),
          null,
          new RunRecord(
              attempts,
              next.kind(),
              sessionId,
              runStarted,
              now(),
              outcome.status(),
              outcome.usage(),
              outcome.logPath(),
              outcome.error()));
      if (outcome.status() == AgentStatus.RATE_LIMITED) {
        waitForUsageLimit(outcome);
        next = continueWith(Prompts.CONTINUE_AFTER_USAGE_LIMIT, RunKind.RESUME);
        continue;
      }
      rateLimitsInARow = 0;
      if (outcome.status() == AgentStatus.SUCCEEDED || outcome.status() == AgentStatus.QUESTION) {
        lastError = null;
        return outcome;
      }
      lastError = describe(outcome);
      failures.add(lastError);
      failedRuns++;
      log.warn(
          "Agent run {} of task {} ended {}: {}", attempts, spec.id(), outcome.status(), lastError);
      if (failedRuns >= spec.maxAttempts()) {
        return outcome;
      }
      // A fresh run is told about earlier failures in its system prompt, not in its prompt.
      next =
          sessionStarted
              ? new NextRun(Prompts.retryAfterFailure(lastError), true, RunKind.RETRY)
              : new NextRun(spec.prompt(), false, RunKind.RETRY);
    }
  }

  private AgentRun agentRun(NextRun next) {
    return new AgentRun(
        spec.id(),
        attempts,
        spec.agent(),
        workspace,
        sessionId,
        next.resume(),
        next.prompt(),
        next.resume() ? List.of() : failures,
        spec.timeout(),
        spec.idleTimeout());
  }

  /**
   * The next run says {@code words} in the same session. When no session was ever started, a fresh
   * run gets the task's prompt with the words after it, and earlier failures in its system prompt.
   */
  private NextRun continueWith(String words, RunKind kind) {
    if (sessionStarted) {
      return new NextRun(words, true, kind);
    }
    return new NextRun(spec.prompt() + "\n\n" + words, false, kind);
  }

  /**
   * Sleeps on a durable timer until the usage limit resets: the stream's time, else a doubling
   * backoff.
   */
  private void waitForUsageLimit(AgentOutcome outcome) {
    rateLimitsInARow++;
    Instant now = Instant.ofEpochMilli(Workflow.currentTimeMillis());
    Instant resetAt = outcome.rateLimitResetAt();
    if (resetAt == null || !resetAt.isAfter(now)) {
      long factor = 1L << Math.min(rateLimitsInARow - 1, 10);
      Duration backoff = RATE_LIMIT_FIRST_BACKOFF.multipliedBy(factor);
      resetAt =
          now.plus(
              backoff.compareTo(RATE_LIMIT_MAX_BACKOFF) > 0 ? RATE_LIMIT_MAX_BACKOFF : backoff);
    }
    rateLimitResetAt = resetAt;
    log.info("Task {} hit a usage limit; resuming at {}", spec.id(), resetAt);
    enter(TaskState.RATE_LIMITED, null);
    Workflow.sleep(Duration.between(now, resetAt));
    rateLimitResetAt = null;
  }

  /**
   * Commits the agent's work. Returns null once committed, else what a person chose instead while
   * the worktree needed repair: abandon, or words for the agent to go on with before the next
   * commit.
   */
  private PersonAction commitWork(AgentOutcome outcome) {
    enter(TaskState.COMMITTING, null);
    if (outcome.summary() != null) {
      summary = outcome.summary();
    }
    Repaired<CommitResult> committed =
        repairable(
            "commit",
            () -> hostWorkspace.commit(new CommitInput(spec.id(), spec.title(), workspace)),
            false);
    if (committed.instead() != null) {
      return committed.instead();
    }
    took(committed.value());
    return null;
  }

  /** What the task branch holds after a commit. */
  private void took(CommitResult committed) {
    commits = committed.commits();
    head = committed.head();
    outsideLinks = committed.outsideLinks();
  }

  /**
   * Runs {@code call}, a workspace step. When its activity says the worktree needs a person's
   * repair (the branch deleted, HEAD moved, {@code .git} removed, git refusing what it was given),
   * the task waits in BLOCKED/NEEDS_REPAIR with the activity's message: {@code retry} without words
   * runs the step again, {@code retry} with words is returned for the agent to go on with (or, when
   * {@code wordsRetryTheStep}, runs the step again and keeps the words), {@code abandon} is
   * returned. Any other failure is thrown on, as before.
   */
  private <T> Repaired<T> repairable(
      String step, java.util.function.Supplier<T> call, boolean wordsRetryTheStep) {
    String words = null;
    while (true) {
      try {
        return new Repaired<>(call.get(), null, words);
      } catch (ActivityFailure failure) {
        if (!needsRepair(failure)
            || Workflow.getVersion(REPAIRS_BLOCK, Workflow.DEFAULT_VERSION, 1) < 1) {
          throw failure;
        }
        lastError = rootMessage(failure);
        log.warn(
            "Task {} cannot {} until its worktree is repaired: {}", spec.id(), step, lastError);
        TaskState was = state;
        repairStep = step;
        PersonAction action = waitForPerson(TaskState.BLOCKED, TaskReason.NEEDS_REPAIR);
        repairStep = null;
        boolean hasWords = action.text() != null && !action.text().isBlank();
        if (action.name().equals(Names.ABANDON) || (hasWords && !wordsRetryTheStep)) {
          return new Repaired<>(null, action, words);
        }
        words = hasWords ? action.text() : words;
        lastError = null;
        enter(was, null);
      }
    }
  }

  private static boolean needsRepair(ActivityFailure failure) {
    return failure.getCause() instanceof ApplicationFailure application
        && (FailureType.WORKSPACE_NEEDS_REPAIR.type().equals(application.getType())
            || FailureType.GIT_REFUSED.type().equals(application.getType()));
  }

  /**
   * True when the task completes once committed, its work kept on its branch: asked for with {@code
   * completeWithoutMerge}, an auto-accepted subtask (its parent merges it), and an auto-accepted
   * task that started before auto-accept merged.
   */
  private boolean completesWithoutMerge() {
    if (spec.completeWithoutMerge()) {
      return true;
    }
    if (!spec.autoAccept()) {
      return false;
    }
    return spec.isSubtask()
        || Workflow.getVersion(AUTO_ACCEPT_MERGES, Workflow.DEFAULT_VERSION, 1) < 1;
  }

  /**
   * Waits in WAITING, holding no slot, until every dependency has finished. Each is asked to signal
   * back ({@code subscribe}); one that cannot be signalled has finished already, or never existed,
   * and an activity reads which. Returns false, with the reason in {@code lastError}, when any
   * dependency did not complete.
   */
  private boolean waitForDependencies() {
    enter(TaskState.WAITING, null);
    for (String dependency : spec.dependsOn()) {
      subscribeTo(dependency);
    }
    Workflow.await(
        () ->
            dependencyOutcomes().stream().allMatch(Objects::nonNull)
                || unsatisfiedDependency() != null);
    DependencyOutcome unsatisfied = unsatisfiedDependency();
    if (unsatisfied != null) {
      lastError =
          unsatisfied.state() == null
              ? "dependency " + unsatisfied.detail()
              : "dependency "
                  + unsatisfied.taskId()
                  + " ended "
                  + unsatisfied.state()
                  + (unsatisfied.detail() == null ? "" : ": " + unsatisfied.detail());
      return false;
    }
    return true;
  }

  private void subscribeTo(String dependency) {
    for (int attempt = 1; attempt <= 2; attempt++) {
      try {
        Workflow.newExternalWorkflowStub(TaskWorkflow.class, dependency)
            .subscribe(new Subscription(spec.id()));
        return;
      } catch (SignalExternalWorkflowException | ApplicationFailure notRunning) {
        if (!Signals.isNotDelivered(notRunning)) {
          throw notRunning;
        }
        DependencyLookup found = lookup.lookup(dependency);
        if (!found.exists()) {
          heard(DependencyOutcome.missing(dependency));
          return;
        }
        if (found.closed()) {
          heard(found.outcome());
          return;
        }
        // It runs again (a new run of that ID started meanwhile): subscribe to that run.
      }
    }
    heard(
        new DependencyOutcome(
            dependency,
            TaskState.FAILED,
            null,
            null,
            null,
            "could not subscribe to " + dependency));
  }

  private void heard(DependencyOutcome outcome) {
    if (dependencies.containsKey(outcome.taskId()) && dependencies.get(outcome.taskId()) == null) {
      dependencies.put(outcome.taskId(), outcome);
      publish();
    }
  }

  private DependencyOutcome unsatisfiedDependency() {
    return dependencyOutcomes().stream()
        .filter(o -> o != null && !o.satisfied())
        .findFirst()
        .orElse(null);
  }

  /** How each dependency finished, null for one that has not, in the order the spec names them. */
  private List<DependencyOutcome> dependencyOutcomes() {
    List<DependencyOutcome> outcomes = new ArrayList<>();
    dependencies.forEach((id, outcome) -> outcomes.add(outcome));
    return outcomes;
  }

  /**
   * The worktree starts from the work it waited for: the first dependency in the same repository
   * gives the base and the others are merged in. Without such dependencies, the task's base ref.
   */
  private PrepareInput prepareInput() {
    List<String> results = new ArrayList<>();
    for (DependencyOutcome outcome : dependencyOutcomes()) {
      if (outcome != null
          && outcome.headCommit() != null
          && Objects.equals(outcome.repo(), spec.repo())) {
        results.add(outcome.headCommit());
      }
    }
    if (results.isEmpty()) {
      return new PrepareInput(spec.id(), spec.repo(), spec.baseRef(), List.of());
    }
    return new PrepareInput(
        spec.id(), spec.repo(), results.get(0), results.subList(1, results.size()));
  }

  /**
   * Runs the subtasks as child workflows and waits in WAITING_SUBTASKS. A failed child blocks the
   * task until a person retries (the child continues its session) or abandons it. Once every child
   * completed, their branches are merged into this task's branch; a conflict blocks, and a retry
   * asks this task's agent to resolve it.
   */
  private AfterReview runSubtasks() {
    while (true) {
      enter(TaskState.WAITING_SUBTASKS, null);
      subtasks.startPending();
      publish();
      subtasks.awaitAll();
      List<String> failed = subtasks.failures();
      if (!failed.isEmpty()) {
        lastError = "subtask failed: " + String.join("; ", failed);
        PersonAction decision = waitForPerson(TaskState.BLOCKED, TaskReason.SUBTASK_FAILED);
        if (decision.name().equals(Names.ABANDON)) {
          return new AfterReview(null, decision);
        }
        lastError = null;
        subtasks.restartFailed(decision.text());
        continue;
      }
      enter(TaskState.COMMITTING, null);
      for (TaskResult child : subtasks.completed()) {
        Repaired<MergeResult> mergedChild =
            repairable(
                "merge subtask " + child.id(),
                () ->
                    hostWorkspace.merge(
                        new MergeInput(
                            child.id(),
                            "subtask " + child.id(),
                            spec.repo(),
                            workspace.branch(),
                            workspace)),
                false);
        if (mergedChild.instead() != null) {
          return instead(mergedChild.instead());
        }
        MergeResult merged = mergedChild.value();
        if (merged.status() != MergeStatus.MERGED) {
          conflictFiles = merged.conflictFiles();
          lastError = merged.message();
          PersonAction decision = waitForPerson(TaskState.BLOCKED, TaskReason.MERGE_CONFLICT);
          List<String> files = conflictFiles;
          conflictFiles = List.of();
          if (decision.name().equals(Names.ABANDON)) {
            return new AfterReview(null, decision);
          }
          return new AfterReview(
              continueWith(
                  Prompts.resolveMergeConflict(child.branch(), files, decision.text()),
                  RunKind.REVIEW),
              null);
        }
      }
      Repaired<CommitResult> committed =
          repairable(
              "commit",
              () -> hostWorkspace.commit(new CommitInput(spec.id(), spec.title(), workspace)),
              false);
      if (committed.instead() != null) {
        return instead(committed.instead());
      }
      took(committed.value());
      lastError = null;
      return new AfterReview(null, null);
    }
  }

  /** How a review ended: merged (both null), the next run, or abandoned after a merge conflict. */
  private record AfterReview(NextRun next, PersonAction abandonedBy) {}

  /** What a person chose instead of a repaired step: abandon, or words the agent goes on with. */
  private AfterReview instead(PersonAction action) {
    return action.name().equals(Names.ABANDON)
        ? new AfterReview(null, action)
        : new AfterReview(continueWith(action.text(), RunKind.RESUME), null);
  }

  /**
   * Waits in READY for a person, then merges or hands the feedback back to the agent. A merge that
   * cannot happen yet (the base branch has local changes) goes back to READY with the reason; a
   * conflict blocks until the agent is asked to resolve it, or the task is abandoned.
   */
  private AfterReview review(boolean autoAccepted) {
    // An auto-accepted task merges at once, as an accept would, and waits in READY only when the
    // merge cannot happen yet.
    boolean accepted = autoAccepted;
    while (true) {
      if (!accepted) {
        PersonAction action = waitForPerson(TaskState.READY, null);
        if (action.name().equals(Names.REJECT)) {
          return new AfterReview(continueWith(action.text(), RunKind.REVIEW), null);
        }
      }
      accepted = false;
      enter(TaskState.MERGING, null);
      Repaired<MergeResult> mergeDone =
          repairable(
              "merge",
              () ->
                  hostWorkspace.merge(
                      new MergeInput(
                          spec.id(), spec.title(), spec.repo(), spec.baseRef(), workspace)),
              false);
      if (mergeDone.instead() != null) {
        return instead(mergeDone.instead());
      }
      MergeResult merged = mergeDone.value();
      switch (merged.status()) {
        case MERGED -> {
          mergeCommit = merged.mergeCommit();
          lastError = null;
          return new AfterReview(null, null);
        }
        case CONFLICT -> {
          conflictFiles = merged.conflictFiles();
          lastError = merged.message();
          PersonAction decision = waitForPerson(TaskState.BLOCKED, TaskReason.MERGE_CONFLICT);
          List<String> files = conflictFiles;
          conflictFiles = List.of();
          if (decision.name().equals(Names.ABANDON)) {
            return new AfterReview(null, decision);
          }
          return new AfterReview(
              continueWith(
                  Prompts.resolveMergeConflict(spec.baseRef(), files, decision.text()),
                  RunKind.REVIEW),
              null);
        }
        case TARGET_NOT_A_BRANCH -> {
          // The task started from a tag or a commit: there is no branch to merge into, so
          // accepting the work completes the task with the work on its own branch.
          log.info("Task {} accepted without a merge: {}", spec.id(), merged.message());
          return new AfterReview(null, null);
        }
        case TARGET_DIRTY -> {
          // Nothing was touched; the person cleans up the checkout and accepts again.
          lastError = merged.message();
          log.warn("Task {} could not be merged yet: {}", spec.id(), lastError);
        }
      }
    }
  }

  /** Waits, holding no worker slot, until a person's action fits this state. */
  private PersonAction waitForPerson(TaskState waitingState, TaskReason why) {
    pending = null;
    enter(waitingState, why);
    Workflow.await(() -> pending != null);
    PersonAction action = pending;
    pending = null;
    log.info("Task {}: {} while {}", spec.id(), action.name(), waitingState);
    return action;
  }

  private TaskResult complete() {
    if (!spec.keepWorktree()) {
      var cleanup = hostWorkspace.cleanup(new CleanupInput(spec.id(), spec.repo(), workspace));
      if (!cleanup.removed()) {
        log.info("Kept worktree {}: {}", workspace.path(), cleanup.keptBecause());
      }
    }
    enter(TaskState.COMPLETED, null);
    return finish();
  }

  private TaskResult abandon(PersonAction action) {
    if (action.text() != null && !action.text().isBlank()) {
      lastError =
          lastError == null
              ? "abandoned: " + action.text()
              : lastError + " (abandoned: " + action.text() + ")";
    }
    question = null;
    conflictFiles = List.of();
    enter(TaskState.FAILED, TaskReason.ABANDONED);
    return finish();
  }

  /**
   * Marks the task cancelled. The agent activity was cancelled with WAIT_CANCELLATION_COMPLETED, so
   * its process tree is dead by now; the worktree and branch are kept for inspection.
   */
  private CanceledFailure cancelled(CanceledFailure cause) {
    enter(TaskState.CANCELLED, null);
    // The children were cancelled with this task; wait until they have closed, and tell the tasks
    // waiting for this one. Both need commands, which a cancelled scope cannot issue.
    Workflow.newDetachedCancellationScope(
            () -> {
              subtasks.awaitClosed();
              subscribers.finish(outcome());
              ledger.flush();
            })
        .run();
    return cause;
  }

  private static String rootMessage(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ApplicationFailure application) {
      return application.getOriginalMessage();
    }
    return cause.getMessage();
  }

  private static String describe(AgentOutcome outcome) {
    if (outcome.error() != null && !outcome.error().isBlank()) {
      return outcome.error();
    }
    return "the agent run ended " + outcome.status();
  }

  private static TaskReason reasonFor(AgentStatus status) {
    return switch (status) {
      case TIMED_OUT -> TaskReason.TIMED_OUT;
      case BUDGET_EXCEEDED -> TaskReason.BUDGET_EXCEEDED;
      default -> TaskReason.AGENT_FAILED;
    };
  }

  private TaskResult finish() {
    subscribers.finish(outcome());
    ledger.flush();
    // Let any update or signal handler that is still running finish before the workflow closes:
    // among them a subscriber that arrived just now and is being told from its handler.
    Workflow.await(Workflow::isEveryHandlerFinished);
    return new TaskResult(
        spec.id(),
        state,
        reason,
        workspace == null ? null : workspace.branch(),
        commits,
        summary,
        sessionId,
        lastError,
        usage,
        mergeCommit);
  }

  /** How this task finished, as its dependents hear it. */
  private DependencyOutcome outcome() {
    return new DependencyOutcome(
        spec.id(),
        state,
        spec.repo(),
        workspace == null ? null : workspace.branch(),
        head,
        state == TaskState.COMPLETED ? null : lastError);
  }

  private void enter(TaskState next, TaskReason why) {
    boolean changed = next != state || why != reason;
    TaskState from = state;
    if (changed) {
      log.info("Task {}: {} -> {}{}", spec.id(), state, next, why == null ? "" : " (" + why + ")");
    }
    state = next;
    reason = why;
    publish();
    if (changed) {
      ledger.record(taskRecord(), new TransitionRecord(now(), from, next, why), null);
    }
  }

  /** The task's ledger row as it is now. */
  private TaskRecord taskRecord() {
    Instant now = now();
    return new TaskRecord(
        spec.id(),
        spec.parentId(),
        spec.plan(),
        spec.title(),
        spec.repo(),
        spec.baseRef(),
        workspace == null ? null : workspace.branch(),
        spec.agent() == null ? null : spec.agent().type(),
        spec.agent() == null ? null : spec.agent().model(),
        state,
        reason,
        question == null ? null : question.text(),
        summary,
        commits,
        usage,
        lastError,
        createdAt,
        now,
        state.isTerminal() ? now : null);
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  /** Keeps the search attribute and the Web UI's current details in step with the state. */
  private void publish() {
    Workflow.upsertTypedSearchAttributes(Names.TASK_STATE.valueSet(state.name()));
    Workflow.setCurrentDetails(TaskDetails.markdown(view()));
  }

  // ---- What people can do, as updates (validated) and signals (checked, ignored when unfit) ----

  /** Why {@code action} does not fit the task now, or null when it does. */
  private String problemWith(String action, Reply reply) {
    if (reply != null && reply.text() != null && reply.text().length() > Reply.MAX_LENGTH) {
      return action
          + " text is too long ("
          + reply.text().length()
          + " characters; at most "
          + Reply.MAX_LENGTH
          + ")";
    }
    // An action already taken but not yet acted on comes first: it is why a racing second one
    // does not fit, even though the state has not changed yet.
    if (pending != null) {
      return "task " + spec.id() + " already has '" + pending.name() + "' waiting to be acted on";
    }
    if (!allowedActions().contains(action)) {
      if (isBusy()) {
        // Nothing fits while the task works on its own, however soon it may wait for a person:
        // name what it does and what to wait for, not what might fit a moment later.
        return "task "
            + spec.id()
            + " is "
            + describeState()
            + ": "
            + TaskDetails.NOTHING_WHILE_BUSY
            + " "
            + doing()
            + "; wait until it is READY or BLOCKED (taskwright status "
            + spec.id()
            + "), then "
            + action
            + " if it fits";
      }
      return "task "
          + spec.id()
          + " is "
          + describeState()
          + "; "
          + action
          + " is valid only "
          + whenValid(action);
    }
    if ((action.equals(Names.ANSWER) || action.equals(Names.REJECT))
        && (reply == null || reply.isBlank())) {
      return action
          + " needs text: "
          + (action.equals(Names.ANSWER) ? "the answer to the agent's question" : "what to change");
    }
    return null;
  }

  /** True while the task works on its own and no person's action can fit. */
  private boolean isBusy() {
    return state != TaskState.READY && state != TaskState.BLOCKED && !state.isTerminal();
  }

  /** What the task is doing while busy, as words after "nothing can be done while". */
  private String doing() {
    return switch (state) {
      case QUEUED -> "it starts";
      case WAITING -> "it waits for its dependencies";
      case PREPARING -> "it prepares its worktree";
      case RUNNING -> "its agent runs";
      case RATE_LIMITED -> "it waits for the agent's usage limit to reset";
      case WAITING_SUBTASKS -> "its subtasks run";
      case COMMITTING -> "it commits";
      case MERGING -> "it merges";
      default -> "it is " + state;
    };
  }

  private String describeState() {
    return reason == null ? state.name() : state.name() + "/" + reason.name();
  }

  private static String whenValid(String action) {
    return switch (action) {
      case Names.ANSWER -> "when the task is BLOCKED on a QUESTION";
      case Names.ACCEPT, Names.REJECT -> "when the task is READY for review";
      case Names.RETRY ->
          "when the task is BLOCKED by a failure, a merge conflict or a worktree that needed"
              + " repair";
      case Names.ABANDON -> "when the task is BLOCKED";
      default -> "never";
    };
  }

  /** The actions that fit the current state, in the order to offer them. */
  private List<String> allowedActions() {
    if (pending != null) {
      return List.of();
    }
    if (state == TaskState.READY) {
      return List.of(Names.ACCEPT, Names.REJECT);
    }
    if (state == TaskState.BLOCKED) {
      return reason == TaskReason.QUESTION
          ? List.of(Names.ANSWER, Names.ABANDON)
          : List.of(Names.RETRY, Names.ABANDON);
    }
    return List.of();
  }

  private void requireFits(String action, Reply reply) {
    String problem = problemWith(action, reply);
    if (problem != null) {
      throw new IllegalStateException(problem);
    }
  }

  /**
   * What an update validator checks: the action fits, and its text can be stored. Text with a NUL
   * or a lone surrogate would be taken, then fail every commit and ledger write of the task.
   */
  private void validate(String action, Reply reply) {
    String unstorable = reply == null ? null : StorableText.problem(reply.text());
    if (unstorable != null) {
      throw ApplicationFailure.newNonRetryableFailure(
          action
              + " text holds "
              + unstorable
              + ", which git and PostgreSQL cannot store; remove it and send the "
              + action
              + " again",
          FailureType.ACTION_REFUSED.type());
    }
    requireFits(action, reply);
  }

  private ActionReceipt take(String action, Reply reply) {
    requireFits(action, reply);
    String message = receiptMessage(action, reply);
    pending = new PersonAction(action, reply == null ? null : reply.text());
    return new ActionReceipt(spec.id(), action, state, message);
  }

  private String receiptMessage(String action, Reply reply) {
    if (action.equals(Names.RETRY) && reason == TaskReason.NEEDS_REPAIR && repairStep != null) {
      return reply == null || reply.isBlank() || repairStep.equals("prepare the worktree")
          ? "retrying: the task tries to " + repairStep + " again"
          : "retrying: the agent resumes session "
              + sessionId
              + " with your words, then its work is committed";
    }
    return switch (action) {
      case Names.ANSWER -> "answer taken; the agent resumes session " + sessionId;
      case Names.ACCEPT ->
          "accepted; merging " + Names.branch(spec.id()) + " into " + spec.baseRef();
      case Names.REJECT -> "feedback taken; the agent resumes session " + sessionId;
      case Names.RETRY -> "retrying; the agent resumes session " + sessionId;
      case Names.ABANDON -> "abandoned; the task ends FAILED and keeps its worktree";
      default -> action;
    };
  }

  private void takeSignal(String action, Reply reply) {
    // Asked only for such a signal, so the histories of every other task carry no marker.
    String unstorable = reply == null ? null : StorableText.problem(reply.text());
    if (unstorable != null
        && Workflow.getVersion(UNSTORABLE_SIGNALS_IGNORED, Workflow.DEFAULT_VERSION, 1) >= 1) {
      log.warn(
          "Ignored signal '{}' for task {}: its text holds {}, which git and PostgreSQL cannot"
              + " store",
          action,
          spec.id(),
          unstorable);
      return;
    }
    String problem = problemWith(action, reply);
    if (problem != null) {
      log.warn("Ignored signal '{}' for task {}: {}", action, spec.id(), problem);
      return;
    }
    pending = new PersonAction(action, reply == null ? null : reply.text());
  }

  @Override
  public ActionReceipt answer(Reply answer) {
    return take(Names.ANSWER, answer);
  }

  @Override
  public void validateAnswer(Reply answer) {
    validate(Names.ANSWER, answer);
  }

  @Override
  public void answerSignal(Reply answer) {
    takeSignal(Names.ANSWER, answer);
  }

  @Override
  public ActionReceipt accept(Reply note) {
    return take(Names.ACCEPT, note);
  }

  @Override
  public void validateAccept(Reply note) {
    validate(Names.ACCEPT, note);
  }

  @Override
  public void acceptSignal(Reply note) {
    takeSignal(Names.ACCEPT, note);
  }

  @Override
  public ActionReceipt reject(Reply feedback) {
    return take(Names.REJECT, feedback);
  }

  @Override
  public void validateReject(Reply feedback) {
    validate(Names.REJECT, feedback);
  }

  @Override
  public void rejectSignal(Reply feedback) {
    takeSignal(Names.REJECT, feedback);
  }

  @Override
  public ActionReceipt retry(Reply guidance) {
    return take(Names.RETRY, guidance);
  }

  @Override
  public void validateRetry(Reply guidance) {
    validate(Names.RETRY, guidance);
  }

  @Override
  public void retrySignal(Reply guidance) {
    takeSignal(Names.RETRY, guidance);
  }

  @Override
  public ActionReceipt abandon(Reply reason) {
    return take(Names.ABANDON, reason);
  }

  @Override
  public void validateAbandon(Reply reason) {
    validate(Names.ABANDON, reason);
  }

  @Override
  public void abandonSignal(Reply reason) {
    takeSignal(Names.ABANDON, reason);
  }

  @Override
  public TaskView view() {
    return new TaskView(
        spec.id(),
        spec.title(),
        state,
        reason,
        spec.repo(),
        spec.baseRef(),
        spec.agent() == null ? null : spec.agent().type(),
        question,
        attempts,
        sessionId,
        workspace == null ? null : workspace.path(),
        workspace == null ? null : workspace.branch(),
        workspace == null ? null : workspace.baseCommit(),
        commits,
        summary,
        lastError,
        usage,
        rateLimitResetAt,
        mergeCommit,
        conflictFiles,
        allowedActions(),
        spec.parentId(),
        subtasks.links(),
        dependencyLinks(),
        warnings());
  }

  /**
   * What a person should know before accepting: links in the task's commits that point out of the
   * worktree.
   */
  private List<String> warnings() {
    return outsideLinks.isEmpty()
        ? List.of()
        : List.of(TaskDetails.OUTSIDE_LINKS + String.join(", ", outsideLinks));
  }

  private List<TaskLink> dependencyLinks() {
    List<TaskLink> links = new ArrayList<>();
    dependencies.forEach(
        (id, outcome) ->
            links.add(
                outcome == null
                    ? new TaskLink(id, null, "waiting")
                    : new TaskLink(id, outcome.state(), outcome.detail())));
    return links;
  }

  @Override
  public void subscribe(Subscription subscription) {
    if (subscription == null || subscription.taskId() == null || subscription.taskId().isBlank()) {
      log.warn("Ignored a subscribe signal without a task ID for task {}", spec.id());
      return;
    }
    // Only a task ID can be told: anything else (sent by hand, from the Web UI) becomes a signal
    // command at the end that reaches nobody, or that the server refuses (an ID longer than it
    // allows), failing every workflow task from then on. Asked only for such a signal, so the
    // histories of every other task carry no marker.
    if (!TaskIds.isValidTaskOrSubtask(subscription.taskId())
        && Workflow.getVersion(SUBSCRIBERS_ARE_TASK_IDS, Workflow.DEFAULT_VERSION, 1) >= 1) {
      log.warn(
          "Ignored a subscribe signal for task {}: {} is not a task ID",
          spec.id(),
          TaskIds.shown(subscription.taskId()));
      return;
    }
    subscribers.add(subscription.taskId());
  }

  @Override
  public void dependencyFinished(DependencyOutcome outcome) {
    if (outcome == null || !dependencies.containsKey(outcome.taskId())) {
      log.warn(
          "Ignored dependencyFinished for task {}: {} is not one of its dependencies",
          spec.id(),
          outcome);
      return;
    }
    // A dependency tells how it ended; a signal that names no end (sent by hand) says nothing,
    // and taken it would fail this task for a dependency still at work.
    if ((outcome.state() == null || !outcome.state().isTerminal())
        && Workflow.getVersion(DEPENDENCY_NEWS_NAMES_AN_END, Workflow.DEFAULT_VERSION, 1) >= 1) {
      log.warn(
          "Ignored dependencyFinished for task {}: {} names no end of {}",
          spec.id(),
          outcome,
          outcome.taskId());
      return;
    }
    heard(outcome);
  }
}
