package dev.taskwright.activities.workspace;

import static dev.taskwright.activities.workspace.GitSandbox.read;
import static dev.taskwright.activities.workspace.GitSandbox.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.workflows.model.CleanupInput;
import dev.taskwright.workflows.model.CleanupResult;
import dev.taskwright.workflows.model.CommitInput;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class GitWorkspaceCleanupTest extends OneWorktreeTest {

  private CleanupResult cleanup() {
    return sandbox.activities.cleanup(new CleanupInput("t1", repo.toString(), workspace));
  }

  @Test
  void aWorktreeWithAModifiedFileIsKept() {
    write(worktree.resolve("README.md"), "not committed\n");

    CleanupResult result = cleanup();

    assertThat(result.removed()).isFalse();
    assertThat(result.keptBecause())
        .startsWith("it has uncommitted changes (1 path(s): README.md)");
    assertThat(read(worktree.resolve("README.md"))).isEqualTo("not committed\n");
  }

  @Test
  void aWorktreeWithOnlyAnUntrackedFileIsKept() {
    write(worktree.resolve("notes/new.txt"), "untracked\n");

    CleanupResult result = cleanup();

    assertThat(result.removed()).isFalse();
    assertThat(result.keptBecause()).contains("uncommitted changes").contains("notes/new.txt");
    assertThat(read(worktree.resolve("notes/new.txt"))).isEqualTo("untracked\n");
  }

  @Test
  void aCleanWorktreeIsRemovedAndItsBranchAndCommitsStay() {
    write(worktree.resolve("a.txt"), "a\n");
    String head = sandbox.activities.commit(new CommitInput("t1", "Add a", workspace)).head();

    CleanupResult result = cleanup();

    assertThat(result).isEqualTo(new CleanupResult(true, null));
    assertThat(worktree).doesNotExist();
    assertThat(sandbox.git(repo, "rev-parse", "taskwright/t1")).isEqualTo(head);
    assertThat(sandbox.gitLines(repo, "worktree", "list", "--porcelain"))
        .filteredOn(line -> line.startsWith("worktree "))
        .containsExactly("worktree " + repo);
  }

  @Test
  void cleaningUpTwiceIsFine() {
    assertThat(cleanup().removed()).isTrue();
    assertThat(cleanup()).isEqualTo(new CleanupResult(true, null));
    assertThat(sandbox.branchExists(repo, "taskwright/t1")).isTrue();
  }

  @Test
  void aWorktreeFolderDeletedByHandCountsAsRemovedAndIsForgotten() throws IOException {
    GitSandbox.deleteRecursively(worktree);

    assertThat(cleanup().removed()).isTrue();
    assertThat(sandbox.gitLines(repo, "worktree", "list", "--porcelain"))
        .filteredOn(line -> line.startsWith("worktree "))
        .containsExactly("worktree " + repo);
    assertThat(sandbox.branchExists(repo, "taskwright/t1")).isTrue();
  }

  @Test
  void aLockedWorktreeIsKeptWithTheReason() {
    sandbox.git(repo, "worktree", "lock", "--reason", "on a USB disk", worktree.toString());

    CleanupResult result = cleanup();

    assertThat(result.removed()).isFalse();
    assertThat(result.keptBecause()).startsWith("it is locked");
    assertThat(worktree).exists();
  }

  @Test
  void aFolderThatIsNoLongerAWorktreeIsLeftAlone() throws IOException {
    Files.delete(worktree.resolve(".git"));

    CleanupResult result = cleanup();

    assertThat(result.removed()).isFalse();
    assertThat(result.keptBecause()).contains("is no longer a git worktree");
    assertThat(worktree.resolve("README.md")).exists();
  }
}
