package dev.taskwright.activities.workspace;

import static dev.taskwright.activities.workspace.GitSandbox.failureOf;
import static dev.taskwright.activities.workspace.GitSandbox.read;
import static dev.taskwright.activities.workspace.GitSandbox.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.workflows.FailureType;
import dev.taskwright.workflows.model.PrepareInput;
import dev.taskwright.workflows.model.Workspace;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GitWorkspacePrepareTest {

  @RegisterExtension final GitSandbox sandbox = new GitSandbox();
  Path repo;

  @BeforeEach
  void setUp() {
    repo = sandbox.repo;
  }

  private Workspace prepare(String taskId, String baseRef) {
    return sandbox.activities.prepare(
        new PrepareInput(taskId, repo.toString(), baseRef, List.of()));
  }

  @Test
  void createsTheWorktreeOnTheTaskBranchFromTheBase() {
    String tagged = sandbox.git(repo, "rev-parse", "HEAD");
    sandbox.git(repo, "tag", "v1");
    sandbox.commitFile(repo, "later.txt", "after the tag\n");

    Workspace workspace = prepare("t1", "v1");

    Path path = Path.of(workspace.path());
    assertThat(path).isEqualTo(sandbox.expectedWorktree(repo, "t1"));
    assertThat(path.getParent().getFileName().toString()).matches("project-[0-9a-f]{8}");
    assertThat(workspace.branch()).isEqualTo("taskwright/t1");
    assertThat(workspace.baseCommit()).isEqualTo(tagged);
    assertThat(workspace.host()).isEqualTo(GitSandbox.HOST);
    assertThat(sandbox.git(path, "symbolic-ref", "--short", "HEAD")).isEqualTo("taskwright/t1");
    assertThat(sandbox.git(path, "rev-parse", "HEAD")).isEqualTo(tagged);
    assertThat(read(path.resolve("README.md"))).isEqualTo("hello\n");
    assertThat(path.resolve("later.txt")).doesNotExist();
    assertThat(sandbox.git(repo, "config", "--get", "branch.taskwright/t1.taskwrightBase"))
        .isEqualTo(tagged);
  }

  @Test
  void withoutABaseRefStartsFromTheCheckedOutBranch() {
    String head = sandbox.git(repo, "rev-parse", "HEAD");

    assertThat(prepare("t1", null).baseCommit()).isEqualTo(head);
  }

  @Test
  void preparingTwiceReturnsTheSameWorkspace() {
    Workspace first = prepare("t1", "main");
    Workspace second = prepare("t1", "main");

    assertThat(second).isEqualTo(first);
    assertThat(sandbox.gitLines(repo, "worktree", "list", "--porcelain"))
        .filteredOn(line -> line.startsWith("worktree "))
        .containsExactly("worktree " + repo, "worktree " + first.path());
  }

  @Test
  void theBaseCommitStaysTheSameWhenTheBaseBranchMovesBetweenAttempts() {
    Workspace first = prepare("t1", "main");
    String moved = sandbox.commitFile(repo, "moved.txt", "main moved on\n");

    Workspace retried = prepare("t1", "main");

    assertThat(retried.baseCommit()).isEqualTo(first.baseCommit()).isNotEqualTo(moved);
  }

  @Test
  void aBaseRecordedByACrashedAttemptIsUsedEvenAfterTheBaseBranchMoved() {
    // The crashed attempt recorded the base and died before it created the branch.
    String original = sandbox.git(repo, "rev-parse", "HEAD");
    sandbox.git(repo, "config", "branch.taskwright/t1.taskwrightBase", original);
    sandbox.commitFile(repo, "moved.txt", "main moved on\n");

    Workspace workspace = prepare("t1", "main");

    assertThat(workspace.baseCommit()).isEqualTo(original);
    assertThat(sandbox.git(Path.of(workspace.path()), "rev-parse", "HEAD")).isEqualTo(original);
  }

  @Test
  void aBranchWithoutItsWorktreeGetsTheWorktreeBackWithItsCommits() {
    Workspace first = prepare("t1", "main");
    Path path = Path.of(first.path());
    String agentCommit = sandbox.commitFile(path, "agent.txt", "work\n");
    sandbox.git(repo, "worktree", "remove", path.toString());

    Workspace second = prepare("t1", "main");

    assertThat(second).isEqualTo(first);
    assertThat(sandbox.git(path, "rev-parse", "HEAD")).isEqualTo(agentCommit);
    assertThat(read(path.resolve("agent.txt"))).isEqualTo("work\n");
  }

  @Test
  void aRegisteredWorktreeWhoseFolderIsGoneIsCreatedAgain() throws IOException {
    Workspace first = prepare("t1", "main");
    Path path = Path.of(first.path());
    String agentCommit = sandbox.commitFile(path, "agent.txt", "work\n");
    GitSandbox.deleteRecursively(path);

    Workspace second = prepare("t1", "main");

    assertThat(second).isEqualTo(first);
    assertThat(sandbox.git(path, "rev-parse", "HEAD")).isEqualTo(agentCommit);
    assertThat(sandbox.gitLines(repo, "worktree", "list", "--porcelain"))
        .noneMatch(line -> line.startsWith("prunable"))
        .filteredOn(line -> line.startsWith("worktree "))
        .hasSize(2);
  }

  @Test
  void anExistingWorktreeIsReusedWithTheWorkInIt() {
    Workspace first = prepare("t1", "main");
    Path path = Path.of(first.path());
    write(path.resolve("README.md"), "edited by the agent\n");
    write(path.resolve("new.txt"), "untracked\n");

    Workspace second = prepare("t1", "main");

    assertThat(second).isEqualTo(first);
    assertThat(read(path.resolve("README.md"))).isEqualTo("edited by the agent\n");
    assertThat(read(path.resolve("new.txt"))).isEqualTo("untracked\n");
  }

  @Test
  void aCheckoutInterruptedByACrashIsFinishedInsteadOfLookingLikeDeletedFiles() {
    // What "git worktree add" leaves when it dies before checking files out: the branch, the
    // registration with its "initializing" lock, and a folder without the files.
    String base = sandbox.git(repo, "rev-parse", "HEAD");
    sandbox.git(repo, "config", "branch.taskwright/t1.taskwrightBase", base);
    Path path = sandbox.expectedWorktree(repo, "t1");
    sandbox.git(
        repo,
        "worktree",
        "add",
        "--quiet",
        "--no-checkout",
        "--lock",
        "--reason",
        "initializing",
        "-b",
        "taskwright/t1",
        path.toString(),
        base);
    assertThat(sandbox.git(path, "status", "--porcelain")).isNotEmpty();

    Workspace workspace = prepare("t1", "main");

    assertThat(Path.of(workspace.path())).isEqualTo(path);
    assertThat(sandbox.git(path, "status", "--porcelain")).isEmpty();
    assertThat(read(path.resolve("README.md"))).isEqualTo("hello\n");
    assertThat(sandbox.gitLines(repo, "worktree", "list", "--porcelain"))
        .noneMatch(line -> line.startsWith("locked"));
  }

  @Test
  void aFolderOfTheUserInTheWayIsNeverTouched() {
    Path path = sandbox.expectedWorktree(repo, "t1");
    write(path.resolve("mine.txt"), "precious\n");

    ApplicationFailure failure = failureOf(() -> prepare("t1", "main"));

    assertInvalidInput(failure, path + " already exists and is not the worktree of task t1");
    assertThat(read(path.resolve("mine.txt"))).isEqualTo("precious\n");
    assertThat(path.resolve(".git")).doesNotExist();
    assertThat(sandbox.branchExists(repo, "taskwright/t1")).isFalse();
  }

  @Test
  void anEmptyFolderInTheWayIsUsed() throws IOException {
    Path path = sandbox.expectedWorktree(repo, "t1");
    Files.createDirectories(path);

    assertThat(prepare("t1", "main").path()).isEqualTo(path.toString());
    assertThat(path.resolve("README.md")).exists();
  }

  @Test
  void aTaskBranchThatTaskwrightDidNotCreateIsLeftAlone() {
    sandbox.git(repo, "branch", "taskwright/t1");

    ApplicationFailure failure = failureOf(() -> prepare("t1", "main"));

    assertInvalidInput(
        failure,
        "branch taskwright/t1 already exists in " + repo + " but taskwright did not create it");
  }

  @Test
  void aTaskBranchCheckedOutInTheUsersCheckoutIsReported() {
    Workspace first = prepare("t1", "main");
    sandbox.git(repo, "worktree", "remove", first.path());
    sandbox.git(repo, "checkout", "--quiet", "taskwright/t1");

    ApplicationFailure failure = failureOf(() -> prepare("t1", "main"));

    assertInvalidInput(failure, "branch taskwright/t1 is checked out in " + repo);
    assertThat(sandbox.git(repo, "symbolic-ref", "--short", "HEAD")).isEqualTo("taskwright/t1");
  }

  @Test
  void twoRepositoriesWithTheSameNameDoNotCollide() {
    Path other = sandbox.newRepo("elsewhere/project");
    sandbox.commitFile(other, "other.txt", "the other one\n");

    Workspace mine = prepare("t1", "main");
    Workspace theirs =
        sandbox.activities.prepare(new PrepareInput("t1", other.toString(), "main", List.of()));

    assertThat(mine.path()).isNotEqualTo(theirs.path());
    assertThat(Path.of(theirs.path()).resolve("other.txt")).exists();
    assertThat(Path.of(mine.path()).resolve("other.txt")).doesNotExist();
  }

  @Test
  void aFolderInsideTheRepositoryNamesTheRepository() throws IOException {
    Path inside = Files.createDirectories(repo.resolve("src/main"));

    Workspace workspace =
        sandbox.activities.prepare(new PrepareInput("t1", inside.toString(), "main", List.of()));

    assertThat(Path.of(workspace.path())).isEqualTo(sandbox.expectedWorktree(repo, "t1"));
  }

  @Test
  void aMissingRepositoryIsInvalidInput() {
    Path missing = sandbox.root.resolve("nowhere");

    ApplicationFailure failure =
        failureOf(
            () ->
                sandbox.activities.prepare(
                    new PrepareInput("t1", missing.toString(), "main", List.of())));

    assertInvalidInput(failure, "repository path " + missing + " does not exist");
  }

  @Test
  void aFileAsTheRepositoryIsInvalidInput() {
    Path file = sandbox.root.resolve("file.txt");
    write(file, "not a folder");

    ApplicationFailure failure =
        failureOf(
            () ->
                sandbox.activities.prepare(
                    new PrepareInput("t1", file.toString(), "main", List.of())));

    assertInvalidInput(failure, "repository path " + file + " is a file");
  }

  @Test
  void aFolderOutsideGitIsInvalidInput() throws IOException {
    Path plain = Files.createDirectories(sandbox.root.resolve("plain"));

    ApplicationFailure failure =
        failureOf(
            () ->
                sandbox.activities.prepare(
                    new PrepareInput("t1", plain.toString(), "main", List.of())));

    assertInvalidInput(failure, plain + " is not a git repository; run 'git init' there");
  }

  @Test
  void anUnknownBaseRefIsInvalidInput() {
    ApplicationFailure failure = failureOf(() -> prepare("t1", "no-such-branch"));

    assertInvalidInput(
        failure,
        "base ref 'no-such-branch' not found in "
            + repo
            + "; use a branch, tag or commit that exists");
    assertThat(sandbox.branchExists(repo, "taskwright/t1")).isFalse();
  }

  @Test
  void aTaskIdThatIsNotASafePathSegmentIsInvalidInput() {
    ApplicationFailure failure = failureOf(() -> prepare("../escape", "main"));

    assertInvalidInput(failure, "task ID '../escape' cannot name a worktree");
    assertThat(sandbox.home.root().resolve("escape")).doesNotExist();
  }

  @Test
  void aSubtaskIdIsAccepted() {
    assertThat(prepare("parent.1", "main").branch()).isEqualTo("taskwright/parent.1");
  }

  static void assertInvalidInput(ApplicationFailure failure, String messageStart) {
    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_INPUT.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).startsWith(messageStart);
  }

  /**
   * A failure that waits for a person: WORKSPACE_NEEDS_REPAIR, not retried, with the message given.
   */
  static void assertNeedsRepair(ApplicationFailure failure, String messageStart) {
    assertThat(failure.getType()).isEqualTo(FailureType.WORKSPACE_NEEDS_REPAIR.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).startsWith(messageStart);
  }
}
