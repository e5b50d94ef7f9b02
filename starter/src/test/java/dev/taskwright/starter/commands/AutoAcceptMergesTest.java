package dev.taskwright.starter.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.TaskSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13, item 15: {@code --auto-accept} does what {@code accept} does, merging into the base
 * branch; keeping the work on its branch is {@code --complete-without-merge} (and the task-file key
 * {@code completeWithoutMerge}). The real CLI, worker and git, with a command agent.
 */
class AutoAcceptMergesTest {

  @RegisterExtension static final TaskSandbox sandbox = TaskSandbox.withWorker();
  private final Path repo = sandbox.repo();

  private CliRun cli() {
    return sandbox.cli();
  }

  private String agentWriting(String file) throws Exception {
    return sandbox.script(
        "write-" + file, "cat > /dev/null\necho \"from the agent\" > " + file + "\n");
  }

  @Test
  void autoAcceptMergesTheWorkIntoTheBaseBranch() throws Exception {
    var run =
        cli()
            .run(
                "run",
                "--id",
                "auto-merged",
                "--auto-accept",
                "--wait",
                "--command",
                agentWriting("merged.txt"),
                "Write merged.txt");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    assertThat(run.err())
        .containsSubsequence(
            "auto-merged: COMMITTING", "auto-merged: MERGING", "auto-merged: COMPLETED");
    assertThat(GitRepos.git(repo, "show", "main:merged.txt")).isEqualTo("from the agent");
    assertThat(GitRepos.git(repo, "log", "-1", "--format=%P", "main").split(" "))
        .as("a --no-ff merge commit")
        .hasSize(2);
  }

  @Test
  void completeWithoutMergeKeepsTheWorkOnItsBranch() throws Exception {
    String mainBefore = GitRepos.git(repo, "rev-parse", "main");

    var run =
        cli()
            .run(
                "run",
                "--id",
                "kept-apart",
                "--complete-without-merge",
                "--wait",
                "--command",
                agentWriting("kept.txt"),
                "Write kept.txt");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    assertThat(run.err())
        .contains("kept-apart: COMPLETED")
        .doesNotContain("kept-apart: MERGING")
        .doesNotContain("kept-apart: READY");
    assertThat(GitRepos.git(repo, "show", "taskwright/kept-apart:kept.txt"))
        .isEqualTo("from the agent");
    assertThat(GitRepos.git(repo, "rev-parse", "main")).isEqualTo(mainBefore);
  }

  @Test
  void completeWithoutMergeWithATaskFileSaysToUseItsKey() throws Exception {
    Path file = sandbox.folder().resolve("plan-cwm.yaml");
    Files.writeString(file, "repo: " + repo + "\ntasks:\n  - id: one\n    prompt: First\n");

    var run = cli().run("run", "--complete-without-merge", "-f", file.toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err())
        .contains("--complete-without-merge cannot be combined with -f")
        .contains("completeWithoutMerge: true");
  }

  @Test
  void taskFileKeyCompletesWithoutMerge() throws Exception {
    String mainBefore = GitRepos.git(repo, "rev-parse", "main");
    Path file = sandbox.folder().resolve("plan-kept.yaml");
    Files.writeString(
        file,
        "repo: "
            + repo
            + "\nbase: main\ncommand: "
            + agentWriting("from-file.txt")
            + "\ncompleteWithoutMerge: true\n"
            + "tasks:\n  - id: from-file\n    prompt: Write from-file.txt\n");

    var run = cli().run("run", "--wait", "-f", file.toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    assertThat(GitRepos.git(repo, "show", "taskwright/from-file:from-file.txt"))
        .isEqualTo("from the agent");
    assertThat(GitRepos.git(repo, "rev-parse", "main")).isEqualTo(mainBefore);
  }

  @Test
  void autoAcceptAndCompleteWithoutMergeTogetherAreRefused() throws Exception {
    var run =
        cli()
            .run(
                "run",
                "--id",
                "both-ways",
                "--auto-accept",
                "--complete-without-merge",
                "--command",
                "true",
                "Do it");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err())
        .contains(
            "--auto-accept merges into the base branch and --complete-without-merge does not: give"
                + " one of them");
  }
}
