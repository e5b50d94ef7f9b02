package dev.taskwright.activities.workspace;

import dev.taskwright.workflows.Names;
import dev.taskwright.workflows.model.MergeResult;
import dev.taskwright.workflows.model.MergeStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code --no-ff} merge of a task branch into its target branch, made when a person accepts the
 * task.
 *
 * <p><b>Where the merge happens.</b> When the target branch is checked out in some worktree of the
 * repository (usually the user's main checkout), the merge runs there with {@code git merge}, so
 * that the checkout's files follow its branch as they would after a merge the person made. When the
 * branch is checked out nowhere, no checkout is touched at all: {@code git merge-tree --write-tree}
 * computes the merged tree, {@code git commit-tree} makes the merge commit and {@code git
 * update-ref} moves the branch, but only from the commit the merge was computed on, so a branch
 * that moved meanwhile fails the update instead of losing the commits that moved it (the activity's
 * retry then starts over).
 *
 * <p><b>Never half-merged.</b> Before it touches a checkout, the merge is tried with {@code
 * merge-tree}, which writes only objects; a conflict found there is reported without the checkout
 * ever seeing conflict markers, and without a crash being able to leave it mid-merge. The
 * checkout's own merge stays the authority (a checkout can merge differently, through an
 * uncommitted {@code .gitattributes} of its own, say): if it conflicts after all, the conflicting
 * paths are collected and the merge is aborted before the result is returned.
 *
 * <p><b>What blocks a merge into a checkout.</b> Staged and unstaged changes to tracked files do:
 * merging over them would mix the person's unfinished work into the merge, or abort half way. An
 * operation in progress there (a merge, rebase, cherry-pick, revert or bisect) does too. Untracked
 * files do not: they are usually build output or notes that the merge never touches, and refusing
 * on them would make accept fail in most real checkouts. When the merge would overwrite one, git
 * itself refuses before it changes anything, and that is reported like local changes.
 *
 * <p><b>Idempotent.</b> When the task branch's head is already reachable from the target, an
 * earlier attempt (or a person) merged it, and the merge commit found on the target is returned
 * instead of merging again. Every step before the branch moves is free of side effects a person
 * could see, so a crash at any point leaves either no merge or a merge the next attempt finds. The
 * one exception is a conflict only the checkout sees: a crash between its {@code git merge} and
 * {@code git merge --abort} leaves the checkout mid-merge, and the next attempt refuses it like any
 * merge in progress, naming the checkout, rather than abort what may by then be a person's
 * resolution.
 *
 * <p><b>Races with a person.</b> A person who switches the checkout to another branch, or checks
 * the target out, in the moment between the checks and the merge is not detected; git gives no way
 * to merge "into branch X only if it is still checked out here". The window is a few milliseconds
 * of a click on accept, and its worst outcome is a merge a person can see and undo.
 */
final class TaskBranchMerge {

  /**
   * {@code git merge} with every option that overrides a setting that would change the merge:
   * merge.ff, merge.log, merge.autoStash, rerere.autoUpdate, hooks, the editor, and a branch's
   * mergeOptions (which may ask for --squash). The message and what to merge follow.
   */
  static final List<String> UNATTENDED_MERGE =
      List.of(
          "merge",
          "--no-ff",
          "--commit",
          "--no-squash",
          "--no-log",
          "--no-autostash",
          "--no-rerere-autoupdate",
          "--no-verify",
          "--no-edit",
          "--quiet",
          "--cleanup=verbatim");

  private static final Logger log = LoggerFactory.getLogger(TaskBranchMerge.class);

  private static final String BRANCH_PREFIX = "refs/heads/";

  /** A file in a worktree's git folder that exists while an operation is under way there. */
  private record OperationMarker(String file, String operation) {}

  private static final List<OperationMarker> OPERATIONS_IN_PROGRESS =
      List.of(
          new OperationMarker("MERGE_HEAD", "a merge"),
          new OperationMarker("rebase-merge", "a rebase"),
          new OperationMarker("rebase-apply", "a rebase or git am"),
          new OperationMarker("CHERRY_PICK_HEAD", "a cherry-pick"),
          new OperationMarker("REVERT_HEAD", "a revert"),
          new OperationMarker("sequencer", "a cherry-pick or revert"),
          new OperationMarker("BISECT_START", "a bisect"));

  private final Git git;

  TaskBranchMerge(Git git) {
    this.git = git;
  }

  /** The branch to merge into, resolved once so every later step works on the same commit. */
  private record Target(String name, String ref, String head) {}

  /**
   * Where the target branch is checked out, and the git folder that holds that checkout's state.
   */
  private record Checkout(Path path, Path gitDir, boolean folderMissing) {}

  /**
   * What {@code git merge-tree} computed: the merged tree, and the conflicting paths (none when
   * clean).
   */
  private record TrialMerge(String tree, List<String> conflicts) {}

  /**
   * @param worktree the task's worktree, whose reflog names the commit to restore a deleted task
   *     branch at; may be null
   */
  MergeResult merge(Path repo, String taskId, String title, String targetBranch, Path worktree) {
    String taskBranch = Names.branch(taskId);
    Optional<String> notABranch = whyNotALocalBranch(repo, targetBranch, taskBranch);
    if (notABranch.isPresent()) {
      return new MergeResult(MergeStatus.TARGET_NOT_A_BRANCH, null, List.of(), notABranch.get());
    }
    String name = shortBranchName(targetBranch);
    Target target = new Target(name, BRANCH_PREFIX + name, commitOf(repo, BRANCH_PREFIX + name));
    String taskHead = taskHead(repo, taskBranch, worktree);

    if (isAncestor(repo, taskHead, target.head())) {
      String mergeCommit = earlierMergeCommit(repo, target, taskHead);
      return new MergeResult(
          MergeStatus.MERGED,
          mergeCommit,
          List.of(),
          taskBranch + " was already merged into " + name + " (" + mergeCommit + ")");
    }

    Path commonDir = GitWorkspace.commonDir(git, repo);
    List<RegisteredWorktree> worktrees = RegisteredWorktree.list(git, repo);
    Optional<Checkout> checkout = checkoutOf(worktrees, commonDir, target);
    Optional<String> blocked =
        checkout.isPresent()
            ? whyCheckoutCannotMerge(checkout.get(), name)
            : whyInUseElsewhere(worktrees, commonDir, target);
    if (blocked.isPresent()) {
      return new MergeResult(MergeStatus.TARGET_DIRTY, null, List.of(), blocked.get());
    }

    TrialMerge trial = trialMerge(repo, target, taskHead);
    if (!trial.conflicts().isEmpty()) {
      return conflict(taskBranch, name, trial.conflicts());
    }
    String message = GitWorkspace.mergeMessage(taskId, title);
    return checkout.isPresent()
        ? mergeInCheckout(checkout.get(), target, taskBranch, message)
        : mergeWithoutCheckout(repo, target, taskBranch, taskHead, trial.tree(), message);
  }

  // --- the target ---

  /**
   * Why {@code requested} cannot be merged into, with what to do instead; empty for a local branch.
   */
  private Optional<String> whyNotALocalBranch(Path repo, String requested, String taskBranch) {
    String mergeYourself =
        "; merge "
            + taskBranch
            + " into a branch yourself with 'git merge --no-ff "
            + taskBranch
            + "'";
    if (requested == null || requested.isBlank()) {
      return Optional.of("the task has no target branch to merge into" + mergeYourself);
    }
    String name = shortBranchName(requested);
    // A leading dash would be read as an option by the commands below that take the bare name.
    if (name.startsWith("-")
        || !git.tryRun(repo, "check-ref-format", BRANCH_PREFIX + name).succeeded()) {
      return Optional.of("'" + requested + "' is not a valid branch name" + mergeYourself);
    }
    if (name.equals(taskBranch)) {
      return Optional.of("the target " + name + " is the task's own branch" + mergeYourself);
    }
    if (refExists(repo, BRANCH_PREFIX + name)) {
      return Optional.empty();
    }
    if (refExists(repo, "refs/tags/" + name)) {
      return Optional.of(
          "'"
              + name
              + "' is a tag, not a branch, so taskwright cannot merge into it"
              + mergeYourself);
    }
    if (refExists(repo, "refs/remotes/" + name)) {
      return Optional.of(
          "'" + name + "' is a remote-tracking branch, not a local branch" + mergeYourself);
    }
    Git.Result commit = git.tryRun(repo, "rev-parse", "--verify", "--quiet", name + "^{commit}");
    if (commit.succeeded()) {
      // A task started from a detached HEAD: completing it would merge nothing, so a person
      // decides.
      throw new WorkspaceNeedsRepairException(
          "there is no branch to merge into: the task's base '"
              + name
              + "' is the commit "
              + commit.out()
              + " (a detached HEAD), not a branch; merge it yourself on the branch you want with"
              + " 'git -C "
              + repo
              + " merge --no-ff "
              + taskBranch
              + "', then abandon the task");
    }
    return Optional.of(
        "there is no branch '"
            + name
            + "' in "
            + repo
            + "; create it with 'git branch "
            + name
            + " <commit>' and accept again, or merge "
            + taskBranch
            + " yourself");
  }

  /** {@code main} for both {@code main} and {@code refs/heads/main}. */
  private static String shortBranchName(String requested) {
    String name = requested.strip();
    return name.startsWith(BRANCH_PREFIX) ? name.substring(BRANCH_PREFIX.length()) : name;
  }

  private String taskHead(Path repo, String taskBranch, Path worktree) {
    Git.Result head =
        git.tryRun(
            repo, "rev-parse", "--verify", "--quiet", BRANCH_PREFIX + taskBranch + "^{commit}");
    if (!head.succeeded()) {
      throw new WorkspaceNeedsRepairException(
          "branch "
              + taskBranch
              + " is gone from "
              + repo
              + ", so there is nothing to merge; restore it with "
              + GitWorkspace.restoreBranchCommand(git, repo, worktree, taskBranch)
              + " and accept again, or abandon the task");
    }
    return head.out();
  }

  // --- an earlier merge ---

  /**
   * The merge commit that brought {@code taskHead} into the target: the newest commit on the
   * target's first-parent line whose second parent is the task's head. When there is none, a person
   * fast-forwarded the target or the task made no commits, and the target's head is the commit that
   * holds the task's work. The walk stops at the task's head, so it reads only the commits made on
   * the target since the task branched.
   */
  private String earlierMergeCommit(Path repo, Target target, String taskHead) {
    List<String> commits =
        git.run(repo, "rev-list", "--first-parent", "--parents", target.head(), "^" + taskHead)
            .stdout()
            .lines()
            .toList();
    for (String line : commits) {
      String[] commitAndParents = line.split(" ");
      if (commitAndParents.length >= 3 && commitAndParents[2].equals(taskHead)) {
        return commitAndParents[0];
      }
    }
    return target.head();
  }

  // --- the checkout ---

  /** The worktree that has the target branch checked out, if any. */
  private static Optional<Checkout> checkoutOf(
      List<RegisteredWorktree> worktrees, Path commonDir, Target target) {
    for (int i = 0; i < worktrees.size(); i++) {
      RegisteredWorktree worktree = worktrees.get(i);
      if (target.ref().equals(worktree.branch())) {
        boolean folderMissing = !Files.isDirectory(worktree.path());
        Path gitDir = folderMissing ? null : gitDirOf(worktree, i == 0, commonDir);
        return Optional.of(new Checkout(worktree.path(), gitDir, folderMissing));
      }
    }
    return Optional.empty();
  }

  private Optional<String> whyCheckoutCannotMerge(Checkout checkout, String name) {
    if (checkout.folderMissing()) {
      return Optional.of(
          name
              + " is checked out in "
              + checkout.path()
              + ", which is missing; restore that folder, or run 'git worktree prune' "
              + "if it is gone for good, then accept again");
    }
    if (checkout.gitDir() == null) {
      return Optional.of(
          name
              + " is checked out in "
              + checkout.path()
              + ", which has lost its link to the repository; run 'git worktree repair "
              + checkout.path()
              + "' in the repository, then accept again");
    }
    Optional<String> operation = operationInProgress(checkout.gitDir());
    if (operation.isPresent()) {
      return Optional.of(
          name
              + " is checked out in "
              + checkout.path()
              + ", which is in the middle of "
              + operation.get()
              + "; finish or abort it there, then accept again");
    }
    List<String> changed =
        GitWorkspace.changedPaths(git.confinedTo(checkout.path()), checkout.path(), false);
    if (!changed.isEmpty()) {
      return Optional.of(
          name
              + " is checked out in "
              + checkout.path()
              + " with local changes ("
              + GitWorkspace.describePaths(changed)
              + "); commit or stash them, then accept again");
    }
    return Optional.empty();
  }

  /**
   * Why the target, checked out nowhere, is still in use: a rebase or bisect of it, during which
   * git shows the worktree's HEAD as detached. Moving the branch under a rebase would lose the
   * merge when the rebase finishes, so this is checked the way git checks it before it lets a
   * branch be changed.
   */
  private static Optional<String> whyInUseElsewhere(
      List<RegisteredWorktree> worktrees, Path commonDir, Target target) {
    for (int i = 0; i < worktrees.size(); i++) {
      RegisteredWorktree worktree = worktrees.get(i);
      Path gitDir =
          Files.isDirectory(worktree.path()) ? gitDirOf(worktree, i == 0, commonDir) : null;
      if (gitDir == null) {
        continue;
      }
      boolean rebasing =
          target.ref().equals(firstLine(gitDir.resolve("rebase-merge/head-name")))
              || target.ref().equals(firstLine(gitDir.resolve("rebase-apply/head-name")));
      boolean bisecting = target.name().equals(firstLine(gitDir.resolve("BISECT_START")));
      if (rebasing || bisecting) {
        return Optional.of(
            target.name()
                + " is being "
                + (rebasing ? "rebased" : "bisected")
                + " in "
                + worktree.path()
                + "; finish or abort that there, then accept again");
      }
    }
    return Optional.empty();
  }

  /**
   * The git folder of a worktree: the common folder for the main worktree, else the folder named by
   * the worktree's {@code .git} file. Read from disk instead of asked of git, because a repository
   * with many task worktrees would otherwise cost a process per worktree.
   */
  private static Path gitDirOf(RegisteredWorktree worktree, boolean mainWorktree, Path commonDir) {
    if (mainWorktree) {
      return commonDir;
    }
    String gitFile = firstLine(worktree.path().resolve(".git"));
    if (gitFile == null || !gitFile.startsWith("gitdir: ")) {
      return null;
    }
    return worktree.path().resolve(gitFile.substring("gitdir: ".length()).strip()).normalize();
  }

  private static Optional<String> operationInProgress(Path gitDir) {
    return OPERATIONS_IN_PROGRESS.stream()
        .filter(marker -> Files.exists(gitDir.resolve(marker.file())))
        .map(OperationMarker::operation)
        .findFirst();
  }

  // --- merging ---

  /**
   * Merges in memory: {@code merge-tree} writes the merged tree (and, on a conflict, a tree with
   * conflict markers that nothing refers to) and exits 1 when there are conflicts, listing each
   * conflicting path once per conflicting stage.
   */
  private TrialMerge trialMerge(Path repo, Target target, String taskHead) {
    Git.Result result =
        git.tryRun(
            repo,
            "merge-tree",
            "--write-tree",
            "--name-only",
            "--no-messages",
            "-z",
            target.head(),
            taskHead);
    if (result.exitCode() != 0 && result.exitCode() != 1) {
      throw new GitCommandException(result.command(), result.exitCode(), result.stderr());
    }
    String[] fields = result.stdout().split("\0");
    Set<String> conflicts = new LinkedHashSet<>();
    for (int i = 1; i < fields.length; i++) {
      if (!fields[i].isEmpty()) {
        conflicts.add(fields[i]);
      }
    }
    if (result.exitCode() == 1 && conflicts.isEmpty()) {
      throw new GitCommandException(
          result.command(),
          1,
          "merge-tree reported a conflict but named no file: " + result.stderr());
    }
    return new TrialMerge(fields[0], List.copyOf(conflicts));
  }

  private MergeResult mergeWithoutCheckout(
      Path repo, Target target, String taskBranch, String taskHead, String tree, String message) {
    List<String> commitTree = GitWorkspace.unattendedCommitOptions(git, repo);
    commitTree.addAll(List.of("commit-tree", tree, "-p", target.head(), "-p", taskHead, "-F", "-"));
    String mergeCommit = git.run(repo, commitTree, message).out();
    // The old value makes this fail, instead of overwriting, when the target moved since it was
    // read; the activity's retry then merges again from where the target is now. The same options
    // as the commit keep the reference-transaction hook off and give the reflog entry an identity.
    List<String> updateRef = GitWorkspace.unattendedCommitOptions(git, repo);
    updateRef.addAll(
        List.of(
            "update-ref",
            "-m",
            "taskwright: merge " + taskBranch,
            target.ref(),
            mergeCommit,
            target.head()));
    git.run(repo, updateRef);
    log.info("Merged {} into {} as {} without a checkout", taskBranch, target.name(), mergeCommit);
    return merged(mergeCommit, taskBranch, target.name(), "");
  }

  private MergeResult mergeInCheckout(
      Checkout checkout, Target target, String taskBranch, String message) {
    Path path = checkout.path();
    Git inCheckout = git.confinedTo(path);
    List<String> command = GitWorkspace.unattendedCommitOptions(inCheckout, path);
    Git.Result merge;
    Path messageFile = writeMessageFile(message);
    try {
      command.addAll(UNATTENDED_MERGE);
      command.addAll(List.of("--file=" + messageFile, BRANCH_PREFIX + taskBranch));
      merge = inCheckout.tryRun(path, command);
    } finally {
      deleteQuietly(messageFile);
    }
    if (merge.succeeded()) {
      String mergeCommit = inCheckout.run(path, "rev-parse", "--verify", "HEAD^{commit}").out();
      log.info("Merged {} into {} as {} in {}", taskBranch, target.name(), mergeCommit, path);
      return merged(mergeCommit, taskBranch, target.name(), " in " + path);
    }
    if (Files.exists(checkout.gitDir().resolve("MERGE_HEAD"))) {
      List<String> conflicts =
          nulSeparated(
              inCheckout.run(path, "diff", "--name-only", "--diff-filter=U", "-z").stdout());
      inCheckout.run(path, "merge", "--abort");
      log.info(
          "Merging {} into {} in {} conflicted although the trial merge did not; aborted",
          taskBranch,
          target.name(),
          path);
      return conflict(taskBranch, target.name(), conflicts);
    }
    if (merge.stderr().contains("would be overwritten by merge")) {
      // Git checks this before it changes anything, so the checkout is as it was.
      String what = merge.stderr().contains("untracked") ? "untracked files" : "local changes";
      return new MergeResult(
          MergeStatus.TARGET_DIRTY,
          null,
          List.of(),
          target.name()
              + " is checked out in "
              + path
              + " with "
              + what
              + " that the merge would overwrite ("
              + GitWorkspace.describePaths(pathsListedIn(merge.stderr()))
              + "); move them away, then accept again");
    }
    throw new GitCommandException(merge.command(), merge.exitCode(), merge.stderr());
  }

  private static MergeResult merged(
      String mergeCommit, String taskBranch, String targetName, String where) {
    return new MergeResult(
        MergeStatus.MERGED,
        mergeCommit,
        List.of(),
        "merged " + taskBranch + " into " + targetName + where + " as " + mergeCommit);
  }

  private static MergeResult conflict(
      String taskBranch, String targetName, List<String> conflicts) {
    return new MergeResult(
        MergeStatus.CONFLICT,
        null,
        conflicts,
        taskBranch
            + " conflicts with "
            + targetName
            + " in "
            + GitWorkspace.describePaths(conflicts)
            + "; nothing was merged, and "
            + targetName
            + " was left as it was");
  }

  // --- small helpers ---

  private boolean refExists(Path repo, String ref) {
    return git.tryRun(repo, "show-ref", "--verify", "--quiet", ref).succeeded();
  }

  private String commitOf(Path repo, String ref) {
    return git.run(repo, "rev-parse", "--verify", ref + "^{commit}").out();
  }

  /** Exit 0: ancestor; exit 1: not; anything else is git failing. */
  private boolean isAncestor(Path repo, String ancestor, String descendant) {
    Git.Result result = git.tryRun(repo, "merge-base", "--is-ancestor", ancestor, descendant);
    if (result.exitCode() != 0 && result.exitCode() != 1) {
      throw new GitCommandException(result.command(), result.exitCode(), result.stderr());
    }
    return result.succeeded();
  }

  /**
   * The merge message goes through a file because {@code git merge} (unlike {@code commit}) cannot
   * read it from stdin, and an argument would lose every non-ASCII character of the title in the
   * POSIX locale (see {@link Git#tryRun(Path, List, String)}).
   */
  private static Path writeMessageFile(String message) {
    try {
      Path file = Files.createTempFile("taskwright-merge-", ".txt");
      Files.writeString(file, message, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the merge message to a temporary file", e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("Could not delete the merge message file {}", file, e);
    }
  }

  /** The paths git lists, one per tab-indented line, under a "would be overwritten" error. */
  private static List<String> pathsListedIn(String stderr) {
    return stderr.lines().filter(line -> line.startsWith("\t")).map(String::strip).toList();
  }

  private static List<String> nulSeparated(String output) {
    return Stream.of(output.split("\0")).filter(field -> !field.isEmpty()).toList();
  }

  /** The first line of a small file git keeps, or null when it does not exist. */
  private static String firstLine(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
      return lines.findFirst().map(String::strip).orElse("");
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
  }
}
