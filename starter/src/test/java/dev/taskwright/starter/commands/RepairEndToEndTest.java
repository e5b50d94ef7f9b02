package dev.taskwright.starter.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.TaskSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13, item 7, end to end through the CLI and a worker: a worktree or branch changed under the
 * task blocks it (BLOCKED, NEEDS_REPAIR) with the command that repairs it, instead of ending it
 * FAILED; once a person ran that command, {@code retry} carries the task on, and nothing the agent
 * made is lost.
 */
class RepairEndToEndTest {

  @RegisterExtension static final TaskSandbox sandbox = TaskSandbox.withWorker();
  private final Path repo = sandbox.repo();

  private CliRun cli() {
    return sandbox.cli();
  }

  private CliRun.Result runWait(String id, String agent, String prompt) {
    return cli().run("run", "--id", id, "--wait", "--command", agent, prompt);
  }

  private static void assertExit(CliRun.Result result, int exitCode) {
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(exitCode);
  }

  /** The task's status once it is BLOCKED on a repair, with the repair command in it. */
  private JsonNode needsRepair(String id, String repairCommand) throws Exception {
    JsonNode status = cli().awaitState(id, "BLOCKED", Duration.ofSeconds(30));
    assertThat(status.get("reason").asText()).isEqualTo("NEEDS_REPAIR");
    assertThat(status.get("lastError").asText()).contains(repairCommand);
    var human = cli().run("status", id);
    assertExit(human, ExitCodes.OK);
    assertThat(human.out())
        .contains(
            "BLOCKED (NEEDS_REPAIR)",
            repairCommand,
            "taskwright retry " + id,
            "taskwright abandon " + id);
    assertExit(cli().run("answer", id, "yes"), ExitCodes.INVALID_STATE);
    return status;
  }

  @Test
  void aTaskBranchDeletedWhileReadyBlocksAcceptAndRetryMergesOnceItIsRestored() throws Exception {
    String agent = sandbox.script("writes-kept", "cat > kept.txt\n");
    assertExit(runWait("branch-gone", agent, "Write kept.txt"), ExitCodes.OK);
    String head = GitRepos.git(repo, "rev-parse", "taskwright/branch-gone");
    String mainBefore = GitRepos.git(repo, "rev-parse", "main");
    // git branch -D refuses a branch a worktree has checked out; update-ref deletes it anyway.
    GitRepos.git(repo, "update-ref", "-d", "refs/heads/taskwright/branch-gone");

    var accept = cli().run("accept", "branch-gone");

    assertExit(accept, ExitCodes.TASK_NOT_SUCCESSFUL);
    needsRepair("branch-gone", "branch taskwright/branch-gone " + head);
    assertThat(GitRepos.git(repo, "rev-parse", "main"))
        .as("nothing was merged")
        .isEqualTo(mainBefore);

    GitRepos.git(repo, "branch", "taskwright/branch-gone", head);
    var retry = cli().run("retry", "branch-gone", "--wait");

    assertExit(retry, ExitCodes.OK);
    assertThat(retry.out()).contains("COMPLETED");
    assertThat(GitRepos.git(repo, "log", "-1", "--format=%P", "main")).endsWith(head);
    assertThat(Files.readString(repo.resolve("kept.txt"))).contains("Write kept.txt");
  }

  @Test
  void anAgentThatLeftTheTaskBranchBlocksTheCommitAndRetryCommitsItsWorkOnceItIsBack()
      throws Exception {
    String agent =
        sandbox.script("wanders-off", "cat > wandered.txt\ngit checkout --quiet --detach\n");

    var run = runWait("wandered", agent, "Write wandered.txt");

    assertExit(run, ExitCodes.TASK_NOT_SUCCESSFUL);
    JsonNode blocked = needsRepair("wandered", "checkout taskwright/wandered");
    assertThat(blocked.get("commits")).isEmpty();
    Path worktree = Path.of(blocked.get("worktreePath").asText());

    GitRepos.git(worktree, "checkout", "--quiet", "taskwright/wandered");
    var retry = cli().run("retry", "wandered", "--wait");

    assertExit(retry, ExitCodes.OK);
    assertThat(retry.out()).contains("READY");
    JsonNode ready = cli().statusJson("wandered");
    assertThat(ready.get("commits")).hasSize(1);
    assertThat(GitRepos.git(repo, "show", "taskwright/wandered:wandered.txt"))
        .isEqualTo("Write wandered.txt");
  }

  @Test
  void anAgentThatRemovedDotGitBlocksTheCommitAndRetryCommitsOnceTheWorktreeIsRepaired()
      throws Exception {
    String agent = sandbox.script("removes-git", "cat > unlinked.txt\nrm -f .git\n");

    var run = runWait("unlinked", agent, "Write unlinked.txt");

    assertExit(run, ExitCodes.TASK_NOT_SUCCESSFUL);
    JsonNode blocked = needsRepair("unlinked", "worktree repair");
    Path worktree = Path.of(blocked.get("worktreePath").asText());

    // git 2.39 exits 1 here although it writes the .git file back; what counts is what follows.
    GitRepos.tryGit(repo, "worktree", "repair", worktree.toString());
    var retry = cli().run("retry", "unlinked", "--wait");

    assertExit(retry, ExitCodes.OK);
    assertThat(retry.out()).contains("READY");
    assertThat(GitRepos.git(repo, "show", "taskwright/unlinked:unlinked.txt"))
        .isEqualTo("Write unlinked.txt");
  }

  /**
   * Issue 13, item 16: a link out of the worktree is committed, and said before anyone accepts it.
   */
  @Test
  void aLinkOutOfTheWorktreeIsAWarningInStatus() throws Exception {
    String agent = sandbox.script("links-out", "cat > linked.txt\nln -s /etc/passwd passwd-link\n");

    assertExit(runWait("links-out", agent, "Write linked.txt"), ExitCodes.OK);

    JsonNode ready = cli().statusJson("links-out");
    assertThat(ready.get("warnings"))
        .extracting(JsonNode::asText)
        .singleElement()
        .asString()
        .contains("passwd-link", "/etc/passwd");
    var human = cli().run("status", "links-out");
    assertThat(human.out())
        .containsPattern("(?m)^Warnings +links out of the worktree: .*passwd-link");
  }
}
