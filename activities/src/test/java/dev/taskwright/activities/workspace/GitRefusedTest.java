package dev.taskwright.activities.workspace;

import static dev.taskwright.activities.workspace.GitSandbox.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwright.workflows.model.CommitInput;
import dev.taskwright.workflows.model.CommitResult;
import dev.taskwright.workflows.model.MergeInput;
import dev.taskwright.workflows.model.MergeResult;
import dev.taskwright.workflows.model.MergeStatus;
import dev.taskwright.workflows.model.Workspace;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13, item 6: what git refuses on every attempt is told apart from what may pass, and a title
 * never brings git text it refuses.
 */
class GitRefusedTest {

  @RegisterExtension final GitSandbox sandbox = new GitSandbox();

  @Test
  void aNulByteInAMessageIsARefusalNotAPassingFailure() {
    Path repo = sandbox.repo;
    List<String> commitTree =
        List.of(
            "-c",
            "user.name=Setup",
            "-c",
            "user.email=setup@example.com",
            "commit-tree",
            "HEAD^{tree}",
            "-F",
            "-");

    assertThatThrownBy(() -> sandbox.git.run(repo, commitTree, "a\0b"))
        .isInstanceOfSatisfying(
            GitCommandException.class, failure -> assertThat(failure.refused()).isTrue())
        .hasMessageContaining("NUL byte");
  }

  @Test
  void aForbiddenTransportIsARefusal() {
    Path clone = sandbox.root.resolve("clone");

    assertThatThrownBy(
            () ->
                sandbox.git.run(
                    sandbox.root,
                    "-c",
                    "protocol.file.allow=never",
                    "clone",
                    "--quiet",
                    sandbox.repo.toString(),
                    clone.toString()))
        .isInstanceOfSatisfying(
            GitCommandException.class, failure -> assertThat(failure.refused()).isTrue())
        .hasMessageContaining("transport 'file' not allowed");
  }

  @Test
  void anUnknownRefIsNotARefusal() {
    assertThatThrownBy(() -> sandbox.git.run(sandbox.repo, "rev-parse", "--verify", "no-such-ref"))
        .isInstanceOfSatisfying(
            GitCommandException.class, failure -> assertThat(failure.refused()).isFalse());
  }

  @Test
  void aTitleWithControlCharactersAndNulCommitsWithoutThemCutTo200Characters() {
    Workspace workspace = sandbox.prepare("t1");
    Path worktree = Path.of(workspace.path());
    write(worktree.resolve("a.txt"), "a\n");
    String title = "Fix\0 the \u001b[31mparser\u0007\r" + "x".repeat(300);

    CommitResult result = sandbox.activities.commit(new CommitInput("t1", title, workspace));

    assertThat(result.commits()).hasSize(1);
    String subject = sandbox.git(worktree, "log", "-1", "--format=%s");
    // Line breaks and tabs become spaces (one subject line); other control characters go.
    String kept = "Fix the [31mparser ";
    String expectedTitle = kept + "x".repeat(GitWorkspace.MAX_TITLE - kept.length() - 1) + "…";
    assertThat(subject).isEqualTo("taskwright(t1): " + expectedTitle);
    assertThat(expectedTitle).hasSize(GitWorkspace.MAX_TITLE);
  }

  @Test
  void aMergeWithANulInItsTitleMerges() {
    Workspace workspace = sandbox.prepare("t1");
    sandbox.commitFile(Path.of(workspace.path()), "a.txt", "a\n");

    MergeResult result =
        sandbox.activities.merge(
            new MergeInput("t1", "Add\0 a", sandbox.repo.toString(), "main", workspace));

    assertThat(result.status()).isEqualTo(MergeStatus.MERGED);
    assertThat(sandbox.git(sandbox.repo, "log", "-1", "--format=%s", "main"))
        .isEqualTo("Merge taskwright/t1: Add a");
  }
}
