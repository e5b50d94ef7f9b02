package dev.taskwright.starter.commands;

import dev.taskwright.starter.CliException;
import dev.taskwright.ledger.LedgerDatabase;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.ledger.LedgerAccess;
import dev.taskwright.starter.Logging;
import dev.taskwright.starter.temporal.EmbeddedTemporal;
import dev.taskwright.starter.temporal.SearchAttributeRegistration;
import dev.taskwright.starter.temporal.TemporalConnection;
import dev.taskwright.starter.temporal.TemporalSettings;
import dev.taskwright.starter.worker.TaskwrightWorker;
import dev.taskwright.starter.worker.WorkerSettings;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code taskwright dev}: a worker plus, when no Temporal server answers, an in-process one, so a
 * developer needs nothing installed to try tasks.
 */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    header = "Run a worker, with an in-process Temporal server when none answers.",
    description = {
      "Run a worker for local development. Uses the Temporal server at TEMPORAL_ADDRESS (default 127.0.0.1:7233)",
      "when one answers; otherwise starts an in-process server on that port, which keeps nothing across restarts."
    })
public final class DevCommand extends Subcommand {

  static final String EMBEDDED = "embedded";

  /** A local server answers within milliseconds; waiting longer only delays starting our own. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  @Option(
      names = "--temporal",
      paramLabel = "embedded|ADDRESS",
      description = "'embedded' to always start the in-process server, or the host:port to try first (default: TEMPORAL_ADDRESS).")
  String temporal;

  @Override
  public Integer call() throws InterruptedException {
    WorkerSettings workerSettings = WorkerSettings.fromEnvironment(environment());
    TemporalSettings settings = temporalSettings();
    if (temporal != null && !temporal.equals(EMBEDDED)) {
      settings = settings.withAddress(temporal);
    }
    EmbeddedTemporal embedded = null;
    TemporalConnection connection = EMBEDDED.equals(temporal) ? null : TemporalConnection.connectIfAnswering(settings, PROBE_TIMEOUT);
    try {
      if (connection == null) {
        embedded = startEmbedded(settings);
        connection = TemporalConnection.connect(TemporalSettings.local(embedded.address()));
      } else {
        err().println("Using the Temporal server at " + settings.address() + " (namespace " + settings.namespace() + ").");
        registerSearchAttributes(settings);
      }
      Logging.workerToConsoleAndFile(workerSettings.home());
      try (LedgerDatabase ledger = LedgerAccess.open(environment(), err());
          TaskwrightWorker worker = TaskwrightWorker.start(connection.client(), workerSettings, ledger)) {
        printHowToUse(connection.settings(), workerSettings, embedded != null);
        root.stopSignal().awaitStopRequest();
      }
    } finally {
      if (connection != null) {
        connection.close();
      }
      if (embedded != null) {
        embedded.close();
      }
      root.stopSignal().stopped();
    }
    return ExitCodes.OK;
  }

  /** DESIGN §7: dev mode registers the task search attributes, on its own server and on one it finds. */
  private void registerSearchAttributes(TemporalSettings settings) {
    try {
      List<String> added = SearchAttributeRegistration.ensure(settings);
      if (!added.isEmpty()) {
        err().println("Registered the search attributes " + String.join(", ", added) + " in namespace " + settings.namespace() + ".");
      }
    } catch (RuntimeException e) {
      err().println("WARNING: could not register taskwright's search attributes (" + rootMessage(e) + "); tasks cannot start until they exist: " + SearchAttributeRegistration.howToRegister());
    }
  }

  private EmbeddedTemporal startEmbedded(TemporalSettings settings) {
    if (!settings.isLoopback()) {
      throw new CliException(
          ExitCodes.UNREACHABLE,
          "no Temporal server answers at " + settings.address() + ", and dev mode only starts its own server on this machine: start that server, or leave TEMPORAL_ADDRESS unset");
    }
    int port = settings.port() > 0 ? settings.port() : TemporalSettings.DEFAULT_PORT;
    EmbeddedTemporal embedded;
    try {
      embedded = EmbeddedTemporal.start(port);
    } catch (RuntimeException e) {
      throw new CliException(
          ExitCodes.UNREACHABLE,
          "cannot start the in-process Temporal server on port " + port + " (" + rootMessage(e) + "): free the port, or set TEMPORAL_ADDRESS=127.0.0.1:<another port>",
          e);
    }
    err().println("WARNING: no Temporal server answered at " + settings.address() + ", so taskwright started an in-process one at " + embedded.address() + ".");
    err().println("WARNING: it keeps NOTHING across restarts: stopping `taskwright dev` forgets every task (their branches and worktrees stay).");
    err().println("WARNING: for a durable server run `temporal server start-dev --db-filename ~/.taskwright/temporal.db` and restart `taskwright dev`.");
    return embedded;
  }

  private void printHowToUse(TemporalSettings settings, WorkerSettings workerSettings, boolean embedded) {
    err().println();
    err().println("taskwright dev is ready: Temporal at " + settings.address() + ", worker on host " + workerSettings.host() + ", data in " + workerSettings.home().root() + ".");
    err().println("In another terminal:");
    if (!settings.address().equals(TemporalSettings.DEFAULT_ADDRESS)) {
      err().println("  export TEMPORAL_ADDRESS=" + settings.address());
    }
    err().println("  taskwright run --repo <a git repository> --auto-accept --wait \"Describe the change you want\"");
    err().println("  taskwright status <task-id>");
    err().println(embedded ? "Ctrl-C stops the worker and the in-process server." : "Ctrl-C stops the worker; the server keeps running.");
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
