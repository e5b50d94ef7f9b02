package dev.taskwright.activities.workspace;

import dev.taskwright.activities.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks of a task's repository and base ref, shared by the CLI (which runs them before it starts a
 * workflow, so bad input never becomes a workflow) and the workspace activities (which run them
 * again, because the repository may have changed in between).
 *
 * <p>Every method throws {@link InvalidInputException} with a one-line message for the user when
 * the input cannot work, and {@link GitCommandException} when git itself failed (not installed,
 * timed out, an unexpected error).
 */
public final class GitChecks {

  private GitChecks() {}

  /**
   * The top folder of the git work tree that holds {@code path} (which may be any folder inside
   * it), with symbolic links resolved.
   *
   * @throws InvalidInputException when the path is missing, is a file, is not inside a git
   *     repository, or is inside a repository without a work tree
   */
  public static Path repositoryRoot(Path path) {
    return repositoryRoot(Git.standard(), path);
  }

  /**
   * The full SHA of the commit {@code ref} names in {@code repo}: a branch, tag, SHA (or prefix) or
   * any other revision git understands.
   *
   * @throws InvalidInputException when the ref names no commit there
   */
  public static String resolveCommit(Path repo, String ref) {
    return resolveCommit(Git.standard(), repo, ref);
  }

  /**
   * The branch checked out in {@code repo}, which the task's work is merged into on accept.
   *
   * @throws InvalidInputException when HEAD is detached (there would be no branch to merge into) or
   *     the repository has no commits
   */
  public static String defaultBaseRef(Path repo) {
    return defaultBaseRef(Git.standard(), repo);
  }

  static Path repositoryRoot(Git git, Path path) {
    if (path == null || path.toString().isBlank()) {
      throw new InvalidInputException("no repository given; pass the path of a git repository");
    }
    Path absolute = path.toAbsolutePath().normalize();
    if (!Files.exists(absolute)) {
      throw new InvalidInputException(
          "repository path "
              + absolute
              + " does not exist; pass the path of an existing git repository");
    }
    if (!Files.isDirectory(absolute)) {
      throw new InvalidInputException(
          "repository path " + absolute + " is a file; pass the folder of a git repository");
    }
    Git.Result topLevel = git.tryRun(absolute, "rev-parse", "--show-toplevel");
    if (topLevel.succeeded() && !topLevel.out().isEmpty()) {
      return Path.of(topLevel.out());
    }
    throw new InvalidInputException(whyNotAWorkTree(git, absolute, topLevel.stderr()));
  }

  private static String whyNotAWorkTree(Git git, Path folder, String stderr) {
    if (stderr.contains("dubious ownership")) {
      return "git refuses to work in "
          + folder
          + " because another user owns it; if you trust it, run: git config --global --add"
          + " safe.directory "
          + folder;
    }
    if (stderr.contains("not a git repository")) {
      return folder
          + " is not a git repository; run 'git init' there or pass the path of a git repository";
    }
    if ("true".equals(git.tryRun(folder, "rev-parse", "--is-bare-repository").out())) {
      return folder + " is a bare repository; pass a repository that has a working tree";
    }
    if ("true".equals(git.tryRun(folder, "rev-parse", "--is-inside-git-dir").out())) {
      return folder + " is inside a .git folder; pass the repository's own folder";
    }
    return folder
        + " is not a git working tree ("
        + firstLine(stderr)
        + "); pass the path of a git repository";
  }

  static String resolveCommit(Git git, Path repo, String ref) {
    if (ref == null || ref.isBlank()) {
      throw new InvalidInputException(
          "no base ref given; use a branch, tag or commit that exists in " + repo);
    }
    // A ref that starts with a dash would be read as an option; no branch or tag can start with
    // one.
    if (ref.startsWith("-")) {
      throw new InvalidInputException(
          "base ref '" + ref + "' is not a valid ref; use a branch, tag or commit");
    }
    Git.Result resolved = git.tryRun(repo, "rev-parse", "--verify", "--quiet", ref + "^{commit}");
    if (resolved.succeeded()) {
      return resolved.out();
    }
    if (!hasCommits(git, repo)) {
      throw new InvalidInputException(
          "repository " + repo + " has no commits yet; make a first commit, then start the task");
    }
    throw new InvalidInputException(
        "base ref '"
            + ref
            + "' not found in "
            + repo
            + "; use a branch, tag or commit that exists");
  }

  static String defaultBaseRef(Git git, Path repo) {
    Git.Result branch = git.tryRun(repo, "symbolic-ref", "--quiet", "--short", "HEAD");
    if (branch.succeeded()) {
      return branch.out();
    }
    Git.Result head = git.tryRun(repo, "rev-parse", "--verify", "--quiet", "HEAD^{commit}");
    if (head.succeeded()) {
      // A SHA as the base would leave accept nothing to merge into.
      throw new InvalidInputException(
          repo
              + " has a detached HEAD ("
              + head.out()
              + "): check out the branch to merge into, or pass --base BRANCH");
    }
    throw new InvalidInputException(
        "repository " + repo + " has no commits yet; make a first commit, then start the task");
  }

  private static boolean hasCommits(Git git, Path repo) {
    return !git.run(repo, "rev-list", "-n", "1", "--all").out().isEmpty();
  }

  private static String firstLine(String text) {
    String stripped = text.strip();
    int newline = stripped.indexOf('\n');
    return newline < 0 ? stripped : stripped.substring(0, newline);
  }
}
