package dev.taskwright.starter.worker;

import dev.taskwright.activities.agent.AgentActivitiesImpl;
import dev.taskwright.activities.lookup.TemporalTaskLookup;
import dev.taskwright.activities.workspace.GitWorkspace;
import dev.taskwright.activities.workspace.HeartbeatingWorkspace;
import dev.taskwright.activities.workspace.OutsideLinks;
import dev.taskwright.ledger.LedgerActivitiesImpl;
import dev.taskwright.ledger.LedgerDatabase;
import dev.taskwright.ledger.read.LedgerQueries;
import dev.taskwright.starter.metrics.TaskCounts;
import dev.taskwright.starter.metrics.WorkerMetrics;
import dev.taskwright.workflows.Names;
import dev.taskwright.workflows.TaskWorkflowImpl;
import dev.taskwright.workflows.Timeouts;
import dev.taskwright.workflows.ports.LedgerActivities;
import dev.taskwright.workflows.ports.WorkspaceActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way taskwright runs a worker, shared by {@code worker}, {@code dev}, {@code demo} and the
 * tests. It polls three queues (DESIGN §4): the shared queue for workflows and {@code prepare},
 * this host's queue for the workspace activities of the tasks whose worktrees live here, and this
 * host's agent queue, whose slot count bounds how many agents run at once.
 */
public final class TaskwrightWorker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TaskwrightWorker.class);

  /**
   * How long a stopping worker waits for running activities. Agent activities notice the shutdown
   * at their next heartbeat and kill their agent's process tree; this is long enough for that and
   * short enough that Ctrl-C still feels like it works.
   */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

  private final WorkerFactory factory;
  private final WorkerSettings settings;
  private final WorkerMetrics metrics;

  private TaskwrightWorker(WorkerFactory factory, WorkerSettings settings, WorkerMetrics metrics) {
    this.factory = factory;
    this.settings = settings;
    this.metrics = metrics;
  }

  /**
   * Registers the workflow and activities on their queues and starts polling. Ledger writes go to
   * {@code ledgerDatabase}, and the metrics' task counts by state come from it.
   */
  public static TaskwrightWorker start(
      WorkflowClient client, WorkerSettings settings, LedgerDatabase ledgerDatabase) {
    LedgerActivities ledger = new LedgerActivitiesImpl(ledgerDatabase);
    LedgerQueries queries = new LedgerQueries(ledgerDatabase);
    TaskCounts taskCounts =
        () -> {
          try {
            return queries.countByState();
          } catch (SQLException e) {
            throw new IllegalStateException(
                "cannot count tasks in the ledger: " + e.getMessage(), e);
          }
        };
    // First, so that a metrics port already in use stops the start before anything polls.
    WorkerMetrics metrics = WorkerMetrics.start(settings.metrics(), client, taskCounts);
    // The worker's own client carries the SDK's metrics scope when metrics are on.
    client = metrics.client();
    WorkerFactory factory = WorkerFactory.newInstance(client);
    OutsideLinks outsideLinks =
        OutsideLinks.parse(settings.agents().extraEnvironment().get(OutsideLinks.VARIABLE));
    WorkspaceActivities workspace =
        new HeartbeatingWorkspace(new GitWorkspace(settings.home(), settings.host(), outsideLinks));

    Worker shared = factory.newWorker(Names.TASK_QUEUE);
    shared.registerWorkflowImplementationTypes(TaskWorkflowImpl.class);
    // Any worker can read another task's workflow or write the ledger, so both live on the shared
    // queue.
    shared.registerActivitiesImplementations(workspace, new TemporalTaskLookup(client), ledger);

    Worker host = factory.newWorker(Names.hostQueue(settings.host()));
    host.registerActivitiesImplementations(workspace);

    Worker agents =
        factory.newWorker(
            Names.agentQueue(settings.host()),
            WorkerOptions.newBuilder()
                .setMaxConcurrentActivityExecutionSize(settings.maxAgents())
                // Cancellation reaches an agent only in the answer to a heartbeat; see
                // Timeouts.HEARTBEAT_THROTTLE.
                .setMaxHeartbeatThrottleInterval(Timeouts.HEARTBEAT_THROTTLE)
                .build());
    agents.registerActivitiesImplementations(
        new AgentActivitiesImpl(settings.home(), settings.agents(), metrics.registry()));

    try {
      factory.start();
    } catch (RuntimeException e) {
      metrics.close();
      throw e;
    }
    log.info(
        "Worker started on host {}: queues {}, {}, {} (up to {} agents at once); home {}",
        settings.host(),
        Names.TASK_QUEUE,
        Names.hostQueue(settings.host()),
        Names.agentQueue(settings.host()),
        settings.maxAgents(),
        settings.home().root());
    return new TaskwrightWorker(factory, settings, metrics);
  }

  public WorkerSettings settings() {
    return settings;
  }

  /** Where {@code /metrics} is served, e.g. {@code 127.0.0.1:9464}; null when metrics are off. */
  public String metricsAddress() {
    return metrics.address();
  }

  /**
   * Stops polling, lets running activities wind down (agents are killed by their activities), then
   * stops hard.
   */
  @Override
  public void close() {
    if (factory.isTerminated()) {
      metrics.close();
      return;
    }
    log.info(
        "Worker stopping; waiting up to {} s for running activities", SHUTDOWN_GRACE.toSeconds());
    factory.shutdown();
    factory.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    if (!factory.isTerminated()) {
      factory.shutdownNow();
      factory.awaitTermination(5, TimeUnit.SECONDS);
    }
    // After the factory: the SDK's last meters are flushed before the endpoint goes.
    metrics.close();
    log.info("Worker stopped");
  }
}
