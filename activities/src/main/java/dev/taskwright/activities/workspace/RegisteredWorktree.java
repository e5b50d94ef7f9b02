package dev.taskwright.activities.workspace;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code git worktree list --porcelain}: a worktree as the repository has it on
 * record, which after a crash need not match what is on disk.
 *
 * @param path where the worktree is (or was)
 * @param branch the full ref checked out there ({@code refs/heads/...}), or null when detached or
 *     bare
 * @param prunable true when git sees that the folder is gone
 * @param lockedReason the lock's reason ("" for a lock without one), or null when not locked
 */
record RegisteredWorktree(Path path, String branch, boolean prunable, String lockedReason) {

  /** The reason {@code git worktree add} gives the lock it holds while it checks files out. */
  static final String INITIALIZING = "initializing";

  boolean locked() {
    return lockedReason != null;
  }

  /** True when a {@code git worktree add} stopped before it finished checking out files. */
  boolean checkoutInterrupted() {
    return INITIALIZING.equals(lockedReason);
  }

  /**
   * The repository's worktrees as {@code git worktree list} reports them, its main worktree first.
   */
  static List<RegisteredWorktree> list(Git git, Path repo) {
    return parse(git.run(repo, "worktree", "list", "--porcelain").stdout());
  }

  /** Parses the porcelain format: attribute lines, one entry per paragraph. */
  static List<RegisteredWorktree> parse(String porcelain) {
    List<RegisteredWorktree> entries = new ArrayList<>();
    Path path = null;
    String branch = null;
    boolean prunable = false;
    String lockedReason = null;
    for (String line : (porcelain + "\n\n").split("\n", -1)) {
      if (line.isEmpty()) {
        if (path != null) {
          entries.add(new RegisteredWorktree(path, branch, prunable, lockedReason));
        }
        path = null;
        branch = null;
        prunable = false;
        lockedReason = null;
      } else if (line.startsWith("worktree ")) {
        path = Path.of(line.substring("worktree ".length()));
      } else if (line.startsWith("branch ")) {
        branch = line.substring("branch ".length());
      } else if (line.equals("prunable") || line.startsWith("prunable ")) {
        prunable = true;
      } else if (line.equals("locked") || line.startsWith("locked ")) {
        lockedReason = line.length() > "locked ".length() ? line.substring("locked ".length()) : "";
      }
    }
    return entries;
  }
}
