package dev.taskwright.activities;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

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

  /**
   * {@code <home>/worktrees}: the folder that holds every task worktree, one folder per repository.
   */
  public Path worktrees() {
    return root.resolve("worktrees");
  }

  /** {@code <home>/worktrees/<repo-name>/<task-id>}: where a task's worktree lives. */
  public Path worktree(String repoName, String taskId) {
    return worktrees().resolve(repoName).resolve(taskId);
  }

  /**
   * {@code <home>/logs/<task-id>}: the raw agent transcripts ({@code run-<n>.jsonl}) and the agent
   * PID record.
   */
  public Path logs(String taskId) {
    return root.resolve("logs").resolve(taskId);
  }

  /**
   * Why a worker could not write its worktrees, transcripts or run folders here, or null when it
   * can. Nothing is created to find out: each place must be a folder this user may write, or not
   * exist yet below one. Asked before anything starts, so that a home that is a file, or a worktree
   * folder nobody may write, is one clear error instead of a task stuck retrying.
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
    return problem == null
        ? null
        : problem
            + "; fix that, or set TASKWRIGHT_HOME to a folder this user can write (default"
            + " ~/.taskwright)";
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
    return Files.isWritable(existing)
        ? null
        : what + " " + place + " cannot be created: " + existing + " is not writable by this user";
  }

  /**
   * What taskwright makes under the home, and so tightens; the user's own files (a repository) are
   * never touched.
   */
  private static final List<String> OWN =
      List.of(
          "logs",
          "runs",
          "postgres",
          "temporal.db",
          "temporal.db-wal",
          "temporal.db-shm",
          "temporal.log",
          "temporal-server.pid",
          "demo");

  /**
   * Makes an existing home owner-only: the home folder 0700, and every folder (0700) and file
   * (0600, or 0700 if executable) taskwright made under it. Worktrees are checkouts of the user's
   * repositories: only the folders that hold them are tightened, not their content. Symbolic links
   * are not followed. Returns one line saying what was tightened, or null when nothing changed.
   */
  public String makeOwnerOnly() throws IOException {
    if (!Files.isDirectory(root)
        || !java.nio.file.FileSystems.getDefault()
            .supportedFileAttributeViews()
            .contains("posix")) {
      return null;
    }
    int[] changed = {0};
    tighten(root, changed);
    tighten(worktrees(), changed);
    if (Files.isDirectory(worktrees(), LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> repos = Files.list(worktrees())) {
        for (Path repo : repos.toList()) {
          tighten(repo, changed);
        }
      }
    }
    for (String name : OWN) {
      Path place = root.resolve(name);
      if (!Files.exists(place, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      List<Path> all = new ArrayList<>();
      try (Stream<Path> walk = Files.walk(place)) {
        walk.forEach(all::add);
      }
      for (Path path : all) {
        tighten(path, changed);
      }
    }
    return changed[0] == 0
        ? null
        : "Made "
            + changed[0]
            + " file(s) and folder(s) in "
            + root
            + " readable by their owner only (they were readable by other users).";
  }

  private static void tighten(Path path, int[] changed) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(path)) {
      return;
    }
    Set<PosixFilePermission> now = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    Set<PosixFilePermission> wanted;
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      wanted = OwnerOnly.DIR;
    } else if (now.contains(PosixFilePermission.OWNER_EXECUTE)) {
      wanted = OwnerOnly.DIR;
    } else {
      wanted = OwnerOnly.FILE;
    }
    Set<PosixFilePermission> kept = java.util.EnumSet.noneOf(PosixFilePermission.class);
    for (PosixFilePermission p : now) {
      if (wanted.contains(p)) {
        kept.add(p);
      }
    }
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      kept.addAll(OwnerOnly.DIR);
    }
    if (!kept.equals(now)) {
      Files.setPosixFilePermissions(path, kept);
      changed[0]++;
    }
  }

  /**
   * {@code <home>/runs/<task-id>}: the control files the agent writes (question, summary,
   * subtasks), outside the worktree so they are never committed.
   */
  public Path runDir(String taskId) {
    return root.resolve("runs").resolve(taskId);
  }
}
