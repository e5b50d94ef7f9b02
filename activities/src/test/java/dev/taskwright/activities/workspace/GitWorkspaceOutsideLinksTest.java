package dev.taskwright.activities.workspace;

import static dev.taskwright.activities.workspace.GitSandbox.failureOf;
import static dev.taskwright.activities.workspace.GitSandbox.write;
import static dev.taskwright.activities.workspace.GitWorkspacePrepareTest.assertNeedsRepair;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwright.workflows.model.CommitInput;
import dev.taskwright.workflows.model.CommitResult;
import dev.taskwright.workflows.model.Workspace;
import dev.taskwright.workflows.ports.WorkspaceActivities;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13, item 16: links the task adds that point outside its worktree are reported, or refused
 * when the worker says so.
 */
class GitWorkspaceOutsideLinksTest {

  @RegisterExtension final GitSandbox sandbox = new GitSandbox();
  Workspace workspace;
  Path worktree;

  @BeforeEach
  void setUp() {
    workspace = sandbox.prepare("t1");
    worktree = Path.of(workspace.path());
  }

  private CommitResult commitWith(WorkspaceActivities activities) {
    return activities.commit(new CommitInput("t1", "Links", workspace));
  }

  @Test
  void linksOutOfTheWorktreeAreCommittedAndReportedAndLinksInsideAreNot() throws IOException {
    Files.createSymbolicLink(worktree.resolve("passwd"), Path.of("/etc/passwd"));
    Files.createDirectories(worktree.resolve("docs"));
    Files.createSymbolicLink(worktree.resolve("docs/up"), Path.of("../../.."));
    Files.createSymbolicLink(
        worktree.resolve("docs/missing"), Path.of("../../elsewhere/not-there.txt"));
    Files.createSymbolicLink(worktree.resolve("readme"), Path.of("README.md"));
    Files.createSymbolicLink(worktree.resolve("docs/later"), Path.of("../notes/not-yet.md"));

    CommitResult result = commitWith(sandbox.activities);

    assertThat(result.commits()).hasSize(1);
    assertThat(sandbox.gitLines(worktree, "show", "--name-only", "--format=", "HEAD"))
        .contains("passwd", "readme");
    assertThat(result.outsideLinks())
        .containsExactlyInAnyOrder(
            "passwd -> /etc/passwd",
            "docs/up -> ../../..",
            "docs/missing -> ../../elsewhere/not-there.txt");
  }

  @Test
  void aLinkIntoAFolderThatIsALinkOutIsOutside() throws IOException {
    Files.createSymbolicLink(worktree.resolve("etc"), Path.of("/etc"));
    Files.createSymbolicLink(worktree.resolve("hosts"), Path.of("etc/hosts"));

    assertThat(commitWith(sandbox.activities).outsideLinks())
        .containsExactlyInAnyOrder("etc -> /etc", "hosts -> etc/hosts");
  }

  @Test
  void aLinkTheAgentCommittedItselfIsReportedAndOneItRemovedAgainIsNot() throws IOException {
    Files.createSymbolicLink(worktree.resolve("passwd"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(worktree.resolve("shadow"), Path.of("/etc/shadow"));
    sandbox.git(worktree, "add", "passwd", "shadow");
    sandbox.git(
        worktree,
        "-c",
        "user.name=Agent",
        "-c",
        "user.email=agent@example.com",
        "commit",
        "--quiet",
        "-m",
        "links");
    sandbox.git(worktree, "rm", "--quiet", "shadow");
    sandbox.git(
        worktree,
        "-c",
        "user.name=Agent",
        "-c",
        "user.email=agent@example.com",
        "commit",
        "--quiet",
        "-m",
        "one less");

    assertThat(commitWith(sandbox.activities).outsideLinks())
        .containsExactly("passwd -> /etc/passwd");
  }

  @Test
  void whenTheWorkerRefusesThemNothingIsCommittedUntilTheyAreRemoved() throws IOException {
    WorkspaceActivities refusing = sandbox.activitiesWith(OutsideLinks.REFUSE);
    Files.createSymbolicLink(worktree.resolve("passwd"), Path.of("/etc/passwd"));
    write(worktree.resolve("work.txt"), "the agent's work\n");

    ApplicationFailure failure = failureOf(() -> commitWith(refusing));

    assertNeedsRepair(
        failure,
        "the task adds symbolic links that point outside its worktree "
            + worktree
            + " (1 path(s): passwd -> /etc/passwd), which "
            + "TASKWRIGHT_OUTSIDE_LINKS=refuse forbids; remove them there (git -C "
            + worktree
            + " rm <link>), then retry the task");
    assertThat(sandbox.git(worktree, "rev-parse", "HEAD")).isEqualTo(workspace.baseCommit());

    Files.delete(worktree.resolve("passwd"));
    CommitResult result = commitWith(refusing);

    assertThat(result.commits()).hasSize(1);
    assertThat(result.outsideLinks()).isEmpty();
    assertThat(sandbox.gitLines(worktree, "show", "--name-only", "--format=", "HEAD"))
        .containsExactly("work.txt");
  }

  @Test
  void theSettingIsWarnOrRefuseAndNothingElse() {
    assertThat(OutsideLinks.parse(null)).isEqualTo(OutsideLinks.WARN);
    assertThat(OutsideLinks.parse(" ")).isEqualTo(OutsideLinks.WARN);
    assertThat(OutsideLinks.parse("warn")).isEqualTo(OutsideLinks.WARN);
    assertThat(OutsideLinks.parse("Refuse")).isEqualTo(OutsideLinks.REFUSE);
    assertThatThrownBy(() -> OutsideLinks.parse("deny"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "TASKWRIGHT_OUTSIDE_LINKS='deny' is not a known setting; set it to 'warn'");
  }
}
