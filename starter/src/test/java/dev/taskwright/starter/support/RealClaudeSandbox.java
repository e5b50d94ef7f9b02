package dev.taskwright.starter.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.activities.Home;
import dev.taskwright.activities.agent.AgentSettings;
import dev.taskwright.starter.worker.WorkerSettings;
import dev.taskwright.testing.ClaudeCli;
import dev.taskwright.testing.ModelReply;
import dev.taskwright.testing.ModelScript;
import dev.taskwright.testing.ScriptedModelServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What an end-to-end test with the REAL Claude Code CLI needs, fresh for each test: a temp folder
 * with a taskwright home and a git repository, a scripted Messages API server the CLI talks to, an
 * in-process Temporal server and a worker whose Claude driver runs the pinned CLI. Register it as
 * an instance {@code @RegisterExtension} field; after each test it also checks that the model
 * script never failed.
 */
public final class RealClaudeSandbox implements BeforeEachCallback, AfterEachCallback {

  private Path folder;
  private Path home;
  private Path repo;
  private ScriptedModelServer model;
  private TemporalFixture temporal;

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    folder = Files.createTempDirectory("taskwright-e2e-");
    home = folder.resolve("home");
    repo = GitRepos.create(folder.resolve("repo"));
    model = ScriptedModelServer.start(ModelScript.always(ModelReply.text("no script set")));
    AgentSettings agents =
        new AgentSettings(ClaudeCli.locate().toString(), model.cliEnvironment(claudeHome()));
    temporal =
        TemporalFixture.start()
            .withWorker(new WorkerSettings(new Home(home), "e2e-host", agents, 1, null));
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    if (temporal != null) {
      temporal.close();
    }
    if (model != null) {
      model.close();
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
    if (model != null) {
      assertThat(model.scriptFailures()).as("the model script never failed").isEmpty();
    }
  }

  public Path home() {
    return home;
  }

  /** A repository on branch main with one commit. */
  public Path repo() {
    return repo;
  }

  /** The Claude Code CLI's own home: its settings and session files. */
  public Path claudeHome() {
    return folder.resolve("claude-home");
  }

  public ScriptedModelServer model() {
    return model;
  }

  public TemporalFixture temporal() {
    return temporal;
  }

  /** The taskwright CLI, run in the repository, against this server, with this home. */
  public CliRun cli() {
    return CliRun.with()
        .home(home)
        .temporal(temporal.address())
        .in(repo)
        .env("TASKWRIGHT_CLAUDE_BIN", ClaudeCli.locate().toString());
  }

  /**
   * The task's worktree, found where the worker made it: {@code <home>/worktrees/<repo
   * folder>/<id>}.
   */
  public Path worktree(String taskId) {
    return Worktrees.find(home, taskId);
  }

  /** Where the agent is told to write its question. */
  public Path questionFile(String taskId) {
    return new Home(home).runDir(taskId).resolve("question.json");
  }
}
