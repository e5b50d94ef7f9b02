package dev.taskwright.workflows.model;

import java.time.Duration;

/**
 * Everything a task needs to run; the input of {@link dev.taskwright.workflows.TaskWorkflow#run}.
 *
 * @param id the task ID, also the workflow ID
 * @param title a one-line title, used in the commit message and the Web UI summary
 * @param prompt what the agent is asked to do
 * @param repo absolute path of the git repository the task works in
 * @param baseRef the ref the task branch starts from (a branch name, tag or SHA)
 * @param agent which agent runs the task, and how
 * @param autoAccept true to skip the review gate and complete once committed
 * @param maxAttempts how many agent runs a task gets before it stops retrying by itself
 * @param timeout how long one agent run may take in all
 * @param idleTimeout how long an agent may print nothing before the watchdog kills it
 * @param keepWorktree true to keep the worktree after the task completes
 */
public record TaskSpec(
    String id,
    String title,
    String prompt,
    String repo,
    String baseRef,
    AgentConfig agent,
    boolean autoAccept,
    int maxAttempts,
    Duration timeout,
    Duration idleTimeout,
    boolean keepWorktree) {

  public static final int DEFAULT_MAX_ATTEMPTS = 2;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(15);

  public TaskSpec {
    if (maxAttempts < 1) {
      maxAttempts = DEFAULT_MAX_ATTEMPTS;
    }
    if (timeout == null || timeout.isZero() || timeout.isNegative()) {
      timeout = DEFAULT_TIMEOUT;
    }
    if (idleTimeout == null || idleTimeout.isZero() || idleTimeout.isNegative()) {
      idleTimeout = DEFAULT_IDLE_TIMEOUT;
    }
  }
}
