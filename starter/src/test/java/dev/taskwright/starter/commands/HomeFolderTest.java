package dev.taskwright.starter.commands;

import static dev.taskwright.starter.support.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.TaskSandbox;
import dev.taskwright.starter.task.TaskClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@code TASKWRIGHT_HOME} with no room for worktrees: the home is a file, {@code worktrees} is a
 * file, a dangling link, or a folder this user may not write. {@code run} and {@code run -f} refuse
 * with exit 2 before a task starts (it would wait in PREPARING forever), and {@code worker}, {@code
 * dev} and {@code demo} before they start a server, the ledger or a worker. The message names the
 * place and what to do; what was there is left as it was.
 */
class HomeFolderTest {

  @RegisterExtension static final TaskSandbox sandbox = TaskSandbox.withoutWorker();

  private Path home;
  private Path locked;

  @BeforeEach
  void freshHome() throws IOException {
    home = Files.createTempDirectory(sandbox.folder(), "home-");
  }

  @AfterEach
  void unlock() throws IOException {
    if (locked != null) {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  private CliRun cli(Path taskwrightHome) {
    return sandbox.cli().home(taskwrightHome).env("TASKWRIGHT_CLAUDE_BIN", "/bin/true");
  }

  /** A regular file where a folder belongs, with contents that must survive. */
  private static Path file(Path path) throws IOException {
    return Files.writeString(path, "keep me\n");
  }

  /**
   * {@code worktrees} as a folder this user may not write. Root may write any folder whatever its
   * mode, so where chmod does not stop a write (CI runs as root) the folder becomes a regular file
   * instead: still a place no worktree can be made, so the test still fails if the check is
   * missing.
   */
  private Path unwritableWorktrees() throws IOException {
    Path worktrees = Files.createDirectories(home.resolve("worktrees"));
    Files.setPosixFilePermissions(worktrees, PosixFilePermissions.fromString("r-xr-xr-x"));
    locked = worktrees;
    try {
      Files.delete(Files.createTempFile(worktrees, "probe", ".tmp"));
    } catch (IOException refused) {
      return worktrees;
    }
    Files.setPosixFilePermissions(worktrees, PosixFilePermissions.fromString("rwxr-xr-x"));
    locked = null;
    Files.delete(worktrees);
    return file(worktrees);
  }

  private void assertNothingStarted(String taskId) throws Exception {
    assertThat(new TaskClient(sandbox.temporal().client()).describe(taskId))
        .as("no workflow " + taskId)
        .isEmpty();
    assertThat(GitRepos.git(sandbox.repo(), "branch", "--list", "taskwright/*"))
        .as("no task branch")
        .isEmpty();
    assertThat(
            GitRepos.git(sandbox.repo(), "worktree", "list", "--porcelain")
                .lines()
                .filter(line -> line.startsWith("worktree ")))
        .as("no worktree")
        .hasSize(1);
  }

  /**
   * run with a prompt, then run -f with a task file of the same task, against {@code
   * taskwrightHome}.
   */
  private void runAndRunFileAreRefused(Path taskwrightHome, String id, String... phrases)
      throws Exception {
    var run = cli(taskwrightHome).run("run", "--id", id, "--command", "true", "do something");
    assertRefused(run, ExitCodes.BAD_INPUT, phrases);
    assertRefused(run, ExitCodes.BAD_INPUT, "set TASKWRIGHT_HOME to a folder this user can write");
    assertNothingStarted(id);

    Path plan =
        Files.writeString(
            sandbox.folder().resolve(id + ".yaml"),
            "repo: "
                + sandbox.repo()
                + "\nagent: command\ncommand: 'true'\ntasks:\n  - id: "
                + id
                + "\n    prompt: do something\n");
    var file = cli(taskwrightHome).in(sandbox.repo()).run("run", "-f", plan.toString());
    assertRefused(file, ExitCodes.BAD_INPUT, phrases);
    assertNothingStarted(id);
  }

  @Test
  void aHomeThatIsAFileIsRefused() throws Exception {
    Path homeFile = file(sandbox.folder().resolve("home-is-a-file"));

    runAndRunFileAreRefused(
        homeFile, "home-file", "TASKWRIGHT_HOME " + homeFile + " is a file, not a folder");

    assertThat(Files.readString(homeFile)).isEqualTo("keep me\n");
  }

  @Test
  void aHomeBelowAFileIsRefused() throws Exception {
    Path homeFile = file(sandbox.folder().resolve("a-file"));

    runAndRunFileAreRefused(
        homeFile.resolve("home"),
        "home-below-file",
        "TASKWRIGHT_HOME "
            + homeFile.resolve("home")
            + " cannot be created: "
            + homeFile
            + " is a file, not a folder");
  }

  @Test
  void worktreesThatIsAFileIsRefused() throws Exception {
    Path worktrees = file(home.resolve("worktrees"));

    runAndRunFileAreRefused(
        home, "worktrees-file", "the worktree folder " + worktrees + " is a file, not a folder");

    assertThat(Files.readString(worktrees)).isEqualTo("keep me\n");
  }

  @Test
  void worktreesThatIsADanglingLinkIsRefused() throws Exception {
    Path worktrees =
        Files.createSymbolicLink(home.resolve("worktrees"), sandbox.folder().resolve("gone"));

    runAndRunFileAreRefused(
        home,
        "worktrees-link",
        "the worktree folder "
            + worktrees
            + " is a symbolic link to something that does not exist");
  }

  @Test
  void worktreesThatCannotBeWrittenIsRefused() throws Exception {
    Path worktrees = unwritableWorktrees();

    runAndRunFileAreRefused(home, "worktrees-locked", "the worktree folder " + worktrees + " is");

    assertThat(worktrees).exists();
  }

  @Test
  void aTranscriptFolderThatIsAFileIsRefused() throws Exception {
    Path logs = file(home.resolve("logs"));

    runAndRunFileAreRefused(
        home, "logs-file", "the transcript folder " + logs + " is a file, not a folder");
  }

  /**
   * Started in the background, so that a command that got past the check (and runs until stopped)
   * fails the test instead of hanging it.
   */
  private CliRun.Result refusedAtOnce(Path taskwrightHome, String... args) throws Exception {
    CliRun.Background started = cli(taskwrightHome).start(args);
    try {
      return started.result().get(60, TimeUnit.SECONDS);
    } catch (TimeoutException stillRunning) {
      CliRun.Result stopped = started.stop();
      throw new AssertionError(String.join(" ", args) + " started instead of refusing: " + stopped);
    }
  }

  @Test
  void workerDevAndDemoRefuseToStartWithoutRoomForWorktrees() throws Exception {
    Path worktrees = file(home.resolve("worktrees"));
    Path homeFile = file(sandbox.folder().resolve("worker-home-file"));
    List<List<String>> commands =
        List.of(
            List.of("worker"),
            List.of("dev", "--temporal", sandbox.temporal().address()),
            List.of("demo"));

    for (List<String> command : commands) {
      var result = refusedAtOnce(home, command.toArray(String[]::new));
      assertRefused(
          result,
          ExitCodes.BAD_INPUT,
          "the worktree folder " + worktrees + " is a file, not a folder",
          "TASKWRIGHT_HOME");
      var homeIsAFile = refusedAtOnce(homeFile, command.toArray(String[]::new));
      assertRefused(
          homeIsAFile,
          ExitCodes.BAD_INPUT,
          "TASKWRIGHT_HOME " + homeFile + " is a file, not a folder");
    }
    List<String> made = new ArrayList<>();
    try (var children = Files.list(home)) {
      children.forEach(child -> made.add(child.getFileName().toString()));
    }
    assertThat(made)
        .as("no ledger, log, demo or server database was made")
        .containsExactly("worktrees");
    assertThat(Files.readString(worktrees)).isEqualTo("keep me\n");
    assertThat(Files.readString(homeFile)).isEqualTo("keep me\n");
  }
}
