package dev.taskwright.activities.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.activities.Home;
import dev.taskwright.workflows.model.AgentConfig;
import dev.taskwright.workflows.model.AgentOutcome;
import dev.taskwright.workflows.model.AgentProgress;
import dev.taskwright.workflows.model.AgentRun;
import dev.taskwright.workflows.model.Workspace;
import dev.taskwright.workflows.ports.AgentActivities;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One agent activity under test: a temp git repository with a task worktree, a taskwright home, and
 * a {@link TestActivityEnvironment} running {@link AgentActivitiesImpl} with fast heartbeats.
 */
final class AgentTestSupport implements AutoCloseable {

  /** Heartbeat and poll often so that cancellation and watchdog tests take a second, not ten. */
  static final ProcessTimings FAST =
      new ProcessTimings(Duration.ofMillis(200), Duration.ofMillis(50), Duration.ofSeconds(2));

  final Path root;
  final Home home;
  final Path worktree;
  final Workspace workspace;
  final List<AgentProgress> heartbeats = new CopyOnWriteArrayList<>();

  /** What the activity measured, kept across attempts as one worker process would keep it. */
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private final AgentSettings settings;
  private TestActivityEnvironment environment;
  private AgentActivities activities;

  AgentTestSupport(Path root, String claudeExecutable, Map<String, String> extraEnvironment)
      throws IOException {
    this.root = root;
    this.home = new Home(root.resolve("taskwright-home"));
    Path repo = root.resolve("repo");
    Files.createDirectories(repo);
    git(repo, "init", "-q", "-b", "main");
    Files.writeString(repo.resolve("README.md"), "scratch repository\n");
    git(repo, "add", "README.md");
    git(
        repo,
        "-c",
        "user.name=test",
        "-c",
        "user.email=test@example.com",
        "commit",
        "-q",
        "-m",
        "initial");
    this.worktree = home.worktree("repo", "t1");
    Files.createDirectories(worktree.getParent());
    git(repo, "worktree", "add", "-q", "-b", "taskwright/t1", worktree.toString());
    this.workspace = new Workspace(worktree.toString(), "taskwright/t1", "HEAD", "localhost");
    this.settings = new AgentSettings(claudeExecutable, extraEnvironment);
    newAttempt();
  }

  /** A fresh activity environment, as a retried attempt on a new worker would get. */
  AgentTestSupport newAttempt() {
    if (environment != null) {
      environment.close();
    }
    environment = TestActivityEnvironment.newInstance();
    environment.registerActivitiesImplementations(
        new AgentActivitiesImpl(home, settings, FAST, meters));
    environment.setActivityHeartbeatListener(AgentProgress.class, heartbeats::add);
    activities =
        environment.newActivityStub(
            AgentActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(2))
                // The SDK sends heartbeats at most every 0.8 of this, and cancellation arrives with
                // them.
                .setHeartbeatTimeout(Duration.ofSeconds(1))
                .build());
    return this;
  }

  TestActivityEnvironment environment() {
    return environment;
  }

  AgentOutcome run(AgentRun run) {
    return activities.run(run);
  }

  AgentRun claudeRun(String prompt) {
    return claudeRun(
        AgentConfig.claude(null),
        UUID.randomUUID().toString(),
        false,
        1,
        prompt,
        Duration.ofSeconds(60),
        Duration.ofSeconds(30));
  }

  AgentRun claudeRun(
      AgentConfig agent,
      String sessionId,
      boolean resume,
      int runNumber,
      String prompt,
      Duration timeout,
      Duration idleTimeout) {
    return new AgentRun(
        "t1",
        runNumber,
        agent,
        workspace,
        sessionId,
        resume,
        prompt,
        List.of(),
        timeout,
        idleTimeout);
  }

  AgentRun commandRun(String script, Duration timeout, Duration idleTimeout) {
    return new AgentRun(
        "t1",
        1,
        AgentConfig.command(List.of("bash", "-c", script)),
        workspace,
        null,
        false,
        "the prompt",
        List.of(),
        timeout,
        idleTimeout);
  }

  ControlFiles controlFiles() {
    return ControlFiles.of(home, "t1");
  }

  Path pidRecord() {
    return home.logs("t1").resolve("agent.pid");
  }

  /** A condition a test waits for; may throw, like reading a file. */
  interface Condition {
    boolean holds() throws Exception;
  }

  /** Polls {@code condition} until it holds; fails the test after {@code timeout}. */
  static void waitUntil(Duration timeout, String description, Condition condition)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out after " + timeout + " waiting until " + description);
      }
      Thread.sleep(50);
    }
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** PIDs a test script wrote, one per line. */
  static List<Long> readPids(Path file) throws IOException {
    List<Long> pids = new ArrayList<>();
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          pids.add(Long.parseLong(line.strip()));
        }
      }
    }
    return pids;
  }

  static void git(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as("git %s: %s", command, output).isZero();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    environment.close();
  }
}
