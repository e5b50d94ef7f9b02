package dev.taskwright.activities.workspace;

import static dev.taskwright.activities.workspace.GitSandbox.failureOf;
import static dev.taskwright.activities.workspace.GitSandbox.write;
import static dev.taskwright.activities.workspace.GitWorkspacePrepareTest.assertInvalidInput;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.workflows.FailureType;
import dev.taskwright.workflows.model.CommitInput;
import dev.taskwright.workflows.model.CommitResult;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

class GitWorkspaceCommitTest extends OneWorktreeTest {

  private CommitResult commit() {
    return sandbox.activities.commit(new CommitInput("t1", "Add a greeting", workspace));
  }

  @Test
  void commitsEveryChangeWithTheTaskMessageAndTrailer() {
    write(worktree.resolve("README.md"), "hello, edited\n");
    write(worktree.resolve("docs/new.txt"), "untracked\n");

    CommitResult result = commit();

    String head = sandbox.git(worktree, "rev-parse", "HEAD");
    assertThat(result.commits()).containsExactly(head);
    assertThat(result.head()).isEqualTo(head);
    assertThat(sandbox.git.run(worktree, "log", "-1", "--format=%B").stdout())
        .isEqualTo("taskwright(t1): Add a greeting\n\nTaskwright-Task: t1\n\n");
    assertThat(
            sandbox.git(
                worktree, "log", "-1", "--format=%(trailers:key=Taskwright-Task,valueonly)"))
        .isEqualTo("t1");
    assertThat(sandbox.gitLines(worktree, "show", "--name-only", "--format=", "HEAD"))
        .containsExactlyInAnyOrder("README.md", "docs/new.txt");
    assertThat(sandbox.git(worktree, "status", "--porcelain")).isEmpty();
    assertThat(sandbox.git(repo, "rev-parse", "taskwright/t1")).isEqualTo(head);
  }

  @Test
  void aMultiLineTitleBecomesOneSubjectLine() {
    write(worktree.resolve("a.txt"), "a\n");

    sandbox.activities.commit(
        new CommitInput("t1", "  Fix the parser\nand its tests  ", workspace));

    assertThat(sandbox.git(worktree, "log", "-1", "--format=%s"))
        .isEqualTo("taskwright(t1): Fix the parser and its tests");
  }

  @Test
  void aTitleOutsideAsciiIsKeptAsWritten() {
    write(worktree.resolve("a.txt"), "a\n");

    sandbox.activities.commit(new CommitInput("t1", "Grüße an José — ✓", workspace));

    assertThat(sandbox.git(worktree, "log", "-1", "--format=%s"))
        .isEqualTo("taskwright(t1): Grüße an José — ✓");
  }

  @Test
  void committingTwiceMakesOneCommit() {
    write(worktree.resolve("a.txt"), "a\n");

    CommitResult first = commit();
    CommitResult second = commit();

    assertThat(second).isEqualTo(first);
    assertThat(sandbox.gitLines(worktree, "rev-list", workspace.baseCommit() + "..HEAD"))
        .hasSize(1);
  }

  @Test
  void theAgentsOwnCommitsAreReportedOldestFirst() {
    String agentFirst = sandbox.commitFile(worktree, "one.txt", "1\n");
    String agentSecond = sandbox.commitFile(worktree, "two.txt", "2\n");
    write(worktree.resolve("left-over.txt"), "the agent forgot this\n");

    CommitResult result = commit();

    assertThat(result.commits()).hasSize(3).startsWith(agentFirst, agentSecond);
    assertThat(result.commits().get(2)).isEqualTo(result.head());
    assertThat(sandbox.git(worktree, "log", "-1", "--format=%s"))
        .isEqualTo("taskwright(t1): Add a greeting");
  }

  @Test
  void theAgentsCommitsAloneAreReportedWithoutACommitOfOurOwn() {
    String agentCommit = sandbox.commitFile(worktree, "one.txt", "1\n");

    assertThat(commit())
        .isEqualTo(
            new CommitResult(java.util.List.of(agentCommit), agentCommit, java.util.List.of()));
  }

  @Test
  void withoutChangesNothingIsCommitted() {
    CommitResult result = commit();

    assertThat(result.commits()).isEmpty();
    assertThat(result.head()).isEqualTo(workspace.baseCommit());
  }

  @Test
  void withoutAGitIdentityTaskwrightCommitsAsItself() {
    write(worktree.resolve("a.txt"), "a\n");

    commit();

    assertThat(sandbox.git(worktree, "log", "-1", "--format=%an <%ae>|%cn <%ce>"))
        .isEqualTo("taskwright <taskwright@localhost>|taskwright <taskwright@localhost>");
  }

  @Test
  void theUsersGitIdentityIsKept() {
    sandbox.git(repo, "config", "user.name", "Ada Lovelace");
    sandbox.git(repo, "config", "user.email", "ada@example.com");
    write(worktree.resolve("a.txt"), "a\n");

    commit();

    assertThat(sandbox.git(worktree, "log", "-1", "--format=%an <%ae>"))
        .isEqualTo("Ada Lovelace <ada@example.com>");
  }

  @Test
  void theRepositorysCommitHooksDoNotRun() throws IOException {
    Path marker = sandbox.root.resolve("hook-ran");
    Path hook = repo.resolve(".git/hooks/pre-commit");
    write(hook, "#!/bin/sh\ntouch '" + marker + "'\nexit 1\n");
    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
    write(worktree.resolve("a.txt"), "a\n");

    CommitResult result = commit();

    assertThat(result.commits()).hasSize(1);
    assertThat(marker).doesNotExist();
  }

  @Test
  void aLockedIndexIsARetryableGitFailureAndTheRetryCommits() throws IOException {
    write(worktree.resolve("a.txt"), "a\n");
    Path gitDir = worktree.resolve(sandbox.git(worktree, "rev-parse", "--git-dir"));
    Path lock = gitDir.resolve("index.lock");
    Files.writeString(lock, "");

    ApplicationFailure failure = failureOf(this::commit);

    assertThat(failure.getType()).isEqualTo(FailureType.GIT_FAILED.type());
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .contains("git --no-pager -C " + worktree + " add --all")
        .contains("index.lock");

    Files.delete(lock);
    assertThat(commit().commits()).hasSize(1);
  }

  @Test
  void aWorktreeThatIsGoneIsInvalidInput() {
    sandbox.git(repo, "worktree", "remove", worktree.toString());

    ApplicationFailure failure = failureOf(this::commit);

    assertInvalidInput(failure, "the worktree of task t1 at " + worktree + " is gone");
  }

  @Test
  void aWorktreeOnAnotherBranchIsNotCommittedTo() {
    sandbox.git(worktree, "checkout", "--quiet", "-b", "elsewhere");
    write(worktree.resolve("a.txt"), "a\n");

    ApplicationFailure failure = failureOf(this::commit);

    GitWorkspacePrepareTest.assertNeedsRepair(
        failure,
        "the worktree "
            + worktree
            + " has elsewhere checked out instead of the task branch taskwright/t1");
    assertThat(worktree.resolve("a.txt")).exists();
  }
}
