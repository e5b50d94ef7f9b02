package dev.taskwright.workflows;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Every activity timeout and retry policy, each with the reason for its value. */
public final class Timeouts {
  private Timeouts() {}

  /** A git worktree add, commit or removal on a large repository can take minutes, not hours. */
  static final Duration GIT_START_TO_CLOSE = Duration.ofMinutes(5);

  /**
   * Git failures are usually passing (an index lock, a busy disk): retry forever, backing off to a
   * minute.
   */
  static final RetryOptions GIT_RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofMinutes(1))
          .setDoNotRetry(FailureType.nonRetryableTypes())
          .build();

  /**
   * The driver heartbeats every second, also while the agent is silent, and at least one in five
   * seconds reaches the server ({@link #HEARTBEAT_THROTTLE}); 30 s without one means the worker is
   * gone, and this is how long a task stands still after its worker is killed mid-run.
   */
  public static final Duration AGENT_HEARTBEAT = Duration.ofSeconds(30);

  /**
   * The workspace activities heartbeat every 5 s while git works; 30 s without one means the worker
   * died mid-git, and the retry goes to another worker instead of waiting out the five-minute
   * start-to-close timeout.
   */
  static final Duration WORKSPACE_HEARTBEAT = Duration.ofSeconds(30);

  /**
   * The longest a worker holds back an agent's heartbeats (its {@code
   * maxHeartbeatThrottleInterval}). Cancellation reaches a running activity only in the answer to a
   * heartbeat, so this bounds how long a cancelled agent keeps working; without it the SDK waits
   * 0.8 × the heartbeat timeout.
   */
  public static final Duration HEARTBEAT_THROTTLE = Duration.ofSeconds(5);

  /**
   * Room past the task's own timeout for the driver to kill the agent and report TIMED_OUT itself.
   */
  static final Duration AGENT_MARGIN = Duration.ofMinutes(5);

  /**
   * Agent-level failures come back as outcomes, so only infrastructure failures reach this policy
   * (the worker died, the heartbeat was lost). Ten tries ride out several worker restarts without
   * looping forever on a host that kills every attempt.
   */
  static final RetryOptions AGENT_RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofSeconds(30))
          .setMaximumAttempts(10)
          .setDoNotRetry(FailureType.nonRetryableTypes())
          .build();

  /**
   * Reading another task's workflow is one quick RPC; retry it like git, backing off to a minute.
   */
  public static ActivityOptions lookup() {
    return ActivityOptions.newBuilder()
        .setTaskQueue(Names.TASK_QUEUE)
        .setStartToCloseTimeout(Duration.ofSeconds(30))
        .setRetryOptions(GIT_RETRY)
        .build();
  }

  /**
   * A ledger write is one short transaction. While PostgreSQL is down the write retries forever,
   * backing off to 30 s, so the ledger catches up within half a minute of the database returning;
   * the task itself does not wait for it until it finishes.
   */
  static final RetryOptions LEDGER_RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofSeconds(30))
          .setDoNotRetry(FailureType.nonRetryableTypes())
          .build();

  /**
   * One ledger transaction. The pool gives up on a connection after 5 s, so a live write ends well
   * within this; a write lost with a killed worker is retried when it runs out, and the ledger lags
   * by about that much.
   */
  static final Duration LEDGER_START_TO_CLOSE = Duration.ofSeconds(10);

  /**
   * A ledger write made as a local activity, in the worker that runs the workflow task. A live
   * write takes milliseconds; past this the database is taken to be down, the workflow task goes
   * on, and the write moves to a background activity ({@link #ledger()}), so an outage delays a
   * task's step by at most this much.
   */
  static final Duration LEDGER_LOCAL_START_TO_CLOSE = Duration.ofSeconds(2);

  /** One try, no retries: a write that fails locally is retried by the background activity. */
  public static LocalActivityOptions ledgerLocal() {
    return LocalActivityOptions.newBuilder()
        .setStartToCloseTimeout(LEDGER_LOCAL_START_TO_CLOSE)
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build();
  }

  /** Ledger writes run on the shared queue: every worker has the ledger. */
  public static ActivityOptions ledger() {
    return ActivityOptions.newBuilder()
        .setTaskQueue(Names.TASK_QUEUE)
        .setStartToCloseTimeout(LEDGER_START_TO_CLOSE)
        .setRetryOptions(LEDGER_RETRY)
        .build();
  }

  /** Options for workspace activities on {@code taskQueue} (the shared queue or a host's). */
  public static ActivityOptions workspace(String taskQueue) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(taskQueue)
        .setStartToCloseTimeout(GIT_START_TO_CLOSE)
        .setHeartbeatTimeout(WORKSPACE_HEARTBEAT)
        .setRetryOptions(GIT_RETRY)
        .build();
  }

  /**
   * Options for an agent run on a host's agent queue. Cancellation waits for the driver to confirm
   * that the agent's process tree is dead, so a cancelled task never leaves an agent working in its
   * worktree.
   */
  public static ActivityOptions agentRun(String agentQueue, Duration taskTimeout) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(agentQueue)
        .setStartToCloseTimeout(taskTimeout.plus(AGENT_MARGIN))
        .setHeartbeatTimeout(AGENT_HEARTBEAT)
        .setRetryOptions(AGENT_RETRY)
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .build();
  }
}
