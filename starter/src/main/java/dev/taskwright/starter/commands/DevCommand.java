package dev.taskwright.starter.commands;

import dev.taskwright.ledger.LedgerDatabase;
import dev.taskwright.starter.CliEnvironment;
import dev.taskwright.starter.CliException;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.Logging;
import dev.taskwright.starter.ledger.LedgerAccess;
import dev.taskwright.starter.task.TaskPlanner;
import dev.taskwright.starter.temporal.EmbeddedTemporal;
import dev.taskwright.starter.temporal.SearchAttributeRegistration;
import dev.taskwright.starter.temporal.TemporalCliServer;
import dev.taskwright.starter.temporal.TemporalConnection;
import dev.taskwright.starter.temporal.TemporalSettings;
import dev.taskwright.starter.worker.TaskwrightWorker;
import dev.taskwright.starter.worker.WorkerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code taskwright dev}: a worker plus, when no Temporal server answers, one of its own, so a
 * developer needs nothing running to try tasks. Its own server is the Temporal CLI's {@code
 * temporal server start-dev} when the CLI is installed (durable, with the Web UI), else an
 * in-process server that forgets everything when {@code dev} stops.
 */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    header = "Run a worker, with a Temporal server of its own when none answers.",
    description = {
      "Run a worker for local development. Uses the Temporal server at TEMPORAL_ADDRESS (default"
          + " 127.0.0.1:7233)",
      "when one answers. Otherwise starts one on that port: `temporal server start-dev` when the"
          + " Temporal CLI is on",
      "PATH or at TASKWRIGHT_TEMPORAL_CLI (tasks kept in TASKWRIGHT_HOME/temporal.db, Web UI on the"
          + " port + 1000),",
      "else an in-process server, which keeps nothing across restarts."
    })
public final class DevCommand extends Subcommand {

  static final String EMBEDDED = "embedded";
  static final String CLI = "cli";

  /** A local server answers within milliseconds; waiting longer only delays starting our own. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  @Option(
      names = "--temporal",
      paramLabel = "embedded|cli|ADDRESS",
      description = {
        "'embedded' to always start the in-process server; 'cli' to always start `temporal server"
            + " start-dev`",
        "(exit 5 when the Temporal CLI is missing); or the host:port to try first (default:"
            + " TEMPORAL_ADDRESS)."
      })
  String temporal;

  /** Where dev's server came from, which decides what stopping dev stops. */
  private enum Origin {
    FOUND,
    TEMPORAL_CLI,
    IN_PROCESS
  }

  /**
   * The server dev runs against: a connection to it, its Web UI when dev knows one, and for a
   * server dev started, how to stop it (after the worker, so the worker's graceful shutdown still
   * has a server to talk to).
   */
  private record DevServer(
      TemporalConnection connection, Origin origin, String webUi, Runnable stopOwn)
      implements AutoCloseable {
    @Override
    public void close() {
      connection.close();
      if (stopOwn != null) {
        stopOwn.run();
      }
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    WorkerSettings workerSettings = WorkerSettings.fromEnvironment(environment());
    // Before any server starts: its database, the ledger and the worktrees all live in the home.
    TaskPlanner.requireWritableHome(environment());
    makeHomeOwnerOnly(workerSettings.home());
    TemporalSettings settings = temporalSettings();
    if (temporal != null && !temporal.equals(EMBEDDED) && !temporal.equals(CLI)) {
      settings = settings.withAddress(temporal);
    }
    try (DevServer server = server(settings, workerSettings)) {
      Logging.workerToConsoleAndFile(workerSettings.home());
      try (LedgerDatabase ledger = LedgerAccess.openForWorker(environment(), err());
          TaskwrightWorker worker =
              TaskwrightWorker.start(server.connection().client(), workerSettings, ledger)) {
        printHowToUse(server, workerSettings);
        root.stopSignal().awaitStopRequest();
      }
    } finally {
      root.stopSignal().stopped();
    }
    return ExitCodes.OK;
  }

  /**
   * DESIGN §8: the server at the address if one answers; else {@code temporal server start-dev}
   * when the Temporal CLI is there; else the in-process server. {@code --temporal embedded} and
   * {@code --temporal cli} pick one of the last two, and never fall back to the other.
   */
  private DevServer server(TemporalSettings settings, WorkerSettings workerSettings) {
    TemporalConnection found =
        EMBEDDED.equals(temporal)
            ? null
            : TemporalConnection.connectIfAnswering(settings, PROBE_TIMEOUT);
    if (found != null) {
      if (CLI.equals(temporal)) {
        found.close();
        throw new CliException(
            ExitCodes.UNREACHABLE,
            "a Temporal server already answers at "
                + settings.address()
                + ", and --temporal cli starts its own there: stop that server, use it (leave out"
                + " --temporal), or set TEMPORAL_ADDRESS=127.0.0.1:<a free port>");
      }
      Optional<ProcessHandle> ours;
      try {
        ours =
            settings.isLoopback()
                ? dev.taskwright.starter.temporal.TemporalServerRecord.adoptOrRefuse(
                    workerSettings.home(), port(settings))
                : Optional.empty();
      } catch (RuntimeException e) {
        found.close();
        throw e;
      }
      if (ours.isPresent()) {
        ProcessHandle adopted = ours.get();
        err()
            .println(
                "Adopting the Temporal server (PID "
                    + adopted.pid()
                    + ") an earlier `taskwright dev` started at "
                    + settings.address()
                    + "; this dev stops it when it ends.");
        registerSearchAttributes(settings);
        return new DevServer(
            found,
            Origin.FOUND,
            null,
            () -> {
              adopted.destroy();
              adopted
                  .onExit()
                  .orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
                  .exceptionally(
                      t -> {
                        adopted.destroyForcibly();
                        return null;
                      })
                  .join();
            });
      }
      err()
          .println(
              "Using the Temporal server at "
                  + settings.address()
                  + " (namespace "
                  + settings.namespace()
                  + ").");
      registerSearchAttributes(settings);
      return new DevServer(found, Origin.FOUND, null, null);
    }
    requireLoopback(settings);
    Optional<Path> cli =
        EMBEDDED.equals(temporal) ? Optional.empty() : TemporalCliServer.find(environment());
    if (cli.isPresent()) {
      return startTemporalCli(cli.get(), settings, workerSettings);
    }
    if (CLI.equals(temporal)) {
      throw new CliException(
          ExitCodes.UNREACHABLE,
          "--temporal cli needs the Temporal CLI, and there is no `temporal` on PATH: install it"
              + " (https://docs.temporal.io/cli), set "
              + CliEnvironment.TEMPORAL_CLI
              + "=/path/to/temporal, or use --temporal embedded");
    }
    return startEmbedded(settings);
  }

  private DevServer startTemporalCli(
      Path executable, TemporalSettings settings, WorkerSettings workerSettings) {
    TemporalCliServer server =
        TemporalCliServer.start(
            executable, workerSettings.home(), port(settings), settings.namespace(), err());
    try {
      DevServer dev =
          new DevServer(
              TemporalConnection.connect(server.settings()),
              Origin.TEMPORAL_CLI,
              server.webUi(),
              server::close);
      err()
          .println(
              "The Temporal server is ready. Web UI: "
                  + server.webUi()
                  + ". Tasks survive restarts: they are kept in "
                  + server.database()
                  + ".");
      return dev;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /**
   * DESIGN §7: dev mode registers the task search attributes, on its own server and on one it
   * finds.
   */
  private void registerSearchAttributes(TemporalSettings settings) {
    try {
      List<String> added = SearchAttributeRegistration.ensure(settings);
      if (!added.isEmpty()) {
        err()
            .println(
                "Registered the search attributes "
                    + String.join(", ", added)
                    + " in namespace "
                    + settings.namespace()
                    + ".");
      }
    } catch (RuntimeException e) {
      err()
          .println(
              "WARNING: could not register taskwright's search attributes ("
                  + rootMessage(e)
                  + "); tasks cannot start until they exist: "
                  + SearchAttributeRegistration.howToRegister());
    }
  }

  /** dev starts a server only on this machine: one elsewhere is someone else's to start. */
  private static void requireLoopback(TemporalSettings settings) {
    if (!settings.isLoopback()) {
      throw new CliException(
          ExitCodes.UNREACHABLE,
          "no Temporal server answers at "
              + settings.address()
              + ", and dev mode only starts its own server on this machine: start that server, or"
              + " leave TEMPORAL_ADDRESS unset");
    }
  }

  private static int port(TemporalSettings settings) {
    return settings.port() > 0 ? settings.port() : TemporalSettings.DEFAULT_PORT;
  }

  private DevServer startEmbedded(TemporalSettings settings) {
    int port = port(settings);
    EmbeddedTemporal embedded;
    try {
      embedded = EmbeddedTemporal.start(port);
    } catch (RuntimeException e) {
      throw new CliException(
          ExitCodes.UNREACHABLE,
          "cannot start the in-process Temporal server on port "
              + port
              + " ("
              + rootMessage(e)
              + "): free the port, or set TEMPORAL_ADDRESS=127.0.0.1:<another port>",
          e);
    }
    err()
        .println(
            "WARNING: no Temporal server answered at "
                + settings.address()
                + ", so taskwright started an in-process one at "
                + embedded.address()
                + ".");
    err()
        .println(
            "WARNING: it keeps NOTHING across restarts: stopping `taskwright dev` forgets every"
                + " task (their branches and worktrees stay).");
    err()
        .println(
            "WARNING: for a durable server install the Temporal CLI (https://docs.temporal.io/cli)"
                + " so that `temporal` is on PATH, and restart `taskwright dev`: it then runs"
                + " `temporal server start-dev` itself.");
    try {
      return new DevServer(
          TemporalConnection.connect(TemporalSettings.local(embedded.address())),
          Origin.IN_PROCESS,
          null,
          embedded::close);
    } catch (RuntimeException e) {
      embedded.close();
      throw e;
    }
  }

  private void printHowToUse(DevServer server, WorkerSettings workerSettings) {
    TemporalSettings settings = server.connection().settings();
    err().println();
    err()
        .println(
            "taskwright dev is ready: Temporal at "
                + settings.address()
                + ", worker on host "
                + workerSettings.host()
                + ", data in "
                + workerSettings.home().root()
                + ".");
    err().println("In another terminal:");
    if (!settings.address().equals(TemporalSettings.DEFAULT_ADDRESS)) {
      err().println("  export TEMPORAL_ADDRESS=" + settings.address());
    }
    err()
        .println(
            "  taskwright run --repo <a git repository> --auto-accept --wait \"Describe the change"
                + " you want\"");
    err().println("  taskwright status <task-id>");
    if (server.webUi() != null) {
      err().println("Watch and answer tasks in the Temporal Web UI: " + server.webUi());
    }
    err()
        .println(
            switch (server.origin()) {
              case IN_PROCESS -> "Ctrl-C stops the worker and the in-process server.";
              case TEMPORAL_CLI ->
                  "Ctrl-C stops the worker and the Temporal server; the next `taskwright dev`"
                      + " carries on with the same tasks.";
              case FOUND -> "Ctrl-C stops the worker; the server keeps running.";
            });
    err().println();
    err().flush();
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage();
  }
}
