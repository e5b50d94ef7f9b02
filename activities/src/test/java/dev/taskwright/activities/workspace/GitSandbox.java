package dev.taskwright.activities.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.taskwright.activities.Home;
import dev.taskwright.workflows.model.PrepareInput;
import dev.taskwright.workflows.model.Workspace;
import dev.taskwright.workflows.ports.WorkspaceActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension that gives each test real git repositories in a temporary folder (one, {@link
 * #repo}, made before the test), a taskwright home beside them, and the workspace activities
 * reached through Temporal's {@link TestActivityEnvironment}, so that tests see results and
 * failures exactly as a workflow would. Register it with {@code @RegisterExtension}.
 *
 * <p>Git runs with a global configuration of its own (empty, so no identity) and without the system
 * one, so that neither the machine's settings nor the person running the tests change what the
 * tests see. Setup commits pass their own identity on the command line.
 */
final class GitSandbox implements BeforeEachCallback, AfterEachCallback {

  static final String HOST = "test-host";

  Path root;
  Home home;
  Git git;
  WorkspaceActivities activities;

  /** The repository {@code project}, on branch main with one commit holding README.md. */
  Path repo;

  private TestActivityEnvironment environment;

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    // Real paths throughout, so that paths git prints compare equal to the test's own.
    root = Files.createTempDirectory("taskwright-git").toRealPath();
    home = new Home(root.resolve("home"));
    Path globalConfig = root.resolve("global.gitconfig");
    write(globalConfig, "");
    git =
        Git.withOverrides(
            Map.of("GIT_CONFIG_GLOBAL", globalConfig.toString(), "GIT_CONFIG_NOSYSTEM", "1"),
            Duration.ofSeconds(60));
    environment = TestActivityEnvironment.newInstance();
    environment.registerActivitiesImplementations(
        new HeartbeatingWorkspace(new GitWorkspace(home, HOST, git)));
    // One attempt only: a retryable failure must reach the test, not be retried behind its back.
    activities =
        environment.newActivityStub(
            WorkspaceActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
    repo = newRepo("project");
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    environment.close();
    for (TestActivityEnvironment other : otherEnvironments) {
      other.close();
    }
    deleteRecursively(root);
  }

  private final List<TestActivityEnvironment> otherEnvironments = new ArrayList<>();

  /**
   * The workspace activities of a worker whose TASKWRIGHT_OUTSIDE_LINKS is {@code outsideLinks}, on
   * the same home and git.
   */
  WorkspaceActivities activitiesWith(OutsideLinks outsideLinks) {
    TestActivityEnvironment other = TestActivityEnvironment.newInstance();
    otherEnvironments.add(other);
    other.registerActivitiesImplementations(
        new HeartbeatingWorkspace(new GitWorkspace(home, HOST, git, outsideLinks)));
    return other.newActivityStub(
        WorkspaceActivities.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(1))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build());
  }

  /**
   * Adds {@code lib}, a repository of its own, as the submodule {@code path} of {@code repo} and
   * commits it.
   */
  void addSubmodule(Path repo, Path lib, String path) {
    git(
        repo,
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "--quiet",
        lib.toString(),
        path);
    commitStaged(repo, "add submodule " + path);
  }

  /** Prepares the worktree of {@code taskId} in {@link #repo} from main. */
  Workspace prepare(String taskId) {
    return activities.prepare(new PrepareInput(taskId, repo.toString(), "main", List.of()));
  }

  /**
   * A new repository at {@code root/<relative>} on branch {@code main} with one commit holding
   * README.md.
   */
  Path newRepo(String relative) {
    Path repo = root.resolve(relative);
    try {
      Files.createDirectories(repo);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    git(repo, "init", "--quiet", "--initial-branch=main");
    commitFile(repo, "README.md", "hello\n");
    return repo.toAbsolutePath();
  }

  /** Writes a file and commits it with a setup identity; returns the new commit's SHA. */
  String commitFile(Path dir, String name, String content) {
    write(dir.resolve(name), content);
    git(dir, "add", name);
    return commitStaged(dir, "add " + name);
  }

  /** Commits what is staged in {@code dir} with a setup identity; returns the new commit's SHA. */
  String commitStaged(Path dir, String message) {
    git(
        dir,
        "-c",
        "user.name=Setup",
        "-c",
        "user.email=setup@example.com",
        "commit",
        "--quiet",
        "-m",
        message);
    return git(dir, "rev-parse", "HEAD");
  }

  /**
   * Runs git for a test's setup or assertion and returns its trimmed stdout; fails on any error.
   */
  String git(Path dir, String... args) {
    return git.run(dir, args).out();
  }

  /** The lines git prints, for lists of commits, branches and paths. */
  List<String> gitLines(Path dir, String... args) {
    return new ArrayList<>(git.run(dir, args).stdout().lines().toList());
  }

  boolean branchExists(Path repo, String branch) {
    return git.tryRun(repo, "show-ref", "--verify", "--quiet", "refs/heads/" + branch).succeeded();
  }

  /** Where {@code prepare} puts the worktree of {@code taskId} for {@code repo}. */
  Path expectedWorktree(Path repo, String taskId) {
    try {
      Path commonDir = repo.resolve(".git").toRealPath();
      return home.worktree(GitWorkspace.repositoryFolderName(commonDir), taskId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteRecursively(Path path) throws IOException {
    try (Stream<Path> paths = Files.walk(path)) {
      for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(each);
      }
    }
  }

  static void write(Path file, String content) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The application failure an activity call ended with, as a workflow would receive it. */
  static ApplicationFailure failureOf(Runnable activityCall) {
    Throwable thrown = catchThrowable(activityCall::run);
    assertThat(thrown).as("the activity should have failed").isInstanceOf(ActivityFailure.class);
    assertThat(thrown.getCause()).isInstanceOf(ApplicationFailure.class);
    return (ApplicationFailure) thrown.getCause();
  }
}
