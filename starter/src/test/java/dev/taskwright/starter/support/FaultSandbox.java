package dev.taskwright.starter.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskwright.activities.Home;
import dev.taskwright.ledger.EmbeddedPostgres;
import dev.taskwright.ledger.testing.TestDatabase;
import dev.taskwright.starter.CliEnvironment;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.testing.ClaudeCli;
import dev.taskwright.testing.ModelReply;
import dev.taskwright.testing.ModelScript;
import dev.taskwright.testing.ScriptedModelServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a fault test needs, every part real and fresh for each test: a real Temporal server ({@link
 * DevServer}), workers as processes of their own ({@link WorkerProcess}) that the test can kill,
 * the real Claude Code CLI against a scripted model, a git repository, and the ledger in the
 * embedded PostgreSQL of the workers' home (as {@code dev} users have it) unless the test points
 * the workers at another. After each test it stops everything it started, then checks that the
 * model script never failed and that no process is left working in the home.
 */
public final class FaultSandbox implements BeforeEachCallback, AfterEachCallback {

  private final Map<String, String> environment = new LinkedHashMap<>();
  private final List<WorkerProcess> workers = new ArrayList<>();
  private Path folder;
  private Path home;
  private Path repo;
  private ScriptedModelServer model;
  private DevServer server;

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    folder = Files.createTempDirectory("taskwright-fault-");
    home = folder.resolve("home");
    repo = GitRepos.create(folder.resolve("repo"));
    model = ScriptedModelServer.start(ModelScript.always(ModelReply.text("no script set")));
    server = DevServer.start(folder.resolve("temporal"));
    environment.put("TEMPORAL_ADDRESS", server.address());
    environment.put("TASKWRIGHT_HOME", home.toString());
    environment.put(CliEnvironment.CACHE, TestDatabase.binaryCache().toString());
    environment.put(CliEnvironment.CLAUDE_BIN, ClaudeCli.locate().toString());
    environment.putAll(model.cliEnvironment(folder.resolve("claude-home")));
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    List<String> problems = new ArrayList<>();
    for (WorkerProcess worker : workers) {
      if (worker.isAlive()) {
        int code = worker.stop();
        if (code != 0 && code != WorkerProcess.EXIT_ON_SIGTERM) {
          problems.add("worker " + worker.pid() + " exited with " + code + ":\n" + worker.log());
        }
      }
    }
    if (server != null) {
      server.close();
    }
    // A worker killed with SIGKILL leaves the PostgreSQL it started; adopting it stops it.
    Path postgres = home.resolve("postgres");
    if (EmbeddedPostgres.isRunning(postgres)) {
      EmbeddedPostgres.startOrAttach(
              postgres, TestDatabase.binaryCache(), EmbeddedPostgres.Stop.ON_CLOSE)
          .close();
    }
    List<String> leftovers = agentProcesses().stream().map(FaultSandbox::describe).toList();
    for (ProcessHandle process : agentProcesses()) {
      process.destroyForcibly();
    }
    if (model != null) {
      model.close();
    }
    deleteRecursively(folder);
    assertThat(leftovers).as("agent processes left running").isEmpty();
    assertThat(problems).as("workers that did not stop cleanly").isEmpty();
    if (model != null) {
      assertThat(model.scriptFailures()).as("the model script never failed").isEmpty();
    }
  }

  /** Starts one more worker process with this sandbox's environment. */
  public WorkerProcess startWorker() throws IOException, InterruptedException {
    WorkerProcess worker =
        WorkerProcess.start(environment, folder.resolve("worker-" + (workers.size() + 1) + ".log"));
    workers.add(worker);
    return worker;
  }

  /** Sets or removes a variable of the workers' and the CLI's environment, before they start. */
  public FaultSandbox env(String name, String value) {
    if (value == null) {
      environment.remove(name);
    } else {
      environment.put(name, value);
    }
    return this;
  }

  /** The taskwright CLI, in-process, in the repository, with the workers' environment. */
  public CliRun cli() {
    CliRun cli = CliRun.with().in(repo);
    environment.forEach(cli::env);
    return cli;
  }

  public Path home() {
    return home;
  }

  public Path folder() {
    return folder;
  }

  public Path repo() {
    return repo;
  }

  public ScriptedModelServer model() {
    return model;
  }

  public DevServer server() {
    return server;
  }

  /**
   * The task's worktree, found where the worker made it: {@code <home>/worktrees/<repo
   * folder>/<id>}.
   */
  public Path worktree(String taskId) {
    return Worktrees.find(home, taskId);
  }

  /** The agent the worker recorded as running the task, if its record is there. */
  public Optional<Long> recordedAgentPid(String taskId) throws IOException {
    Path record = new Home(home).logs(taskId).resolve("agent.pid");
    if (!Files.exists(record)) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ObjectMapper().readTree(record.toFile()).path("pid").asLong());
    } catch (IOException e) {
      return Optional.empty(); // Being rewritten; the caller looks again.
    }
  }

  /**
   * Reads {@code status} until the task is in {@code state}, riding out a moment when the server
   * cannot be reached (it may be the fault under test). The limit only keeps a broken test from
   * hanging; it is not what the test checks.
   */
  public JsonNode awaitState(String taskId, String state, Duration limit)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    CliRun.Result status = null;
    while (System.nanoTime() < deadline) {
      status = cli().run("status", taskId, "--output", "json");
      if (status.exitCode() == ExitCodes.OK) {
        JsonNode json = new ObjectMapper().readTree(status.out());
        if (json.path("state").asText().equals(state)) {
          return json;
        }
      } else if (status.exitCode() != ExitCodes.NOT_FOUND
          && status.exitCode() != ExitCodes.UNREACHABLE) {
        throw new AssertionError("status failed: " + status);
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        taskId
            + " did not reach "
            + state
            + " within "
            + limit
            + "; last status: "
            + status
            + "\n"
            + workerLogs());
  }

  /** Every worker's output, for failure messages. */
  public String workerLogs() {
    StringBuilder logs = new StringBuilder();
    for (int i = 0; i < workers.size(); i++) {
      logs.append("--- worker ")
          .append(i + 1)
          .append(" ---\n")
          .append(workers.get(i).log())
          .append('\n');
    }
    return logs.toString();
  }

  /** Live processes working in a worktree: agents and whatever they started. */
  public List<ProcessHandle> agentProcesses() {
    return processesWorkingUnder(home.resolve("worktrees"));
  }

  /**
   * Live processes whose working directory is in {@code folder}: agents and whatever they started.
   */
  public static List<ProcessHandle> processesWorkingUnder(Path folder) {
    Path root = folder.toAbsolutePath().normalize();
    return ProcessHandle.allProcesses()
        .filter(process -> process.pid() != ProcessHandle.current().pid())
        .filter(process -> workingDirectory(process).map(cwd -> cwd.startsWith(root)).orElse(false))
        .toList();
  }

  private static Optional<Path> workingDirectory(ProcessHandle process) {
    try {
      return Optional.of(
          Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd")));
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return Optional.empty(); // Gone, or not ours to read.
    }
  }

  private static String describe(ProcessHandle process) {
    return process.pid() + " " + process.info().commandLine().orElse("?");
  }

  private static void deleteRecursively(Path folder) throws IOException {
    if (folder == null || !Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
