package dev.taskwright.activities.workspace;

import static dev.taskwright.activities.workspace.GitSandbox.failureOf;
import static dev.taskwright.activities.workspace.GitSandbox.read;
import static dev.taskwright.activities.workspace.GitSandbox.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.workflows.model.MergeInput;
import dev.taskwright.workflows.model.MergeResult;
import dev.taskwright.workflows.model.MergeStatus;
import dev.taskwright.workflows.model.PrepareInput;
import dev.taskwright.workflows.model.Workspace;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GitWorkspaceMergeTest {

  private static final String MESSAGE =
      "Merge taskwright/t1: Add a greeting\n\nTaskwright-Task: t1\n\n";

  @RegisterExtension final GitSandbox sandbox = new GitSandbox();
  Path repo;

  @BeforeEach
  void setUp() {
    repo = sandbox.repo;
  }

  // --- clean merges ---

  @Test
  void mergesIntoTheCheckedOutTargetWithAMergeCommitEvenWhenItCouldFastForward() {
    Workspace workspace = prepareFrom("main");
    String taskHead = agentCommits(workspace, "greeting.txt", "hi\n");
    String mainBefore = head("main");

    MergeResult result = merge(workspace, "main");

    assertThat(result.status()).isEqualTo(MergeStatus.MERGED);
    assertThat(result.mergeCommit())
        .isEqualTo(head("main"))
        .isEqualTo(sandbox.git(repo, "rev-parse", "HEAD"));
    assertThat(result.conflictFiles()).isEmpty();
    assertThat(result.message())
        .isEqualTo("merged taskwright/t1 into main in " + repo + " as " + result.mergeCommit());
    assertThat(parentsOf(result.mergeCommit())).containsExactly(mainBefore, taskHead);
    assertThat(messageOf(result.mergeCommit())).isEqualTo(MESSAGE);
    assertThat(read(repo.resolve("greeting.txt"))).isEqualTo("hi\n");
    assertClean(repo);
  }

  @Test
  void mergesABranchCheckedOutNowhereWithoutTouchingAnyCheckout() {
    sandbox.git(repo, "branch", "release");
    Workspace workspace = prepareFrom("release");
    String taskHead = agentCommits(workspace, "greeting.txt", "hi\n");
    String releaseBefore = commitOnBranchCheckedOutNowhere("release", "release-notes.txt");
    String mainBefore = head("main");

    MergeResult result = merge(workspace, "release");

    assertThat(result.status()).isEqualTo(MergeStatus.MERGED);
    assertThat(result.mergeCommit()).isEqualTo(head("release"));
    assertThat(result.message())
        .isEqualTo("merged taskwright/t1 into release as " + result.mergeCommit());
    assertThat(parentsOf(result.mergeCommit())).containsExactly(releaseBefore, taskHead);
    assertThat(messageOf(result.mergeCommit())).isEqualTo(MESSAGE);
    assertThat(sandbox.gitLines(repo, "ls-tree", "-r", "--name-only", result.mergeCommit()))
        .containsExactlyInAnyOrder("README.md", "greeting.txt", "release-notes.txt");
    assertThat(sandbox.git(repo, "reflog", "-1", "--format=%gs", "release"))
        .isEqualTo("taskwright: merge taskwright/t1");
    // The main checkout did not move and did not change.
    assertThat(head("main")).isEqualTo(mainBefore);
    assertThat(sandbox.git(repo, "symbolic-ref", "--short", "HEAD")).isEqualTo("main");
    assertThat(repo.resolve("greeting.txt")).doesNotExist();
    assertClean(repo);
  }

  @Test
  void aFullBranchRefIsAcceptedAsTheTarget() {
    Workspace workspace = taskWithAGreeting();

    MergeResult result = merge(workspace, "refs/heads/main");

    assertThat(result.status()).isEqualTo(MergeStatus.MERGED);
    assertThat(result.mergeCommit()).isEqualTo(head("main"));
  }

  @Test
  void untrackedFilesTheMergeDoesNotTouchDoNotBlockIt() {
    Workspace workspace = taskWithAGreeting();
    write(repo.resolve("notes.txt"), "my own notes\n");

    MergeResult result = merge(workspace, "main");

    assertThat(result.status()).isEqualTo(MergeStatus.MERGED);
    assertThat(read(repo.resolve("notes.txt"))).isEqualTo("my own notes\n");
  }

  @Test
  void hooksDoNotRunAndTaskwrightSignsWhenNoIdentityIsConfigured() throws IOException {
    Workspace workspace = taskWithAGreeting();
    Path marker = sandbox.root.resolve("hook-ran");
    for (String hook :
        List.of("pre-merge-commit", "commit-msg", "post-merge", "reference-transaction")) {
      Path file = repo.resolve(".git/hooks/" + hook);
      write(file, "#!/bin/sh\ntouch '" + marker + "'\nexit 1\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    MergeResult result = merge(workspace, "main");

    assertThat(result.status()).isEqualTo(MergeStatus.MERGED);
    assertThat(marker).doesNotExist();
    assertThat(sandbox.git(repo, "log", "-1", "--format=%an <%ae>|%cn <%ce>", result.mergeCommit()))
        .isEqualTo("taskwright <taskwright@localhost>|taskwright <taskwright@localhost>");
  }

  @Test
  void aTitleOutsideAsciiIsKeptInBothKindsOfMerge() {
    sandbox.git(repo, "branch", "release");
    Workspace toMain = prepareFrom("main");
    agentCommits(toMain, "greeting.txt", "hi\n");
    Workspace toRelease =
        sandbox.activities.prepare(new PrepareInput("t2", repo.toString(), "release", List.of()));
    sandbox.commitFile(Path.of(toRelease.path()), "other.txt", "other\n");

    String intoMain =
        sandbox
            .activities
            .merge(new MergeInput("t1", "Grüße an José — ✓", repo.toString(), "main", toMain))
            .mergeCommit();
    String intoRelease =
        sandbox
            .activities
            .merge(new MergeInput("t2", "Grüße an José — ✓", repo.toString(), "release", toRelease))
            .mergeCommit();

    assertThat(sandbox.git(repo, "log", "-1", "--format=%s", intoMain))
        .isEqualTo("Merge taskwright/t1: Grüße an José — ✓");
    assertThat(sandbox.git(repo, "log", "-1", "--format=%s", intoRelease))
        .isEqualTo("Merge taskwright/t2: Grüße an José — ✓");
  }

  // --- conflicts ---

  @Test
  void aConflictWithTheCheckedOutTargetLeavesTheCheckoutAsItWas() {
    sandbox.commitFile(repo, "other.txt", "one\n");
    Workspace workspace = prepareFrom("main");
    Path worktree = Path.of(workspace.path());
    sandbox.commitFile(worktree, "README.md", "hello from the agent\n");
    sandbox.commitFile(worktree, "other.txt", "agent\n");
    sandbox.commitFile(worktree, "clean.txt", "merges cleanly\n");
    sandbox.commitFile(repo, "README.md", "hello from a person\n");
    sandbox.commitFile(repo, "other.txt", "person\n");
    String mainBefore = head("main");

    MergeResult result = merge(workspace, "main");

    assertThat(result.status()).isEqualTo(MergeStatus.CONFLICT);
    assertThat(result.mergeCommit()).isNull();
    assertThat(result.conflictFiles()).containsExactlyInAnyOrder("README.md", "other.txt");
    assertThat(result.message())
        .isEqualTo(
            "taskwright/t1 conflicts with main in 2 path(s): README.md, other.txt; nothing was"
                + " merged, and main was left as it was");
    assertThat(head("main")).isEqualTo(mainBefore);
    assertNotMidMerge(repo);
    assertClean(repo);
    assertThat(read(repo.resolve("README.md"))).isEqualTo("hello from a person\n");
    assertThat(repo.resolve("clean.txt")).doesNotExist();
  }

  @Test
  void aConflictWithABranchCheckedOutNowhereLeavesItWhereItWas() {
    sandbox.git(repo, "branch", "release");
    Workspace workspace = prepareFrom("release");
    sandbox.commitFile(Path.of(workspace.path()), "README.md", "hello from the agent\n");
    String releaseBefore = commitOnBranchCheckedOutNowhere("release", "README.md");
    String mainBefore = head("main");

    MergeResult result = merge(workspace, "release");

    assertThat(result.status()).isEqualTo(MergeStatus.CONFLICT);
    assertThat(result.conflictFiles()).containsExactly("README.md");
    assertThat(head("release")).isEqualTo(releaseBefore);
    assertThat(head("main")).isEqualTo(mainBefore);
    assertNotMidMerge(repo);
    assertClean(repo);
  }

  /**
   * The trial merge runs in the repository's main worktree; a checkout of the target elsewhere can
   * merge differently (here an uncommitted .gitattributes makes a file binary there), and then the
   * checkout's own conflict must be collected and aborted.
   */
  @Test
  void aConflictOnlyTheTargetsCheckoutSeesIsAbortedThere() {
    sandbox.commitFile(repo, "shared.txt", "1\n2\n3\n4\n5\n6\n");
    sandbox.git(repo, "branch", "release");
    Path releaseCheckout = sandbox.root.resolve("release-checkout");
    sandbox.git(repo, "worktree", "add", "--quiet", releaseCheckout.toString(), "release");
    Workspace workspace = prepareFrom("release");
    sandbox.commitFile(Path.of(workspace.path()), "shared.txt", "ONE\n2\n3\n4\n5\n6\n");
    String releaseBefore =
        sandbox.commitFile(releaseCheckout, "shared.txt", "1\n2\n3\n4\n5\nSIX\n");
    write(releaseCheckout.resolve(".gitattributes"), "shared.txt merge=binary\n");

    MergeResult result = merge(workspace, "release");

    assertThat(result.status()).isEqualTo(MergeStatus.CONFLICT);
    assertThat(result.conflictFiles()).containsExactly("shared.txt");
    assertThat(head("release")).isEqualTo(releaseBefore);
    assertNotMidMerge(releaseCheckout);
    assertThat(sandbox.gitLines(releaseCheckout, "status", "--porcelain"))
        .containsExactly("?? .gitattributes");
    assertThat(read(releaseCheckout.resolve("shared.txt"))).isEqualTo("1\n2\n3\n4\n5\nSIX\n");
  }

  @Test
  void afterTheAgentMergesTheTargetIntoItsBranchTheNextAcceptMerges() {
    Workspace workspace = prepareFrom("main");
    Path worktree = Path.of(workspace.path());
    sandbox.commitFile(worktree, "README.md", "hello from the agent\n");
    sandbox.commitFile(repo, "README.md", "hello from a person\n");
    assertThat(merge(workspace, "main").status()).isEqualTo(MergeStatus.CONFLICT);

    // What the agent does when asked to resolve: merge the target into its branch, fix, commit.
    assertThat(asAPerson(worktree, "merge", "--quiet", "main").succeeded()).isFalse();
    write(worktree.resolve("README.md"), "hello from both\n");
    sandbox.git(worktree, "add", "README.md");
    assertThat(asAPerson(worktree, "commit", "--quiet", "--no-edit").succeeded()).isTrue();
    String resolved = sandbox.git(worktree, "rev-parse", "HEAD");

    MergeResult result = merge(workspace, "main");

    assertThat(result.status()).isEqualTo(MergeStatus.MERGED);
    assertThat(parentsOf(result.mergeCommit())).endsWith(resolved);
    assertThat(read(repo.resolve("README.md"))).isEqualTo("hello from both\n");
    assertClean(repo);
  }

  // --- a target that cannot be merged into now ---

  @Test
  void stagedChangesInTheTargetsCheckoutBlockTheMergeAndStayStaged() {
    Workspace workspace = taskWithAGreeting();
    write(repo.resolve("README.md"), "staged by a person\n");
    sandbox.git(repo, "add", "README.md");
    String mainBefore = head("main");

    MergeResult result = merge(workspace, "main");

    assertThat(result)
        .isEqualTo(
            dirty(
                "main is checked out in "
                    + repo
                    + " with local changes (1 path(s): README.md); commit or stash them, then"
                    + " accept again"));
    assertThat(head("main")).isEqualTo(mainBefore);
    assertThat(sandbox.gitLines(repo, "diff", "--cached", "--name-only"))
        .containsExactly("README.md");
    assertThat(repo.resolve("greeting.txt")).doesNotExist();
  }

  @Test
  void unstagedChangesInTheTargetsCheckoutBlockTheMergeAndAreKept() {
    Workspace workspace = taskWithAGreeting();
    write(repo.resolve("README.md"), "edited by a person\n");
    String mainBefore = head("main");

    MergeResult result = merge(workspace, "main");

    assertThat(result.status()).isEqualTo(MergeStatus.TARGET_DIRTY);
    assertThat(result.message())
        .startsWith(
            "main is checked out in " + repo + " with local changes (1 path(s): README.md)");
    assertThat(head("main")).isEqualTo(mainBefore);
    assertThat(read(repo.resolve("README.md"))).isEqualTo("edited by a person\n");
  }

  @Test
  void anUntrackedFileTheMergeWouldOverwriteIsReportedAndKept() {
    Workspace workspace = taskWithAGreeting();
    write(repo.resolve("greeting.txt"), "a person's draft\n");
    String mainBefore = head("main");

    MergeResult result = merge(workspace, "main");

    assertThat(result)
        .isEqualTo(
            dirty(
                "main is checked out in "
                    + repo
                    + " with untracked files that the merge would overwrite (1 path(s):"
                    + " greeting.txt); move them away, then accept again"));
    assertThat(head("main")).isEqualTo(mainBefore);
    assertThat(read(repo.resolve("greeting.txt"))).isEqualTo("a person's draft\n");
    assertNotMidMerge(repo);
  }

  @Test
  void aCheckoutAlreadyMidMergeIsRefusedAndLeftMidMerge() {
    Workspace workspace = taskWithAGreeting();
    String otherHead = mainAndOtherChangeTheReadme();
    assertThat(asAPerson(repo, "merge", "other").succeeded())
        .as("a person's merge stops on a conflict")
        .isFalse();
    String mainBefore = head("main");

    MergeResult result = merge(workspace, "main");

    assertThat(result)
        .isEqualTo(
            dirty(
                "main is checked out in "
                    + repo
                    + ", which is in the middle of a merge; finish or abort it there, then accept"
                    + " again"));
    assertThat(head("main")).isEqualTo(mainBefore);
    assertThat(sandbox.git(repo, "rev-parse", "MERGE_HEAD")).isEqualTo(otherHead);
    assertThat(sandbox.gitLines(repo, "diff", "--name-only", "--diff-filter=U"))
        .containsExactly("README.md");
  }

  @Test
  void aTargetBeingRebasedIsRefusedAlthoughItsHeadIsDetached() {
    Workspace workspace = taskWithAGreeting();
    mainAndOtherChangeTheReadme();
    assertThat(asAPerson(repo, "rebase", "other").succeeded())
        .as("a person's rebase stops on a conflict")
        .isFalse();
    String mainBefore = head("main");

    MergeResult result = merge(workspace, "main");

    assertThat(result)
        .isEqualTo(
            dirty(
                "main is being rebased in "
                    + repo
                    + "; finish or abort that there, then accept again"));
    assertThat(head("main")).isEqualTo(mainBefore);
    assertThat(repo.resolve(".git/rebase-merge")).isDirectory();
  }

  @Test
  void aTagIsNotABranch() {
    Workspace workspace = taskWithAGreeting();
    sandbox.git(repo, "tag", "v1");

    assertNotABranch(
        merge(workspace, "v1"),
        "'v1' is a tag, not a branch, so taskwright cannot merge into it; "
            + "merge taskwright/t1 into a branch yourself with 'git merge --no-ff taskwright/t1'");
  }

  @Test
  void aTaskStartedFromADetachedHeadNeedsAPersonInsteadOfCompletingWithNothingMerged() {
    Workspace workspace = taskWithAGreeting();
    String sha = head("main");

    ApplicationFailure failure = failureOf(() -> merge(workspace, sha));

    GitWorkspacePrepareTest.assertNeedsRepair(
        failure,
        "there is no branch to merge into: the task's base '"
            + sha
            + "' is the commit "
            + sha
            + " (a detached HEAD), not a branch; "
            + "merge it yourself on the branch you want with 'git -C "
            + repo
            + " merge --no-ff taskwright/t1', then abandon the task");
    assertThat(head("main")).isEqualTo(sha);
  }

  @Test
  void aMissingBranchIsNotABranch() {
    Workspace workspace = taskWithAGreeting();

    assertNotABranch(
        merge(workspace, "develop"),
        "there is no branch 'develop' in "
            + repo
            + "; create it with 'git branch develop <commit>' and accept again, or merge"
            + " taskwright/t1 yourself");
  }

  @Test
  void aNameNoBranchCanHaveIsNotABranch() {
    Workspace workspace = taskWithAGreeting();

    assertNotABranch(merge(workspace, "--force"), "'--force' is not a valid branch name;");
    assertNotABranch(
        merge(workspace, "main..taskwright/t1"),
        "'main..taskwright/t1' is not a valid branch name;");
    assertNotABranch(merge(workspace, " "), "the task has no target branch to merge into;");
  }

  // --- idempotency ---

  @Test
  void mergingTwiceIntoTheCheckoutMakesOneMergeCommit() {
    Workspace workspace = taskWithAGreeting();

    MergeResult first = merge(workspace, "main");
    MergeResult second = merge(workspace, "main");

    assertThat(second.status()).isEqualTo(MergeStatus.MERGED);
    assertThat(second.mergeCommit()).isEqualTo(first.mergeCommit());
    assertThat(second.message())
        .isEqualTo("taskwright/t1 was already merged into main (" + first.mergeCommit() + ")");
    assertThat(sandbox.gitLines(repo, "rev-list", "--merges", "main"))
        .containsExactly(first.mergeCommit());
  }

  @Test
  void mergingTwiceWithoutACheckoutMakesOneMergeCommit() {
    sandbox.git(repo, "branch", "release");
    Workspace workspace = prepareFrom("release");
    agentCommits(workspace, "greeting.txt", "hi\n");

    MergeResult first = merge(workspace, "release");
    MergeResult second = merge(workspace, "release");

    assertThat(second.mergeCommit()).isEqualTo(first.mergeCommit());
    assertThat(sandbox.gitLines(repo, "rev-list", "--merges", "release"))
        .containsExactly(first.mergeCommit());
  }

  /**
   * An attempt that made the merge commit and died before it reported it; the target has moved on
   * since.
   */
  @Test
  void aMergeMadeBeforeACrashIsFoundAfterTheTargetMovedOnAndItsCheckoutChanged() {
    Workspace workspace = taskWithAGreeting();
    String earlier = merge(workspace, "main").mergeCommit();
    sandbox.commitFile(repo, "later.txt", "a person's later work\n");
    write(repo.resolve("README.md"), "edited by a person\n");

    MergeResult result = merge(workspace, "main");

    assertThat(result.status()).isEqualTo(MergeStatus.MERGED);
    assertThat(result.mergeCommit()).isEqualTo(earlier);
    assertThat(sandbox.gitLines(repo, "rev-list", "--merges", "main")).containsExactly(earlier);
  }

  @Test
  void aBranchAPersonFastForwardedIsReportedAsMergedAtTheTargetsHead() {
    Workspace workspace = prepareFrom("main");
    String taskHead = agentCommits(workspace, "greeting.txt", "hi\n");
    sandbox.git(repo, "merge", "--quiet", "--ff-only", "taskwright/t1");

    MergeResult result = merge(workspace, "main");

    assertThat(result.status()).isEqualTo(MergeStatus.MERGED);
    assertThat(result.mergeCommit()).isEqualTo(taskHead);
    assertThat(sandbox.gitLines(repo, "rev-list", "--merges", "main")).isEmpty();
  }

  // --- input problems ---

  @Test
  void aTaskBranchThatIsGoneWithItsWorktreeNeedsAPerson() {
    Workspace workspace = prepareFrom("main");
    sandbox.git(repo, "worktree", "remove", workspace.path());
    sandbox.git(repo, "branch", "-D", "taskwright/t1");

    GitWorkspacePrepareTest.assertNeedsRepair(
        failureOf(() -> merge(workspace, "main")),
        "branch taskwright/t1 is gone from "
            + repo
            + ", so there is nothing to merge; restore it with 'git -C "
            + repo
            + " branch taskwright/t1 <its last commit>' and accept again, or abandon the task");
  }

  @Test
  void aTaskBranchDeletedWhileReadyIsRestoredByTheCommandNamedAndThenMerged() {
    Workspace workspace = taskWithAGreeting();
    String taskHead = head("taskwright/t1");
    sandbox.git(repo, "update-ref", "-d", "refs/heads/taskwright/t1");

    ApplicationFailure failure = failureOf(() -> merge(workspace, "main"));

    String restore = "git -C " + repo + " branch taskwright/t1 " + taskHead;
    GitWorkspacePrepareTest.assertNeedsRepair(
        failure,
        "branch taskwright/t1 is gone from "
            + repo
            + ", so there is nothing to merge; restore it with '"
            + restore
            + "'");

    sandbox.git(repo, "branch", "taskwright/t1", taskHead);
    MergeResult result = merge(workspace, "main");

    assertThat(result.status()).isEqualTo(MergeStatus.MERGED);
    assertThat(parentsOf(head("main")))
        .containsExactly(sandbox.git(repo, "rev-parse", "main^1"), taskHead);
  }

  // --- helpers ---

  private Workspace prepareFrom(String base) {
    return sandbox.activities.prepare(new PrepareInput("t1", repo.toString(), base, List.of()));
  }

  private MergeResult merge(Workspace workspace, String target) {
    return sandbox.activities.merge(
        new MergeInput("t1", "Add a greeting", repo.toString(), target, workspace));
  }

  /** The task t1, started from main, with one commit of the agent's that adds greeting.txt. */
  private Workspace taskWithAGreeting() {
    Workspace workspace = prepareFrom("main");
    agentCommits(workspace, "greeting.txt", "hi\n");
    return workspace;
  }

  /**
   * Branches other from main, then changes README.md differently on each, so that merging or
   * rebasing one onto the other stops on a conflict; returns other's head. Main stays checked out.
   */
  private String mainAndOtherChangeTheReadme() {
    sandbox.git(repo, "branch", "other");
    sandbox.commitFile(repo, "README.md", "main's line\n");
    sandbox.git(repo, "switch", "--quiet", "other");
    String otherHead = sandbox.commitFile(repo, "README.md", "other's line\n");
    sandbox.git(repo, "switch", "--quiet", "main");
    return otherHead;
  }

  /** Runs git with an identity, as a person (or the agent) at a terminal would. */
  private Git.Result asAPerson(Path dir, String... args) {
    List<String> command =
        new ArrayList<>(List.of("-c", "user.name=Person", "-c", "user.email=person@example.com"));
    command.addAll(List.of(args));
    return sandbox.git.tryRun(dir, command);
  }

  /**
   * Commits a file in the task's worktree as the agent would; returns the task branch's new head.
   */
  private String agentCommits(Workspace workspace, String name, String content) {
    return sandbox.commitFile(Path.of(workspace.path()), name, content);
  }

  /**
   * Moves a branch that no worktree has checked out by one commit, through a short-lived worktree.
   */
  private String commitOnBranchCheckedOutNowhere(String branch, String file) {
    Path elsewhere = sandbox.root.resolve("short-lived");
    sandbox.git(repo, "worktree", "add", "--quiet", elsewhere.toString(), branch);
    String commit = sandbox.commitFile(elsewhere, file, "from " + branch + "\n");
    sandbox.git(repo, "worktree", "remove", elsewhere.toString());
    return commit;
  }

  private String head(String branch) {
    return sandbox.git(repo, "rev-parse", "refs/heads/" + branch);
  }

  private List<String> parentsOf(String commit) {
    return List.of(sandbox.git(repo, "log", "-1", "--format=%P", commit).split(" "));
  }

  private String messageOf(String commit) {
    return sandbox.git.run(repo, "log", "-1", "--format=%B", commit).stdout();
  }

  private void assertNotMidMerge(Path checkout) {
    Path mergeHead =
        checkout.resolve(sandbox.git(checkout, "rev-parse", "--git-path", "MERGE_HEAD"));
    assertThat(mergeHead).doesNotExist();
  }

  private void assertClean(Path checkout) {
    assertThat(sandbox.git(checkout, "status", "--porcelain")).isEmpty();
  }

  private static MergeResult dirty(String message) {
    return new MergeResult(MergeStatus.TARGET_DIRTY, null, List.of(), message);
  }

  private void assertNotABranch(MergeResult result, String messageStart) {
    assertThat(result.status()).isEqualTo(MergeStatus.TARGET_NOT_A_BRANCH);
    assertThat(result.mergeCommit()).isNull();
    assertThat(result.message()).startsWith(messageStart);
    assertThat(sandbox.gitLines(repo, "rev-list", "--merges", "--all")).isEmpty();
    assertClean(repo);
  }
}
