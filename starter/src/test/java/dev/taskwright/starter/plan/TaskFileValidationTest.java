package dev.taskwright.starter.plan;

import static dev.taskwright.starter.support.Refusals.assertRefused;
import static dev.taskwright.starter.support.Refusals.assertRefusedIn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.TaskSandbox;
import dev.taskwright.starter.task.TaskClient;
import dev.taskwright.workflows.model.TaskSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code run -f} refuses a bad task file before anything starts: every problem, one line each, with
 * the file, the line and column, the task and what to change; exit 2; no workflow on the server for
 * any task the file names.
 */
class TaskFileValidationTest {

  @RegisterExtension static final TaskSandbox sandbox = TaskSandbox.withoutWorker();

  private static final Pattern ID =
      Pattern.compile("^\\s*-?\\s*id:\\s*\"?([^\"\\s]+)\"?", Pattern.MULTILINE);

  @BeforeAll
  static void folderThatIsNotARepository() throws IOException {
    Files.createDirectories(sandbox.folder().resolve("plain-folder"));
  }

  private CliRun cli() {
    // A claude that exists, so only the file under test is wrong.
    return sandbox.cli().env("TASKWRIGHT_CLAUDE_BIN", "/bin/true");
  }

  /**
   * Copies a file from test resources into the sandbox repository, the folder {@code run -f} is run
   * in.
   */
  private static String copy(String name) throws IOException {
    try (InputStream in =
        TaskFileValidationTest.class.getResourceAsStream("/taskfiles/bad/" + name)) {
      assertThat(in).as("test resource " + name).isNotNull();
      Files.write(sandbox.repo().resolve(name), in.readAllBytes());
    }
    return name;
  }

  /**
   * Each case: the file, and what each problem line must say after {@code taskwright: }, one
   * fragment per line, in order; there must be exactly that many problems.
   */
  static Stream<Arguments> malformedFiles() {
    return Stream.of(
        Arguments.of(
            "bad-yaml.yaml",
            List.of(
                "bad-yaml.yaml:*: this is not valid YAML: * (while scanning a quoted scalar that"
                    + " starts at line 3, column 13); fix the syntax there")),
        Arguments.of(
            "bad-indentation.yaml",
            List.of(
                "bad-indentation.yaml:4:4: this is not valid YAML: expected <block end>, but found"
                    + " *; fix the syntax there")),
        Arguments.of(
            "wrong-types.yaml",
            List.of(
                "wrong-types.yaml:1:13: top level: autoAccept must be true or false, not text 'yes"
                    + " please'",
                "wrong-types.yaml:2:14: top level: maxAttempts must be a whole number such as 2,"
                    + " not text 'two'",
                "wrong-types.yaml:6:14: tasks[0] (schema): timeout 30 has no unit; write it like"
                    + " 90s, 15m, 2h or 1h30m",
                "wrong-types.yaml:7:16: tasks[0] (schema): dependsOn must be a list of task ids,"
                    + " not text 'api'; write it as a list: dependsOn: [api]",
                "wrong-types.yaml:10:7: tasks[1] (api): prompt must be text, not a mapping (a ': '"
                    + " inside unquoted text starts a mapping;")),
        Arguments.of(
            "cycle.yaml",
            List.of(
                "cycle.yaml:2:5: tasks[0] (a): dependency cycle a -> c -> b -> a; no task in it"
                    + " could ever start: remove one of these dependsOn entries")),
        Arguments.of(
            "subtask-cycle.yaml",
            List.of(
                "subtask-cycle.yaml:5:9: tasks[0] (api) > subtasks[0] (handlers): dependency cycle"
                    + " api.handlers -> api.tests -> api.handlers")),
        Arguments.of(
            "self-dependency.yaml",
            List.of(
                "self-dependency.yaml:4:17: tasks[0] (schema): the task depends on itself; remove"
                    + " 'schema' from its dependsOn")),
        Arguments.of(
            "duplicate-ids.yaml",
            List.of(
                "duplicate-ids.yaml:6:9: tasks[2] (schema): id 'schema' is already used by tasks[0]"
                    + " (schema) (line 2); give each task its own id")),
        Arguments.of(
            "dotdot-id.yaml",
            List.of(
                "dotdot-id.yaml:2:9: tasks[0] (schema..v2): id 'schema..v2' contains '..'; use 1 to"
                    + " 63 lower-case letters")),
        Arguments.of(
            "leading-dash-id.yaml",
            List.of(
                "leading-dash-id.yaml:2:9: tasks[0] (-rf): id '-rf' starts with '-'; use 1 to 63"
                    + " lower-case letters")),
        Arguments.of(
            "upper-case-id.yaml",
            List.of(
                "upper-case-id.yaml:2:9: tasks[0] (Schema): id 'Schema' has upper-case letters;"
                    + " write 'schema'")),
        Arguments.of(
            "slash-id.yaml",
            List.of(
                "slash-id.yaml:2:9: tasks[0] (billing/schema): id 'billing/schema' contains a"
                    + " slash; use 1 to 63")),
        Arguments.of(
            "too-long-id.yaml",
            List.of(
                "too-long-id.yaml:2:9: tasks[0] (add-the-*): id"
                    + " 'add-the-invoices-table-with-every-column-the-billing-service-needs' is 66"
                    + " characters long; shorten it to at most 63")),
        Arguments.of(
            "dotted-subtask-id.yaml",
            List.of(
                "dotted-subtask-id.yaml:5:13: tasks[0] (api) > subtasks[0] (api.handlers): id"
                    + " 'api.handlers' contains a dot; a subtask's id is its short name (its task"
                    + " ID '<parent>.<id>' is made for you), so write only the part after the last"
                    + " dot")),
        Arguments.of(
            "unknown-keys.yaml",
            List.of(
                "unknown-keys.yaml:1:1: top level: unknown key 'agnet'; did you mean 'agent'?",
                "unknown-keys.yaml:7:5: tasks[1] (api): unknown key 'dependOn'; did you mean"
                    + " 'dependsOn'?",
                "unknown-keys.yaml:8:5: tasks[1] (api): unknown key 'colour'; known keys here: id,"
                    + " title, prompt, dependsOn, subtasks, repo, base, agent, model, command,"
                    + " autoAccept, review, completeWithoutMerge, timeout, idleTimeout,"
                    + " maxAttempts, maxBudgetUsd")),
        Arguments.of(
            "duplicate-key.yaml",
            List.of(
                "duplicate-key.yaml:4:5: tasks[0] (schema): 'prompt' is given twice (first on line"
                    + " 3); keep one")),
        Arguments.of(
            "unknown-dependency.yaml",
            List.of(
                "unknown-dependency.yaml:6:17: tasks[1] (api): dependsOn names 'shema', which is"
                    + " not a task in this file; did you mean 'schema'?")),
        Arguments.of(
            "non-sibling-dependency.yaml",
            List.of(
                "non-sibling-dependency.yaml:9:21: tasks[1] (api) > subtasks[0] (handlers):"
                    + " dependsOn names 'schema', which is not a sibling; a subtask may depend only"
                    + " on other subtasks of 'api'; to wait for 'schema', put it in the dependsOn"
                    + " of 'api'")),
        Arguments.of(
            "subtask-dependency-from-top.yaml",
            List.of(
                "subtask-dependency-from-top.yaml:9:17: tasks[1] (docs): dependsOn names"
                    + " 'api.handlers', a subtask; depend on its top-level task 'api' instead")),
        Arguments.of(
            "missing-repo.yaml",
            List.of(
                "missing-repo.yaml:1:7: top level: repo './no-such-folder': repository path"
                    + " */repo/no-such-folder does not exist")),
        Arguments.of(
            "not-a-repository.yaml",
            List.of(
                "not-a-repository.yaml:4:11: tasks[0] (schema): repo '../plain-folder':"
                    + " */plain-folder is not a git repository; run 'git init' there")),
        Arguments.of(
            "unknown-base.yaml",
            List.of(
                "unknown-base.yaml:1:7: top level: base ref 'no-such-branch' not found in */repo;"
                    + " use a branch, tag or commit that exists")),
        Arguments.of(
            "bad-duration.yaml",
            List.of(
                "bad-duration.yaml:1:10: top level: timeout: '10x' is not a duration: write it like"
                    + " 90s, 15m, 2h or 1h30m",
                "bad-duration.yaml:5:14: tasks[0] (schema): timeout: '0s' is not a duration")),
        Arguments.of(
            "empty-prompt.yaml",
            List.of(
                "empty-prompt.yaml:3:13: tasks[0] (schema): the prompt is empty; add 'prompt: <what"
                    + " the agent should do>'",
                "empty-prompt.yaml:4:5: tasks[1] (api): the task has no prompt; add 'prompt: <what"
                    + " the agent should do>'")),
        Arguments.of(
            "nul-prompt.yaml",
            List.of(
                "nul-prompt.yaml:3:13: tasks[0] (schema): prompt holds a NUL character (\\0) at"
                    + " character 2, which git and PostgreSQL cannot store; remove it")),
        Arguments.of(
            "alias.yaml",
            List.of(
                "alias.yaml:5:13: aliases (*p) are not supported in task files: write the text out"
                    + " where it is used")),
        Arguments.of(
            "deep-nesting.yaml",
            List.of(
                "deep-nesting.yaml:3:*: nesting deeper than 64 levels of mappings and lists; a task"
                    + " file needs only a few")),
        Arguments.of(
            "empty-tasks.yaml",
            List.of(
                "empty-tasks.yaml:2:8: top level: tasks is empty; add at least one task (id and"
                    + " prompt)")),
        Arguments.of(
            "no-tasks.yaml",
            List.of("no-tasks.yaml:1:1: top level: there are no tasks; add a 'tasks:' list")),
        Arguments.of("empty-file.yaml", List.of("empty-file.yaml: top level: the file is empty")),
        Arguments.of(
            "complete-without-merge-and-review.yaml",
            List.of(
                "complete-without-merge-and-review.yaml:8:5: tasks[1] (docs): completeWithoutMerge"
                    + " skips the review; give either it or 'review: true', not both")),
        Arguments.of(
            "not-a-mapping.yaml",
            List.of(
                "not-a-mapping.yaml:1:1: top level: the file holds a list; it must be a mapping"
                    + " with a 'tasks:' list")),
        Arguments.of(
            "missing-id.yaml",
            List.of("missing-id.yaml:2:5: tasks[0]: the task has no id; add 'id: <name>'")),
        Arguments.of(
            "subtask-repo.yaml",
            List.of(
                "subtask-repo.yaml:7:9: tasks[0] (api) > subtasks[0] (handlers): a subtask works in"
                    + " its parent's repository, branched from its parent's branch; remove 'repo'"
                    + " here",
                "subtask-repo.yaml:8:9: tasks[0] (api) > subtasks[0] (handlers): a subtask works in"
                    + " its parent's repository, branched from its parent's branch; remove 'base'"
                    + " here")),
        Arguments.of(
            "agent-mismatch.yaml",
            List.of(
                "agent-mismatch.yaml:6:12: tasks[0] (schema): model is for agent claude, and this"
                    + " task's agent is command; remove 'model' or set 'agent: claude'",
                "agent-mismatch.yaml:10:14: tasks[1] (api): command is for agent command, and this"
                    + " task's agent is claude; remove 'command' or set 'agent: command'",
                "agent-mismatch.yaml:13:12: tasks[2] (docs): unknown agent 'codex'; use claude or"
                    + " command")),
        Arguments.of(
            "many-problems.yaml",
            List.of(
                "many-problems.yaml:1:7: top level: plan name 'Billing' is invalid",
                "many-problems.yaml:2:10: top level: timeout: 'soon' is not a duration",
                "many-problems.yaml:4:9: tasks[0] (Schema): id 'Schema' has upper-case letters;"
                    + " write 'schema'",
                "many-problems.yaml:6:18: tasks[0] (Schema): maxAttempts must be 1 or more, not 0",
                "many-problems.yaml:8:13: tasks[1] (api): the prompt is empty",
                "many-problems.yaml:9:17: tasks[1] (api): dependsOn names 'schema', which is not a"
                    + " task in this file; did you mean 'Schema'?",
                "many-problems.yaml:9:25: tasks[1] (api): dependsOn names 'nowhere', which is not a"
                    + " task in this file; tasks: Schema, api",
                "many-problems.yaml:10:13: tasks[1] (api): review must be true or false, not text"
                    + " 'maybe'")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedFiles")
  void refusesAMalformedTaskFile(String name, List<String> expected) throws IOException {
    copy(name);

    var result = cli().run("run", "-f", name);

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.out()).as("nothing on stdout").isEmpty();
    List<String> lines = result.err().strip().lines().toList();
    assertThat(lines)
        .as(result.toString())
        .hasSize(expected.size() + 1)
        .allMatch(line -> line.startsWith("taskwright: "));
    for (int i = 0; i < expected.size(); i++) {
      // '*' stands for what depends on the machine: temp paths, the parser's own words.
      assertThat(lines.get(i))
          .as("problem %d of %s", i + 1, result)
          .containsSubsequence(expected.get(i).split("\\*"));
    }
    String count = expected.size() == 1 ? "1 problem" : expected.size() + " problems";
    assertThat(lines.get(lines.size() - 1))
        .isEqualTo(
            "taskwright: "
                + name
                + ": "
                + count
                + ", so nothing was started; fix them and run again");
    assertNothingStarted(name);
  }

  @Test
  void refusesAFileThatDoesNotExist() {
    var result = cli().run("run", "-f", "no-such-plan.yaml");
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.err().strip())
        .startsWith("taskwright: task file no-such-plan.yaml does not exist (looked for ");
  }

  @Test
  void refusesAFolderABinaryFileAndAnEndlessFile() throws IOException {
    Files.createDirectories(sandbox.repo().resolve("plans.yaml"));
    Files.write(
        sandbox.repo().resolve("binary.yaml"), new byte[] {(byte) 0xff, (byte) 0xfe, 't', 0, 'a'});

    assertRefused(
        cli().run("run", "-f", "plans.yaml"),
        ExitCodes.BAD_INPUT,
        "task file plans.yaml is a folder; give -f the path of a task file");
    assertRefused(
        cli().run("run", "-f", "binary.yaml"),
        ExitCodes.BAD_INPUT,
        "task file binary.yaml is not UTF-8 text; save it as UTF-8");
    // Read only as far as the limit: an endless file is refused, not read into memory.
    assertRefused(
        cli().run("run", "-f", "/dev/zero"),
        ExitCodes.BAD_INPUT,
        "task file /dev/zero is not a regular file");
  }

  @Test
  void refusesAFifoAtOnceInsteadOfWaitingForAWriter() throws Exception {
    Path fifo = sandbox.repo().resolve("plan.fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertThat(mkfifo.waitFor()).isZero();

    var result = cli().run("run", "-f", "plan.fifo");

    assertRefused(
        result,
        ExitCodes.BAD_INPUT,
        "task file plan.fifo is not a regular file (a pipe, a device or a socket)");
    assertThat(result.took()).isLessThan(java.time.Duration.ofSeconds(20));
    Files.delete(fifo);
  }

  /** A file of {@code count} small tasks, t-0 to t-N, in the sandbox repository. */
  private static String manyTasks(String name, int count) throws IOException {
    StringBuilder yaml = new StringBuilder("tasks:\n");
    for (int i = 0; i < count; i++) {
      yaml.append("  - id: ")
          .append(name)
          .append("-")
          .append(i)
          .append("\n    agent: command\n    command: 'true'\n    prompt: Task ")
          .append(i)
          .append('\n');
    }
    Files.writeString(sandbox.repo().resolve(name + ".yaml"), yaml);
    return name + ".yaml";
  }

  @Test
  void refusesMoreTasksThanTheCapWithTheCountAndTheOption() throws IOException {
    var result = cli().run("run", "-f", manyTasks("flood", 101));

    assertRefused(
        result,
        ExitCodes.BAD_INPUT,
        "task file flood.yaml holds 101 tasks (subtasks included), more than the cap of 100, so"
            + " nothing was started",
        "--max-tasks 101");
    assertThat(tasks().describe("flood-0")).isEmpty();

    var lowered = cli().run("run", "-f", manyTasks("few", 3), "--max-tasks", "2");
    assertRefused(
        lowered, ExitCodes.BAD_INPUT, "holds 3 tasks (subtasks included), more than the cap of 2");
    assertThat(tasks().describe("few-0")).isEmpty();
  }

  @Test
  void theCapCanBeRaisedAndTheClosingLineCountsTheTasks() throws IOException {
    var result = cli().run("run", "-f", manyTasks("raised", 3), "--max-tasks", "3");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.err()).contains(": started 3 of 3 tasks on ");
    assertThat(tasks().describe("raised-2")).isPresent();
  }

  @Test
  void refusesAHugeFileBeforeParsingIt() throws IOException {
    StringBuilder yaml = new StringBuilder("tasks:\n");
    for (int i = 0; yaml.length() <= TaskFiles.MAX_BYTES; i++) {
      yaml.append("  - id: task-")
          .append(i)
          .append("\n    prompt: ")
          .append("Add the invoices table. ".repeat(40))
          .append('\n');
    }
    Files.writeString(sandbox.repo().resolve("huge.yaml"), yaml);

    var result = cli().run("run", "-f", "huge.yaml");

    assertRefused(
        result,
        ExitCodes.BAD_INPUT,
        "task file huge.yaml is larger than 1 MB, the most a task file may be",
        "split it into several files");
    assertThat(tasks().describe("task-0")).isEmpty();
  }

  @Test
  void refusesAPromptOverTheLimitWithItsLine() throws IOException {
    String prompt = "x".repeat(TaskSpec.MAX_PROMPT_LENGTH + 1);
    Files.writeString(
        sandbox.repo().resolve("long-prompt.yaml"),
        "tasks:\n  - id: fine\n    prompt: Add the table\n  - id: too-long\n    prompt: "
            + prompt
            + "\n");

    var result = cli().run("run", "-f", "long-prompt.yaml");

    assertRefusedIn(
        result,
        ExitCodes.BAD_INPUT,
        2,
        "long-prompt.yaml:5:13: tasks[1] (too-long): the prompt is "
            + prompt.length()
            + " characters long; a task takes at most "
            + TaskSpec.MAX_PROMPT_LENGTH,
        "long-prompt.yaml: 1 problem, so nothing was started");
    assertThat(tasks().describe("fine")).isEmpty();
    assertThat(tasks().describe("too-long")).isEmpty();
  }

  @Test
  void refusesARepositoryThatIsAFileOrHasNoCommits() throws Exception {
    Path file = Files.writeString(sandbox.folder().resolve("repo-file.txt"), "not a repository\n");
    Path empty = Files.createDirectories(sandbox.folder().resolve("empty-repo"));
    GitRepos.git(empty, "init", "-q");
    Files.writeString(
        sandbox.repo().resolve("odd-repos.yaml"),
        "tasks:\n  - id: in-a-file\n    repo: "
            + file
            + "\n    prompt: Add the table\n"
            + "  - id: in-no-commits\n    repo: "
            + empty
            + "\n    prompt: Add the table\n");

    var result = cli().run("run", "-f", "odd-repos.yaml");

    assertRefusedIn(
        result,
        ExitCodes.BAD_INPUT,
        3,
        "odd-repos.yaml:3:11: tasks[0] (in-a-file): repo '"
            + file
            + "': repository path "
            + file
            + " is a file",
        "odd-repos.yaml:6:11: tasks[1] (in-no-commits): ",
        "has no commits yet",
        "odd-repos.yaml: 2 problems, so nothing was started");
    assertThat(Files.readString(file)).isEqualTo("not a repository\n");
    assertThat(GitRepos.git(empty, "branch", "--list")).isEmpty();
    assertNothingStarted("odd-repos.yaml");
  }

  static Stream<Arguments> optionsThatDoNotGoWithAFile() {
    return Stream.of(
        Arguments.of(
            List.of("--id", "schema"),
            "--id cannot be combined with -f: each task's settings are in the task file (see"
                + " docs/task-files.md)"),
        Arguments.of(
            List.of("--repo", "."),
            "--repo cannot be combined with -f: each task's settings are in the task file (see"
                + " docs/task-files.md)"),
        Arguments.of(
            List.of("--auto-accept"),
            "--auto-accept cannot be combined with -f: each task's settings are in the task file"
                + " (see docs/task-files.md)"),
        Arguments.of(
            List.of("Add", "the", "invoices", "table"),
            "PROMPT cannot be combined with -f: each task's prompt is in the task file"));
  }

  @ParameterizedTest
  @MethodSource("optionsThatDoNotGoWithAFile")
  void refusesTaskOptionsNextToAFile(List<String> extra, String message) throws IOException {
    Files.writeString(
        sandbox.repo().resolve("good.yaml"),
        "tasks:\n  - id: combined\n    prompt: Add the invoices table\n");
    List<String> args = new ArrayList<>(List.of("run", "-f", "good.yaml"));
    args.addAll(extra);

    var result = cli().run(args.toArray(String[]::new));

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.err().strip().lines())
        .as(result.toString())
        .containsExactly("taskwright: " + message);
    assertThat(tasks().describe("combined")).isEmpty();
  }

  @Test
  void stillAsksForAPromptWithoutAFile() {
    var result = cli().run("run");
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.err()).contains("PROMPT", "-f", "--help");
  }

  private static TaskClient tasks() {
    return new TaskClient(sandbox.temporal().client());
  }

  /** No workflow exists for any ID the file names, nor for any subtask ID. */
  private static void assertNothingStarted(String name) throws IOException {
    Matcher ids = ID.matcher(Files.readString(sandbox.repo().resolve(name)));
    List<String> named = new ArrayList<>();
    while (ids.find()) {
      named.add(ids.group(1));
    }
    for (String id : named) {
      assertThat(tasks().describe(id)).as("no workflow for " + id).isEmpty();
    }
  }
}
