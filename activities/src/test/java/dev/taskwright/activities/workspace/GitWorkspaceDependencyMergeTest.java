package dev.taskwright.activities.workspace;

import static dev.taskwright.activities.workspace.GitSandbox.failureOf;
import static dev.taskwright.activities.workspace.GitSandbox.read;
import static dev.taskwright.activities.workspace.GitSandbox.write;
import static dev.taskwright.activities.workspace.GitWorkspacePrepareTest.assertInvalidInput;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.workflows.model.CommitInput;
import dev.taskwright.workflows.model.CommitResult;
import dev.taskwright.workflows.model.PrepareInput;
import dev.taskwright.workflows.model.Workspace;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code prepare} with {@code alsoMerge}: a new task branch built from the results of several
 * dependencies.
 */
class GitWorkspaceDependencyMergeTest {

  @RegisterExtension final GitSandbox sandbox = new GitSandbox();
  Path repo;
  String depA;
  String depB;
  String depC;

  @BeforeEach
  void setUp() {
    repo = sandbox.repo;
    depA = dependencyResult("a", "a.txt", "from a\n");
    depB = dependencyResult("b", "b.txt", "from b\n");
    depC = dependencyResult("c", "c.txt", "from c\n");
  }

  /** A commit like the one task {@code taskId} leaves on its branch, made from main. */
  private String dependencyResult(String taskId, String file, String content) {
    sandbox.git(repo, "checkout", "--quiet", "-b", "taskwright/" + taskId, "main");
    write(repo.resolve(file), content);
    sandbox.git(repo, "add", file);
    sandbox.commitStaged(repo, "taskwright(" + taskId + "): work\n\nTaskwright-Task: " + taskId);
    String head = sandbox.git(repo, "rev-parse", "HEAD");
    sandbox.git(repo, "checkout", "--quiet", "main");
    return head;
  }

  private Workspace prepare(String taskId, String baseRef, List<String> alsoMerge) {
    return sandbox.activities.prepare(
        new PrepareInput(taskId, repo.toString(), baseRef, alsoMerge));
  }

  @Test
  void mergesEachFurtherDependencyIntoTheNewBranchInOrder() {
    Workspace workspace = prepare("d", depA, List.of(depB, depC));

    Path worktree = Path.of(workspace.path());
    assertThat(workspace.baseCommit()).isEqualTo(depA);
    assertThat(read(worktree.resolve("a.txt"))).isEqualTo("from a\n");
    assertThat(read(worktree.resolve("b.txt"))).isEqualTo("from b\n");
    assertThat(read(worktree.resolve("c.txt"))).isEqualTo("from c\n");
    assertThat(
            sandbox.gitLines(
                worktree, "log", "--first-parent", "--format=%P|%an|%s", depA + "..HEAD"))
        .containsExactly(
            sandbox.git(worktree, "rev-parse", "HEAD~1")
                + " "
                + depC
                + "|taskwright|taskwright(d): merge dependency "
                + depC,
            depA + " " + depB + "|taskwright|taskwright(d): merge dependency " + depB);
    assertThat(sandbox.git(worktree, "status", "--porcelain")).isEmpty();
    assertThat(sandbox.git(repo, "config", "--get", "branch.taskwright/d.taskwrightMerges"))
        .isEqualTo(depB + " " + depC);
  }

  @Test
  void theTaskCommitsAreItsMergesAndItsOwnWorkNotTheDependencies() {
    Workspace workspace = prepare("d", depA, List.of(depB));
    Path worktree = Path.of(workspace.path());
    String merge = sandbox.git(worktree, "rev-parse", "HEAD");
    write(worktree.resolve("d.txt"), "from d\n");

    CommitResult result = sandbox.activities.commit(new CommitInput("d", "Combine", workspace));

    assertThat(result.commits()).containsExactly(merge, result.head());
    assertThat(result.commits()).doesNotContain(depA, depB);
  }

  @Test
  void aRetriedPrepareMergesNothingTwice() {
    Workspace first = prepare("d", depA, List.of(depB, depC));
    String head = sandbox.git(Path.of(first.path()), "rev-parse", "HEAD");

    Workspace second = prepare("d", depA, List.of(depB, depC));

    assertThat(second).isEqualTo(first);
    assertThat(sandbox.git(Path.of(second.path()), "rev-parse", "HEAD")).isEqualTo(head);
  }

  @Test
  void mergesThatACrashInterruptedAreMadeByTheRetry() {
    Workspace first = prepare("d", depA, List.of(depB, depC));
    Path worktree = Path.of(first.path());
    // As if the first attempt died after creating the worktree and while merging the first result.
    sandbox.git(worktree, "reset", "--hard", "--quiet", depA);
    sandbox.git(
        worktree,
        "-c",
        "user.name=x",
        "-c",
        "user.email=x@example.com",
        "merge",
        "--quiet",
        "--no-ff",
        "--no-commit",
        depB);
    assertThat(worktree.resolve("b.txt")).exists();

    Workspace retried = prepare("d", depA, List.of(depB, depC));

    assertThat(retried).isEqualTo(first);
    assertThat(sandbox.gitLines(worktree, "log", "--first-parent", "--format=%s", depA + "..HEAD"))
        .containsExactly(
            "taskwright(d): merge dependency " + depC, "taskwright(d): merge dependency " + depB);
    assertThat(sandbox.git(worktree, "status", "--porcelain")).isEmpty();
  }

  @Test
  void aResultAlreadyInTheBaseIsNotMergedAgain() {
    // A dependency that built on a's result: a's result needs no merge of its own.
    sandbox.git(repo, "checkout", "--quiet", "-b", "ahead", depA);
    String ahead = sandbox.commitFile(repo, "more.txt", "more\n");
    sandbox.git(repo, "checkout", "--quiet", "main");

    Workspace workspace = prepare("d", ahead, List.of(depA));

    assertThat(sandbox.git(Path.of(workspace.path()), "rev-parse", "HEAD")).isEqualTo(ahead);
  }

  @Test
  void aBranchThatAlreadyExistedKeepsTheOriginItWasCreatedWith() {
    Workspace first = prepare("d", depA, List.of());

    Workspace second = prepare("d", depA, List.of(depB));

    assertThat(second).isEqualTo(first);
    assertThat(sandbox.git(Path.of(second.path()), "rev-parse", "HEAD")).isEqualTo(depA);
  }

  @Test
  void conflictingResultsFailWithTheCommitsAndFilesAndLeaveTheWorktreeClean() {
    String left = dependencyResult("left", "shared.txt", "left\n");
    String right = dependencyResult("right", "shared.txt", "right\n");

    ApplicationFailure failure = failureOf(() -> prepare("d", left, List.of(depB, right)));

    assertInvalidInput(
        failure,
        "the results of dependencies task left ("
            + left.substring(0, 10)
            + "), task b ("
            + depB.substring(0, 10)
            + ") and task right ("
            + right.substring(0, 10)
            + ") conflict in 1 path(s): shared.txt");
    Path worktree = sandbox.expectedWorktree(repo, "d");
    assertThat(sandbox.git(worktree, "rev-parse", "HEAD"))
        .isEqualTo(sandbox.git(repo, "rev-parse", "taskwright/d"));
    // Left where this call found the branch: on its base, without the merge that succeeded either.
    assertThat(sandbox.git(worktree, "rev-parse", "HEAD")).isEqualTo(left);
    assertThat(sandbox.git(worktree, "status", "--porcelain")).isEmpty();
    assertThat(read(worktree.resolve("shared.txt"))).isEqualTo("left\n");
    assertThat(worktree.resolve("b.txt")).doesNotExist();
  }

  @Test
  void aConflictIsReportedAgainOnRetryWithoutChangingAnything() {
    String left = dependencyResult("left", "shared.txt", "left\n");
    String right = dependencyResult("right", "shared.txt", "right\n");
    failureOf(() -> prepare("d", left, List.of(right)));

    ApplicationFailure again = failureOf(() -> prepare("d", left, List.of(right)));

    assertInvalidInput(again, "the results of dependencies task left");
    assertThat(again.getOriginalMessage()).contains("shared.txt");
    assertThat(sandbox.git(sandbox.expectedWorktree(repo, "d"), "rev-parse", "HEAD"))
        .isEqualTo(left);
  }

  @Test
  void aResultThatIsNotACommitIsRejected() {
    ApplicationFailure failure =
        failureOf(() -> prepare("d", depA, List.of("0123456789abcdef0123456789abcdef01234567")));

    assertInvalidInput(
        failure,
        "the dependency result 0123456789abcdef0123456789abcdef01234567 is not a commit in "
            + repo);
    assertThat(sandbox.branchExists(repo, "taskwright/d")).isFalse();
  }
}
