package dev.taskwright.activities.workspace;

import dev.taskwright.activities.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The results of further dependencies that a new task branch is built from, merged into it right
 * after it is created ({@code PrepareInput.alsoMerge}): a task that waited for several tasks in its
 * repository starts from the first one's result and sees the others' work too.
 *
 * <p><b>Recorded once, like the base.</b> The commits are resolved and recorded in the repository's
 * config as {@code branch.taskwright/<id>.taskwrightMerges} (full SHAs, separated by spaces) before
 * the base is recorded, so that they are known to every later {@code prepare} of the branch and to
 * {@code commit}, which leaves them out of the task's own commits. A branch that already existed
 * when the list was given gets no merges: its origin was decided when it was created.
 *
 * <p><b>Idempotent.</b> A recorded commit that is already an ancestor of the branch head was merged
 * by an earlier attempt (or was part of the base) and is skipped, so a retried {@code prepare}
 * neither merges twice nor loses a merge a crash interrupted. While any recorded commit is still
 * missing, {@code prepare} has not returned yet and no agent has worked in the worktree, so a merge
 * left half done by a crash there is an earlier attempt's and is aborted before the merges are made
 * again.
 *
 * <p><b>Conflicts.</b> Dependencies that changed the same lines cannot be combined without a
 * decision, so a conflict is a non-retryable input failure naming the commits and files. The merge
 * is aborted and the branch put back where this call found it, so the worktree is left clean.
 */
final class DependencyMerges {

  private static final Logger log = LoggerFactory.getLogger(DependencyMerges.class);

  /** The config variable, in the task branch's section, that holds the commits to merge. */
  static final String MERGES_CONFIG_VARIABLE = "taskwrightMerges";

  private final Git git;

  DependencyMerges(Git git) {
    this.git = git;
  }

  /**
   * Resolves the requested commits to full SHAs (in order, each once) and records them for {@code
   * branch}; an empty list clears what a crashed attempt with other input may have recorded.
   */
  List<String> record(Path repo, String branch, List<String> requested) {
    Set<String> commits = new LinkedHashSet<>();
    for (String commit : requested) {
      commits.add(resolve(repo, commit));
    }
    String variable = variable(branch);
    if (commits.isEmpty()) {
      Git.Result unset = git.tryRun(repo, "config", "--unset-all", variable);
      // Exit code 5 means there was nothing to unset.
      if (!unset.succeeded() && unset.exitCode() != 5) {
        throw new GitCommandException(unset.command(), unset.exitCode(), unset.stderr());
      }
      return List.of();
    }
    git.run(repo, "config", variable, String.join(" ", commits));
    return List.copyOf(commits);
  }

  /** The commits recorded for {@code branch}; empty for a branch built from its base alone. */
  List<String> recorded(Git inRepository, Path dir, String branch) {
    Git.Result value = inRepository.tryRun(dir, "config", "--get", variable(branch));
    if (value.exitCode() == 1) {
      return List.of();
    }
    if (!value.succeeded()) {
      throw new GitCommandException(value.command(), value.exitCode(), value.stderr());
    }
    return Arrays.stream(value.out().split("\\s+")).filter(sha -> !sha.isEmpty()).toList();
  }

  /**
   * Merges every recorded commit that the worktree's branch does not yet contain, in order.
   *
   * @throws InvalidInputException when two results conflict, or a person's changes are in the way
   */
  void apply(Path worktree, String taskId, String branch, String baseCommit, List<String> commits) {
    Git inWorktree = git.confinedTo(worktree);
    if (commits.stream().allMatch(commit -> isAncestor(inWorktree, worktree, commit, "HEAD"))) {
      return;
    }
    Path gitDir =
        worktree.resolve(inWorktree.run(worktree, "rev-parse", "--git-dir").out()).normalize();
    if (Files.exists(gitDir.resolve("MERGE_HEAD"))) {
      log.info("Task {}: aborting the merge an interrupted attempt left in {}", taskId, worktree);
      inWorktree.run(worktree, "merge", "--abort");
    }
    List<String> changed = GitWorkspace.changedPaths(inWorktree, worktree, false);
    if (!changed.isEmpty()) {
      throw new InvalidInputException(
          "the worktree "
              + worktree
              + " of task "
              + taskId
              + " has changes ("
              + GitWorkspace.describePaths(changed)
              + ") before the results of its dependencies were merged into it; commit or discard"
              + " them, then retry");
    }
    String startHead = head(inWorktree, worktree);
    List<String> combined = new ArrayList<>(List.of(baseCommit));
    for (String commit : commits) {
      if (!isAncestor(inWorktree, worktree, commit, "HEAD")) {
        merge(inWorktree, worktree, taskId, branch, commit, startHead, combined);
        log.info("Task {}: merged dependency result {} into {}", taskId, commit, branch);
      }
      combined.add(commit);
    }
  }

  private void merge(
      Git inWorktree,
      Path worktree,
      String taskId,
      String branch,
      String commit,
      String startHead,
      List<String> combinedBefore) {
    List<String> command = GitWorkspace.unattendedCommitOptions(inWorktree, worktree);
    command.addAll(TaskBranchMerge.UNATTENDED_MERGE);
    command.addAll(List.of("-m", mergeMessage(taskId, commit), commit));
    Git.Result merge = inWorktree.tryRun(worktree, command);
    if (merge.succeeded()) {
      return;
    }
    Path gitDir =
        worktree.resolve(inWorktree.run(worktree, "rev-parse", "--git-dir").out()).normalize();
    if (!Files.exists(gitDir.resolve("MERGE_HEAD"))) {
      if (merge.stderr().contains("would be overwritten by merge")) {
        throw new InvalidInputException(
            "files in the worktree "
                + worktree
                + " of task "
                + taskId
                + " are in the way of merging the result "
                + commit
                + " of a dependency; move them away, then retry");
      }
      throw new GitCommandException(merge.command(), merge.exitCode(), merge.stderr());
    }
    List<String> conflicts =
        Stream.of(
                inWorktree
                    .run(worktree, "diff", "--name-only", "--diff-filter=U", "-z")
                    .stdout()
                    .split("\0"))
            .filter(path -> !path.isEmpty())
            .toList();
    inWorktree.run(worktree, "merge", "--abort");
    // Back to where this call found the branch, so the worktree holds no half-combined results.
    inWorktree.run(worktree, "reset", "--hard", "--quiet", startHead);
    throw new InvalidInputException(
        conflictMessage(
            inWorktree, worktree, taskId, branch, commit, startHead, combinedBefore, conflicts));
  }

  /**
   * "the results of dependencies X (sha) and Y (sha) conflict in a.txt; ...". The branch's base is
   * named first, since it is usually the first dependency's result.
   */
  private static String conflictMessage(
      Git inWorktree,
      Path worktree,
      String taskId,
      String branch,
      String commit,
      String startHead,
      List<String> combinedBefore,
      List<String> conflicts) {
    List<String> combined =
        combinedBefore.stream().map(earlier -> describe(inWorktree, worktree, earlier)).toList();
    String paths =
        conflicts.isEmpty() ? "files git did not name" : GitWorkspace.describePaths(conflicts);
    return "the results of dependencies "
        + String.join(", ", combined)
        + " and "
        + describe(inWorktree, worktree, commit)
        + " conflict in "
        + paths
        + ", so task "
        + taskId
        + " cannot start from all of them; the merge was undone and "
        + branch
        + " left at "
        + shortSha(startHead)
        + ". Make one of these tasks depend on the other so that it builds on the other's work, or"
        + " merge them yourself, resolve the conflict, and start the task from that commit";
  }

  /** "task X (abc1234)" for a commit taskwright made for task X, else "commit abc1234". */
  private static String describe(Git inWorktree, Path worktree, String commit) {
    String task =
        inWorktree
            .tryRun(
                worktree,
                "log",
                "-1",
                "--format=%(trailers:key=Taskwright-Task,valueonly,separator=%x2C)",
                commit)
            .out();
    return task.isEmpty()
        ? "commit " + shortSha(commit)
        : "task " + task + " (" + shortSha(commit) + ")";
  }

  /** {@code taskwright(<id>): merge dependency <sha>} and the task's trailer. */
  static String mergeMessage(String taskId, String commit) {
    return "taskwright("
        + taskId
        + "): merge dependency "
        + commit
        + "\n\nTaskwright-Task: "
        + taskId
        + "\n";
  }

  /** The full SHA of a requested commit; anything else is the caller's mistake, not git's. */
  private String resolve(Path repo, String commit) {
    // A value starting with a dash would be read as an option.
    if (commit == null || commit.isBlank() || commit.startsWith("-")) {
      throw new InvalidInputException(
          "'" + commit + "' is not a commit; the results of dependencies are merged by their SHA");
    }
    Git.Result resolved =
        git.tryRun(repo, "rev-parse", "--verify", "--quiet", commit + "^{commit}");
    if (!resolved.succeeded()) {
      throw new InvalidInputException(
          "the dependency result "
              + commit
              + " is not a commit in "
              + repo
              + "; was its branch deleted? Restore it, or start the"
              + " task without that dependency");
    }
    return resolved.out();
  }

  private static String head(Git inWorktree, Path worktree) {
    return inWorktree.run(worktree, "rev-parse", "--verify", "HEAD^{commit}").out();
  }

  /** Exit 0: ancestor; exit 1: not; anything else is git failing. */
  private static boolean isAncestor(
      Git inWorktree, Path worktree, String ancestor, String descendant) {
    Git.Result result =
        inWorktree.tryRun(worktree, "merge-base", "--is-ancestor", ancestor, descendant);
    if (result.exitCode() != 0 && result.exitCode() != 1) {
      throw new GitCommandException(result.command(), result.exitCode(), result.stderr());
    }
    return result.succeeded();
  }

  private static String shortSha(String sha) {
    return sha.length() > 10 ? sha.substring(0, 10) : sha;
  }

  private static String variable(String branch) {
    return "branch." + branch + "." + MERGES_CONFIG_VARIABLE;
  }
}
