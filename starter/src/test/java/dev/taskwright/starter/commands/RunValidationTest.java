package dev.taskwright.starter.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.TaskSandbox;
import dev.taskwright.starter.task.TaskClient;
import dev.taskwright.workflows.model.TaskSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code run} refuses bad input before anything starts: one line on stderr that says what was wrong
 * and what to do, the documented exit code, and no workflow on the server.
 */
class RunValidationTest {

  @RegisterExtension static final TaskSandbox sandbox = TaskSandbox.withoutWorker();

  private CliRun cli() {
    // A claude that exists, so only the input under test is wrong.
    return sandbox.cli().env("TASKWRIGHT_CLAUDE_BIN", "/bin/true");
  }

  private void assertRefused(CliRun.Result result, int exitCode, String taskId, String... phrases) {
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(exitCode);
    assertThat(result.out()).as("nothing on stdout").isEmpty();
    assertThat(result.err().strip().lines()).as("one line on stderr: " + result.err()).hasSize(1);
    assertThat(result.err())
        .startsWith("taskwright: ")
        .doesNotContain("Exception")
        .contains(phrases);
    if (taskId != null) {
      assertThat(new TaskClient(sandbox.temporal().client()).describe(taskId))
          .as("no workflow started for " + taskId)
          .isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../x",
        "-rf",
        "Upper",
        "has space",
        "a.b",
        "an-id-that-is-far-too-long-to-be-a-task-id-as-it-has-64-characte"
      })
  void refusesInvalidTaskIds(String id) {
    var result = cli().run("run", "--id=" + id, "do something");
    assertRefused(
        result,
        ExitCodes.BAD_INPUT,
        id.startsWith("-") || id.contains("/") ? null : id,
        "task ID",
        "lower-case");
  }

  @Test
  void refusesTextGitAndPostgresCannotStore() {
    assertRefused(
        cli().run("run", "--id", "nul-prompt", "a\0b"),
        ExitCodes.BAD_INPUT,
        "nul-prompt",
        "PROMPT holds a NUL character (\\0) at character 2, which git and PostgreSQL cannot store;"
            + " remove it");
    assertRefused(
        cli().run("run", "--id", "nul-title", "--title", "x\0", "do something"),
        ExitCodes.BAD_INPUT,
        "nul-title",
        "--title holds a NUL character (\\0) at character 2");
    assertRefused(
        cli().run("run", "--id", "surrogate-title", "--title", "a\ud800b", "do something"),
        ExitCodes.BAD_INPUT,
        "surrogate-title",
        "--title holds a lone surrogate (\\ud800) at character 2");
    assertRefused(
        cli().run("run", "--id", "nul-command", "--command", "echo \0", "do something"),
        ExitCodes.BAD_INPUT,
        "nul-command",
        "--command holds a NUL character");
  }

  @Test
  void maxTasksGoesOnlyWithATaskFile() {
    assertRefused(
        cli().run("run", "--id", "capped", "--max-tasks", "5", "do something"),
        ExitCodes.BAD_INPUT,
        "capped",
        "--max-tasks goes with -f TASKFILE");
  }

  @Test
  void refusesARepositoryPathThatIsAFile() throws IOException {
    Path file = Files.writeString(sandbox.folder().resolve("a-file.txt"), "not a repository");
    var result =
        cli().run("run", "--id", "repo-is-file", "--repo", file.toString(), "do something");
    assertRefused(result, ExitCodes.BAD_INPUT, "repo-is-file", file.toString(), "is a file");
    assertThat(Files.readString(file)).as("left as it was").isEqualTo("not a repository");
  }

  @Test
  void refusesAFolderThatIsNotARepository() throws IOException {
    Path folder = Files.createDirectories(sandbox.folder().resolve("plain-folder"));
    var result =
        cli().run("run", "--id", "not-a-repo", "--repo", folder.toString(), "do something");
    assertRefused(result, ExitCodes.BAD_INPUT, "not-a-repo", "not a git repository");
    assertThat(folder.resolve(".git")).as("no repository made there").doesNotExist();
  }

  @Test
  void refusesARepositoryWithoutCommits() throws Exception {
    Path empty = Files.createDirectories(sandbox.folder().resolve("no-commits"));
    GitRepos.git(empty, "init", "-q");
    var result =
        cli()
            .run(
                "run",
                "--id",
                "no-commits",
                "--repo",
                empty.toString(),
                "--command",
                "true",
                "do something");
    assertRefused(
        result,
        ExitCodes.BAD_INPUT,
        "no-commits",
        "has no commits yet; make a first commit, then start the task");
    assertThat(GitRepos.git(empty, "branch", "--list")).as("no branch made").isEmpty();
    assertThat(GitRepos.git(empty, "worktree", "list").lines()).as("no worktree added").hasSize(1);
  }

  @Test
  void refusesABaseRefThatDoesNotExistAndLeavesTheRepositoryAsItWas() throws Exception {
    String branches = GitRepos.git(sandbox.repo(), "branch", "--list");
    String head = GitRepos.git(sandbox.repo(), "rev-parse", "HEAD");
    for (String base :
        List.of(
            "no-such-branch",
            "-x",
            "main..HEAD",
            "v9.9.9",
            "0000000000000000000000000000000000000000")) {
      var result =
          cli().run("run", "--id", "bad-base", "--base", base, "--command", "true", "do something");
      assertRefused(
          result,
          ExitCodes.BAD_INPUT,
          "bad-base",
          "base ref '" + base + "'",
          "use a branch, tag or commit");
    }
    assertThat(GitRepos.git(sandbox.repo(), "branch", "--list")).isEqualTo(branches);
    assertThat(GitRepos.git(sandbox.repo(), "rev-parse", "HEAD")).isEqualTo(head);
  }

  @Test
  void refusesAPromptOverTheLimit() {
    String megabyte = "x".repeat(1024 * 1024);
    var result = cli().run("run", "--id", "huge-prompt", "--command", "true", megabyte);
    assertRefused(
        result,
        ExitCodes.BAD_INPUT,
        "huge-prompt",
        "the prompt is "
            + megabyte.length()
            + " characters long; a task takes at most "
            + TaskSpec.MAX_PROMPT_LENGTH,
        "put the details in a file in the repository");
    var justRight =
        cli()
            .run(
                "run",
                "--id",
                "long-prompt",
                "--command",
                "true",
                "y".repeat(TaskSpec.MAX_PROMPT_LENGTH));
    assertThat(justRight.exitCode()).as(justRight.toString()).isZero();
  }

  /**
   * Each case: the task ID it uses, the arguments after {@code run --id ID}, and what the error
   * must say.
   */
  static Stream<Arguments> plainInputMistakes() {
    return Stream.of(
        Arguments.of(
            "missing-repo",
            List.of("--repo", "/no/such/folder", "do something"),
            List.of("does not exist")),
        Arguments.of(
            "empty-repo", List.of("--repo", "", "do something"), List.of("--repo is empty")),
        Arguments.of(
            "empty-base", List.of("--base", " ", "do something"), List.of("no base ref given")),
        Arguments.of(
            "unknown-base",
            List.of("--base", "no-such-branch", "do something"),
            List.of("no-such-branch", "not found")),
        Arguments.of("empty-prompt", List.of("   "), List.of("prompt is empty")),
        Arguments.of("no-prompt", List.of(), List.of("PROMPT", "--help")),
        Arguments.of(
            "zero-attempts",
            List.of("--max-attempts", "0", "do something"),
            List.of("--max-attempts")),
        Arguments.of(
            "unknown-agent",
            List.of("--agent", "codex", "do something"),
            List.of("codex", "claude or command")),
        Arguments.of(
            "no-command", List.of("--agent", "command", "do something"), List.of("--command")),
        Arguments.of(
            "bad-quote",
            List.of("--command", "./fix.sh 'oops", "do something"),
            List.of("unclosed")),
        Arguments.of(
            "bad-budget",
            List.of("--max-budget-usd", "-1", "do something"),
            List.of("--max-budget-usd", "above 0")),
        Arguments.of(
            "budget-for-command",
            List.of("--command", "true", "--max-budget-usd", "2", "do something"),
            List.of("--max-budget-usd", "--agent claude")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plainInputMistakes")
  void refusesPlainInputMistakes(String id, List<String> args, List<String> phrases) {
    List<String> command = new ArrayList<>(List.of("run", "--id", id));
    command.addAll(args);
    var result = cli().run(command.toArray(String[]::new));
    assertRefused(result, ExitCodes.BAD_INPUT, id, phrases.toArray(String[]::new));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10x", "0s", "-5m", "soon", "PT"})
  void refusesABadDuration(String timeout) {
    var result = cli().run("run", "--id", "bad-duration", "--timeout", timeout, "do something");
    assertRefused(result, ExitCodes.BAD_INPUT, "bad-duration", "--timeout", "90s");
  }

  @Test
  void refusesClaudeWhenTheExecutableCannotBeFound() {
    var result =
        cli()
            .env("TASKWRIGHT_CLAUDE_BIN", null)
            .env("PATH", sandbox.folder().resolve("empty-bin").toString())
            .run("run", "--id", "no-claude", "do something");
    assertRefused(
        result, ExitCodes.UNREACHABLE, "no-claude", "Claude Code", "TASKWRIGHT_CLAUDE_BIN");
  }

  @Test
  void refusesAClaudeBinaryPathThatDoesNotExist() {
    var result =
        cli()
            .env("TASKWRIGHT_CLAUDE_BIN", sandbox.folder().resolve("no/claude").toString())
            .run("run", "--id", "claude-path", "do something");
    assertRefused(result, ExitCodes.UNREACHABLE, "claude-path", "no/claude");
  }

  @Test
  void refusesAnIdThatIsAlreadyTaken() {
    String[] args = {"run", "--id", "taken", "--command", "true", "do something"};
    var first = cli().run(args);
    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.out().strip()).isEqualTo("taken");

    var second = cli().run(args);
    assertRefused(second, ExitCodes.INVALID_STATE, null, "already exists", "taken");
  }
}
