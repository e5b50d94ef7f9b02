package dev.taskwright.starter.support;

import dev.taskwright.activities.Home;
import dev.taskwright.activities.agent.AgentSettings;
import dev.taskwright.starter.worker.WorkerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a CLI test class shares: a temp folder with a taskwright home and a git repository, an
 * in-process Temporal server, optionally a worker, and a {@link CliRun} wired to all of them.
 * Register it as a static {@code @RegisterExtension} field.
 */
public final class TaskSandbox implements BeforeAllCallback, AfterAllCallback {

  private final boolean withWorker;
  private Path folder;
  private TemporalFixture temporal;

  private TaskSandbox(boolean withWorker) {
    this.withWorker = withWorker;
  }

  /** A server and no worker: tasks start and stay QUEUED. */
  public static TaskSandbox withoutWorker() {
    return new TaskSandbox(false);
  }

  /** A server and a worker (host {@code test-host}) whose agents are run by the command driver. */
  public static TaskSandbox withWorker() {
    return new TaskSandbox(true);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    folder = Files.createTempDirectory("taskwright-test-");
    GitRepos.create(repo());
    temporal = TemporalFixture.start();
    if (withWorker) {
      temporal.withWorker(
          new WorkerSettings(
              new Home(home()), "test-host", new AgentSettings("claude", Map.of()), 2, null));
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (temporal != null) {
      temporal.close();
    }
    if (folder != null) {
      try (Stream<Path> paths = Files.walk(folder)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
  }

  public Path folder() {
    return folder;
  }

  public Path home() {
    return folder.resolve("home");
  }

  /** A repository on branch main with one commit. */
  public Path repo() {
    return folder.resolve("repo");
  }

  public TemporalFixture temporal() {
    return temporal;
  }

  /**
   * Writes a bash script for the {@code command} driver (which runs it in the worktree with the
   * prompt on stdin) and returns the {@code --command} that runs it.
   */
  public String script(String name, String body) throws IOException {
    Path script = folder.resolve(name + ".sh");
    Files.writeString(script, "set -eu\n" + body);
    return "bash " + script;
  }

  /** The CLI, run in the repository, against this server, with this home. */
  public CliRun cli() {
    return CliRun.with().home(home()).temporal(temporal.address()).in(repo());
  }
}
