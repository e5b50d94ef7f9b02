package dev.taskwright.activities;

import java.nio.file.Files;
import java.nio.file.LinkOption;
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

  /** {@code <home>/worktrees}: the folder that holds every task worktree, one folder per repository. */
  public Path worktrees() {
    return root.resolve("worktrees");
  }

  /** {@code <home>/worktrees/<repo-name>/<task-id>}: where a task's worktree lives. */
  public Path worktree(String repoName, String taskId) {
    return worktrees().resolve(repoName).resolve(taskId);
  }

  /** {@code <home>/logs/<task-id>}: the raw agent transcripts ({@code run-<n>.jsonl}) and the agent PID record. */
  public Path logs(String taskId) {
    return root.resolve("logs").resolve(taskId);
  }

  /**
   * Why a worker could not write its worktrees, transcripts or run folders here, or null when it
   * can. Nothing is created to find out: each place must be a folder this user may write, or not
   * exist yet below one. Asked before anything starts, so that a home that is a file, or a
   * worktree folder nobody may write, is one clear error instead of a task stuck retrying.
   */
  public String unwritable() {
    String problem = unwritable(root, "TASKWRIGHT_HOME");
    if (problem == null) {
      problem = unwritable(worktrees(), "the worktree folder");
    }
    if (problem == null) {
      problem = unwritable(root.resolve("logs"), "the transcript folder");
    }
    if (problem == null) {
      problem = unwritable(root.resolve("runs"), "the run folder");
    }
    return problem == null ? null : problem + "; fix that, or set TASKWRIGHT_HOME to a folder this user can write (default ~/.taskwright)";
  }

  private static String unwritable(Path place, String what) {
    if (Files.exists(place)) {
      if (!Files.isDirectory(place)) {
        return what + " " + place + " is a file, not a folder";
      }
      // Files.isWritable asks the operating system (access(2)), so it is right for root too,
      // who may write a folder whatever its mode says.
      return Files.isWritable(place) ? null : what + " " + place + " is not writable by this user";
    }
    if (Files.exists(place, LinkOption.NOFOLLOW_LINKS)) {
      return what + " " + place + " is a symbolic link to something that does not exist";
    }
    Path existing = place.getParent();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return null;
    }
    if (!Files.isDirectory(existing)) {
      return what + " " + place + " cannot be created: " + existing + " is a file, not a folder";
    }
    return Files.isWritable(existing) ? null : what + " " + place + " cannot be created: " + existing + " is not writable by this user";
  }

  /**
   * {@code <home>/runs/<task-id>}: the control files the agent writes (question, summary,
   * subtasks), outside the worktree so they are never committed.
   */
  public Path runDir(String taskId) {
    return root.resolve("runs").resolve(taskId);
  }
}
