package dev.taskwright.starter.commands;

import static dev.taskwright.starter.support.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.TaskSandbox;
import dev.taskwright.starter.task.TaskClient;
import dev.taskwright.workflows.TaskIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Task IDs with tricks in them, on every command that takes an ID: each is exit 2 with the rule for
 * IDs, on one line, before the ID reaches Temporal, the ledger or a path. There is a server to ask,
 * so a command that forgot to check would answer "no such task" (exit 3) instead.
 */
class TaskIdTricksTest {

  @RegisterExtension static final TaskSandbox sandbox = TaskSandbox.withoutWorker();

  /** Each: a name for the report, and the ID. */
  static final List<Arguments> TRICKS =
      List.of(
          Arguments.of("parent folder", "../x"),
          Arguments.of("dot dot", ".."),
          Arguments.of("a path", "a/b"),
          Arguments.of("an absolute path", "/etc/passwd"),
          Arguments.of("an option", "-rf"),
          Arguments.of("help", "--help"),
          Arguments.of("upper case", "Fix-Login"),
          Arguments.of("200 characters", "x".repeat(200)),
          Arguments.of("unicode", "ünïcödé"),
          Arguments.of("empty", ""),
          Arguments.of("a newline", "fix-login\nrm -rf ~"),
          Arguments.of("a terminal escape", "fix\u001b[2Jlogin"),
          Arguments.of("a space", "fix login"),
          Arguments.of("a shell command", "a;rm -rf ~"),
          Arguments.of("an empty subtask part", "api..handlers"),
          Arguments.of("a trailing dot", "api."));

  private static final List<String> COMMANDS =
      List.of("status", "answer", "accept", "reject", "retry", "abandon", "cancel", "show", "logs");

  private static List<String> branchesBefore;

  @BeforeAll
  static void remember() throws Exception {
    branchesBefore = branches();
  }

  private static List<String> branches() throws IOException, InterruptedException {
    return GitRepos.git(sandbox.repo(), "branch", "--list", "--format=%(refname)").lines().toList();
  }

  private CliRun cli() {
    return sandbox.cli().env("TASKWRIGHT_CLAUDE_BIN", "/bin/true");
  }

  static Stream<Arguments> trickOnEveryCommand() {
    return COMMANDS.stream()
        .flatMap(
            command ->
                TRICKS.stream()
                    .map(trick -> Arguments.of(command, trick.get()[0], trick.get()[1])));
  }

  /**
   * After {@code --}, so that {@code -rf} and {@code --help} reach the command as its ID, as a
   * script passing "$id" would.
   */
  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("trickOnEveryCommand")
  void everyCommandRefusesTheIdWithItsRule(String command, String trick, String id) {
    List<String> args = new ArrayList<>(List.of(command, "--", id));
    if (command.equals("answer") || command.equals("reject")) {
      args.add("some words");
    }

    var result = cli().run(args.toArray(String[]::new));

    assertRefused(
        result,
        ExitCodes.BAD_INPUT,
        "is not a task ID: a task ID is 1 to 63 lower-case letters, digits and dashes",
        "taskwright list");
    assertThat(result.err().length()).as("the ID is cut, not repeated in full").isLessThan(400);
    assertThat(result.err()).doesNotContain("\u001b");
  }

  static Stream<Arguments> tricks() {
    return TRICKS.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tricks")
  void runRefusesTheIdAndStartsNothing(String trick, String id) throws Exception {
    var result = cli().run("run", "--id=" + id, "--command", "true", "do something");

    // picocli itself refuses an option name as an option's value, even written --id=--help.
    String expected =
        id.isEmpty()
            ? "a task ID must not be empty"
            : id.equals("--help")
                ? "Expected parameter for option '--id' but found '--help'"
                : "is invalid: use 1 to 63 lower-case letters";
    assertRefused(result, ExitCodes.BAD_INPUT, expected);
    assertThat(result.err()).doesNotContain("\u001b");
    if (!id.isEmpty() && !id.contains("/") && id.length() <= 255) {
      assertThat(new TaskClient(sandbox.temporal().client()).describe(id))
          .as("no workflow " + id)
          .isEmpty();
    }
    assertThat(branches()).as("no branch").isEqualTo(branchesBefore);
    assertThat(sandbox.home().resolve("worktrees")).as("no worktree").doesNotExist();
  }

  @Test
  void aTrickAfterAnOptionIsAnUnknownOptionNotAnId() {
    assertRefused(
        cli().run("status", "-rf"), ExitCodes.BAD_INPUT, "-rf", "taskwright status --help");
    assertRefused(cli().run("cancel", "--rf"), ExitCodes.BAD_INPUT, "Unknown option: '--rf'");
  }

  @Test
  void theIdsOfDependenciesAndParentsFollowTheSameRule() {
    assertRefused(
        cli().run("run", "--id", "api", "--depends-on", "../schema", "--command", "true", "do it"),
        ExitCodes.BAD_INPUT,
        "--depends-on '../schema' is not a task ID");
    assertRefused(
        cli().run("list", "--parent", "a\nb"),
        ExitCodes.BAD_INPUT,
        "--parent 'a\\nb' is not a task ID");
  }

  /**
   * {@code logs} turns the ID into a folder under {@code TASKWRIGHT_HOME/logs}: no ID may lead out
   * of it, however it is spelled, while a real task's transcripts next to the secret are shown.
   */
  @Test
  void logsNeverReadsOutsideTheLogsFolder() throws Exception {
    Path home = sandbox.home();
    Path secret = Files.createDirectories(home.resolve("secret"));
    Files.writeString(secret.resolve("run-1.log"), "TOP SECRET\n");
    Path elsewhere = Files.createDirectories(sandbox.folder().resolve("elsewhere"));
    Files.writeString(elsewhere.resolve("run-1.log"), "TOP SECRET\n");
    Path real = Files.createDirectories(home.resolve("logs").resolve("real-task"));
    Files.writeString(real.resolve("run-1.log"), "what the agent printed\n");

    for (String id :
        List.of(
            "../secret",
            "..",
            ".",
            "../../elsewhere",
            elsewhere.toString(),
            "real-task/../../secret",
            "real-task/..",
            "%2e%2e/secret",
            "..\\secret",
            "real-task\u0000")) {
      var result = cli().run("logs", "--", id);
      assertRefused(result, ExitCodes.BAD_INPUT, "is not a task ID");
      assertThat(result.out() + result.err()).as(id).doesNotContain("TOP SECRET");
    }

    var shown = cli().run("logs", "real-task");
    assertThat(shown.exitCode()).as(shown.toString()).isZero();
    assertThat(shown.out()).contains("what the agent printed");
  }

  @Test
  void everyIdTheRuleAcceptsIsOneSafePathSegmentAndBranchName() {
    for (String id :
        List.of("a", "fix-login", "api.handlers", "api.handlers.tests", "0", "x".repeat(63))) {
      assertThat(TaskIds.problemWithAnyTask(id)).as(id).isNull();
      assertThat(Path.of("logs").resolve(id).normalize().getParent())
          .as(id)
          .isEqualTo(Path.of("logs"));
    }
    for (var trick : TRICKS) {
      assertThat(TaskIds.problemWithAnyTask((String) trick.get()[1]))
          .as((String) trick.get()[0])
          .isNotNull();
    }
  }
}
