package dev.taskwright.activities.workspace;

import static dev.taskwright.activities.workspace.GitSandbox.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwright.activities.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The checks the CLI runs before it starts a workflow, through their public entry points. */
class GitChecksTest {

  @RegisterExtension final GitSandbox sandbox = new GitSandbox();
  Path repo;

  @BeforeEach
  void setUp() {
    repo = sandbox.repo;
  }

  @Test
  void theRootOfARepositoryIsItsTopFolderFromAnywhereInside() throws IOException {
    Path inside = Files.createDirectories(repo.resolve("src/main"));

    assertThat(GitChecks.repositoryRoot(repo)).isEqualTo(repo);
    assertThat(GitChecks.repositoryRoot(inside)).isEqualTo(repo);
  }

  @Test
  void aMissingPathIsNotARepository() {
    Path missing = sandbox.root.resolve("nowhere");

    assertThatThrownBy(() -> GitChecks.repositoryRoot(missing))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "repository path "
                + missing
                + " does not exist; pass the path of an existing git repository");
  }

  @Test
  void aFileIsNotARepository() {
    Path file = sandbox.root.resolve("file.txt");
    write(file, "text");

    assertThatThrownBy(() -> GitChecks.repositoryRoot(file))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("repository path " + file + " is a file; pass the folder of a git repository");
  }

  @Test
  void aPlainFolderIsNotARepository() throws IOException {
    Path plain = Files.createDirectories(sandbox.root.resolve("plain"));

    assertThatThrownBy(() -> GitChecks.repositoryRoot(plain))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            plain
                + " is not a git repository; run 'git init' there or pass the path of a git"
                + " repository");
  }

  @Test
  void aBareRepositoryHasNoWorkTree() {
    Path bare = sandbox.root.resolve("bare.git");
    sandbox.git(sandbox.root, "clone", "--quiet", "--bare", repo.toString(), bare.toString());

    assertThatThrownBy(() -> GitChecks.repositoryRoot(bare))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(bare + " is a bare repository; pass a repository that has a working tree");
  }

  @Test
  void refsResolveToFullCommitShas() {
    String first = sandbox.git(repo, "rev-parse", "HEAD");
    sandbox.git(
        repo,
        "-c",
        "user.name=Setup",
        "-c",
        "user.email=setup@example.com",
        "tag",
        "-a",
        "-m",
        "release",
        "v1");
    String second = sandbox.commitFile(repo, "b.txt", "b\n");

    assertThat(GitChecks.resolveCommit(repo, "main")).isEqualTo(second);
    assertThat(GitChecks.resolveCommit(repo, "v1")).isEqualTo(first);
    assertThat(GitChecks.resolveCommit(repo, first.substring(0, 10))).isEqualTo(first);
    assertThat(GitChecks.resolveCommit(repo, "HEAD~1")).isEqualTo(first);
  }

  @Test
  void anUnknownRefSaysWhatToUseInstead() {
    assertThatThrownBy(() -> GitChecks.resolveCommit(repo, "nope"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "base ref 'nope' not found in " + repo + "; use a branch, tag or commit that exists");
  }

  @Test
  void aRefThatLooksLikeAnOptionIsRejected() {
    assertThatThrownBy(() -> GitChecks.resolveCommit(repo, "--all"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("base ref '--all' is not a valid ref; use a branch, tag or commit");
  }

  @Test
  void aRepositoryWithoutCommitsSaysSo() {
    Path empty = sandbox.root.resolve("empty");
    sandbox.git(sandbox.root, "init", "--quiet", "--initial-branch=main", empty.toString());

    assertThat(GitChecks.defaultBaseRef(empty)).isEqualTo("main");
    assertThatThrownBy(() -> GitChecks.resolveCommit(empty, "main"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "repository "
                + empty
                + " has no commits yet; make a first commit, then start the task");
  }

  @Test
  void theDefaultBaseIsTheCheckedOutBranch() {
    sandbox.git(repo, "checkout", "--quiet", "-b", "feature");

    assertThat(GitChecks.defaultBaseRef(repo)).isEqualTo("feature");
  }

  @Test
  void aDetachedHeadIsRefusedAsTheDefaultBaseBecauseAcceptWouldHaveNoBranchToMergeInto() {
    String head = sandbox.git(repo, "rev-parse", "HEAD");
    sandbox.git(repo, "checkout", "--quiet", "--detach");

    assertThatThrownBy(() -> GitChecks.defaultBaseRef(repo))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            repo
                + " has a detached HEAD ("
                + head
                + "): check out the branch to merge into, or pass --base BRANCH");
  }
}
