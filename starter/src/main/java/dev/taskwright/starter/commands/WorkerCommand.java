package dev.taskwright.starter.commands;

import dev.taskwright.ledger.LedgerDatabase;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.Logging;
import dev.taskwright.starter.ledger.LedgerAccess;
import dev.taskwright.starter.metrics.MetricsAddress;
import dev.taskwright.starter.task.TaskPlanner;
import dev.taskwright.starter.temporal.TemporalConnection;
import dev.taskwright.starter.worker.TaskwrightWorker;
import dev.taskwright.starter.worker.WorkerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code taskwright worker}: runs tasks from the configured Temporal server until stopped. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    header = "Run a worker against the configured Temporal server.",
    description = {
      "Run a worker: it runs the tasks' workflows, git work and agents on this machine until Ctrl-C"
          + " or SIGTERM.",
      "TASKWRIGHT_MAX_AGENTS (default 4) bounds how many agents run at once.",
      "The task ledger is the PostgreSQL at TASKWRIGHT_DATABASE_URL, or an embedded one with its"
          + " data in TASKWRIGHT_HOME/postgres.",
      "TASKWRIGHT_METRICS_ADDRESS ([HOST:]PORT, e.g. 9464 or 0.0.0.0:9464) serves Prometheus"
          + " metrics at /metrics."
    })
public final class WorkerCommand extends Subcommand {

  @Option(
      names = "--metrics-address",
      paramLabel = "[HOST:]PORT",
      description =
          "Serve Prometheus metrics at http://HOST:PORT/metrics; HOST defaults to 127.0.0.1,"
              + " 0.0.0.0 listens on every interface (default: TASKWRIGHT_METRICS_ADDRESS, else no"
              + " metrics).")
  String metricsAddress;

  @Override
  public Integer call() throws InterruptedException {
    WorkerSettings settings = WorkerSettings.fromEnvironment(environment());
    // Before the ledger, the log file or a poller starts: a worker that cannot write worktrees
    // would take tasks it cannot run.
    TaskPlanner.requireWritableHome(environment());
    makeHomeOwnerOnly(settings.home());
    if (metricsAddress != null) {
      settings = settings.withMetrics(MetricsAddress.parse(metricsAddress, "--metrics-address"));
    }
    try (TemporalConnection connection = connect();
        LedgerDatabase ledger = LedgerAccess.openForWorker(environment(), err())) {
      Logging.workerToConsoleAndFile(settings.home());
      try (TaskwrightWorker worker =
          TaskwrightWorker.start(connection.client(), settings, ledger)) {
        err()
            .println(
                "Worker running against "
                    + connection.settings().address()
                    + " (namespace "
                    + connection.settings().namespace()
                    + "), up to "
                    + settings.maxAgents()
                    + " agents at once. Log: "
                    + Logging.workerLog(settings.home())
                    + ". Ledger: "
                    + ledger.location().describe()
                    + (worker.metricsAddress() == null
                        ? ""
                        : ". Metrics: http://" + worker.metricsAddress() + "/metrics")
                    + ". Ctrl-C stops it.");
        err().flush();
        root.stopSignal().awaitStopRequest();
      }
    } finally {
      root.stopSignal().stopped();
    }
    return ExitCodes.OK;
  }
}
