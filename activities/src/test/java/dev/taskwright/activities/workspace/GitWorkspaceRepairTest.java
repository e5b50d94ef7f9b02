package dev.taskwright.activities.workspace;

import static dev.taskwright.activities.workspace.GitSandbox.failureOf;
import static dev.taskwright.activities.workspace.GitSandbox.write;
import static dev.taskwright.activities.workspace.GitWorkspacePrepareTest.assertNeedsRepair;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.workflows.model.CommitInput;
import dev.taskwright.workflows.model.CommitResult;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 7: a worktree or branch someone changed under the task is a failure a person
 * repairs (WORKSPACE_NEEDS_REPAIR, with the command), and the same commit succeeds once they ran
 * it.
 */
class GitWorkspaceRepairTest extends OneWorktreeTest {

  private CommitResult commit() {
    return sandbox.activities.commit(new CommitInput("t1", "Add a greeting", workspace));
  }

  @Test
  void aTaskBranchDeletedWhileReadyIsNamedWithTheCommitToRestoreItAt() {
    write(worktree.resolve("first.txt"), "first run\n");
    String firstHead = commit().head();
    // git branch -D refuses a branch a worktree has checked out; update-ref is how it goes anyway.
    sandbox.git(repo, "update-ref", "-d", "refs/heads/taskwright/t1");
    write(worktree.resolve("second.txt"), "second run\n");

    ApplicationFailure failure = failureOf(this::commit);

    String restore = "git -C " + worktree + " branch taskwright/t1 " + firstHead;
    assertNeedsRepair(
        failure,
        "the task branch taskwright/t1 was deleted, although its worktree "
            + worktree
            + " still has it checked out; restore it with '"
            + restore
            + "', then retry the task");

    sandbox.git(worktree, "branch", "taskwright/t1", firstHead);
    CommitResult result = commit();

    assertThat(result.commits()).hasSize(2).startsWith(firstHead);
    assertThat(sandbox.gitLines(worktree, "show", "--name-only", "--format=", "HEAD"))
        .containsExactly("second.txt");
  }

  @Test
  void anAgentThatCheckedOutMainIsNamedWithTheCheckoutThatPutsItBack() {
    // main is free to check out once the user's checkout is on another branch.
    sandbox.git(repo, "switch", "--quiet", "-c", "feature");
    String main = sandbox.git(repo, "rev-parse", "main");
    sandbox.git(worktree, "checkout", "--quiet", "main");
    write(worktree.resolve("work.txt"), "the agent's work\n");

    ApplicationFailure failure = failureOf(this::commit);

    assertNeedsRepair(
        failure,
        "the worktree "
            + worktree
            + " has main checked out instead of the task branch taskwright/t1; put it back with"
            + " 'git -C "
            + worktree
            + " checkout taskwright/t1'");
    assertThat(sandbox.git(repo, "rev-parse", "main")).isEqualTo(main);

    sandbox.git(worktree, "checkout", "--quiet", "taskwright/t1");
    CommitResult result = commit();

    assertThat(result.commits()).hasSize(1);
    assertThat(sandbox.gitLines(worktree, "show", "--name-only", "--format=", "HEAD"))
        .containsExactly("work.txt");
    assertThat(sandbox.git(repo, "rev-parse", "main")).isEqualTo(main);
  }

  @Test
  void aDetachedHeadIsNamedTheSameWay() {
    sandbox.git(worktree, "checkout", "--quiet", "--detach");

    assertNeedsRepair(
        failureOf(this::commit),
        "the worktree "
            + worktree
            + " has a detached HEAD checked out instead of the task branch taskwright/t1; put it"
            + " back with 'git -C "
            + worktree
            + " checkout taskwright/t1'");
  }

  @Test
  void aRemovedGitFileIsNamedWithTheRepairCommandForItsRepository() throws IOException {
    write(worktree.resolve("work.txt"), "the agent's work\n");
    Files.delete(worktree.resolve(".git"));

    ApplicationFailure failure = failureOf(this::commit);

    assertNeedsRepair(
        failure,
        worktree
            + " is no longer a git worktree (its .git file is gone or broken); run 'git -C "
            + repo
            + " worktree repair "
            + worktree
            + "' (it names the broken .git file as it writes a new one), then retry the task");

    // git 2.39 exits 1 here although it repaired the worktree; what counts is that the commit works
    // after it.
    sandbox.git.tryRun(repo, "worktree", "repair", worktree.toString());
    CommitResult result = commit();

    assertThat(result.commits()).hasSize(1);
    assertThat(sandbox.gitLines(worktree, "show", "--name-only", "--format=", "HEAD"))
        .containsExactly("work.txt");
  }
}
