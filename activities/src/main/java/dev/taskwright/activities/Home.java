package dev.taskwright.activities;

import java.nio.file.Path;
import java.util.Map;

/**
 * The taskwright home folder ({@code TASKWRIGHT_HOME}, default {@code ~/.taskwright}) and the
 * places under it: worktrees, agent transcripts, per-task run folders for control files.
 */
public record Home(Path root) {

  public Home {
    root = root.toAbsolutePath().normalize();
  }

  public static Home fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  public static Home fromEnvironment(Map<String, String> env) {
    String configured = env.get("TASKWRIGHT_HOME");
    if (configured != null && !configured.isBlank()) {
      return new Home(Path.of(configured));
    }
    return new Home(Path.of(System.getProperty("user.home"), ".taskwright"));
  }

  /** {@code <home>/worktrees/<repo-name>/<task-id>}: where a task's worktree lives. */
  public Path worktree(String repoName, String taskId) {
    return root.resolve("worktrees").resolve(repoName).resolve(taskId);
  }

  /** {@code <home>/logs/<task-id>}: the raw agent transcripts ({@code run-<n>.jsonl}) and the agent PID record. */
  public Path logs(String taskId) {
    return root.resolve("logs").resolve(taskId);
  }

  /**
   * {@code <home>/runs/<task-id>}: the control files the agent writes (question, summary,
   * subtasks), outside the worktree so they are never committed.
   */
  public Path runDir(String taskId) {
    return root.resolve("runs").resolve(taskId);
  }
}
