package dev.taskwright.starter.metrics;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import com.uber.m3.tally.ScopeCloseException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's metrics: one Prometheus registry that holds both the Temporal SDK's meters (polls,
 * task latencies, slots, gRPC requests) and taskwright's own (agent runs, tokens, cost, tasks by
 * state), served at {@code http://<address>/metrics}. Without an address it is all no-op and the
 * worker uses the client it was given.
 *
 * <p>The SDK takes its metrics scope from the service stubs a worker's client runs on, and the
 * scope can only be set when stubs are created. The commands build their connection before they
 * know they will run a worker, and short commands must not report metrics, so the worker gets stubs
 * of its own: the same options as the command's connection plus the scope, as Temporal's metrics
 * sample does it. That costs a second gRPC connection, and only when metrics are on.
 */
public final class WorkerMetrics implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WorkerMetrics.class);

  /**
   * How often the SDK's meters are handed to the registry. Prometheus usually scrapes every 15 s or
   * more; reporting every second keeps a scrape at most a second behind, for one cheap flush a
   * second.
   */
  static final com.uber.m3.util.Duration REPORT_EVERY = com.uber.m3.util.Duration.ofSeconds(1);

  /** How long closing waits for the worker's own stubs to finish in-flight calls. */
  private static final long STUBS_GRACE_SECONDS = 2;

  private final WorkflowClient client;
  private final MeterRegistry registry;
  private final MetricsEndpoint endpoint;
  private final Scope scope;
  private final WorkflowServiceStubs stubs;
  private final AtomicBoolean closed = new AtomicBoolean();

  private WorkerMetrics(
      WorkflowClient client,
      MeterRegistry registry,
      MetricsEndpoint endpoint,
      Scope scope,
      WorkflowServiceStubs stubs) {
    this.client = client;
    this.registry = registry;
    this.endpoint = endpoint;
    this.scope = scope;
    this.stubs = stubs;
  }

  /**
   * Starts serving metrics at {@code address}, or does nothing when it is null. The port is bound
   * before anything else is created, so a taken port fails the start with nothing to undo.
   *
   * @param client the command's client; the worker's own copy of it reports the SDK's meters
   * @param taskCounts asked on each scrape for {@code taskwright_tasks}
   * @throws dev.taskwright.starter.CliException with exit code 5 when the address cannot be bound
   */
  public static WorkerMetrics start(
      MetricsAddress address, WorkflowClient client, TaskCounts taskCounts) {
    if (address == null) {
      // An empty composite registry hands out no-op meters.
      return new WorkerMetrics(client, new CompositeMeterRegistry(), null, null, null);
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TaskStateGauges tasks = new TaskStateGauges(registry, taskCounts);
    MetricsEndpoint endpoint =
        MetricsEndpoint.start(
            address,
            () -> {
              tasks.refresh();
              return registry.scrape();
            });
    Scope scope =
        new RootScopeBuilder()
            .reporter(new MicrometerClientStatsReporter(registry))
            .reportEvery(REPORT_EVERY);
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder(client.getWorkflowServiceStubs().getOptions())
                .setMetricsScope(scope)
                .build());
    WorkflowClient metered = WorkflowClient.newInstance(stubs, client.getOptions());
    log.info("Serving metrics at http://{}{}", hostPort(endpoint), MetricsEndpoint.PATH);
    return new WorkerMetrics(metered, registry, endpoint, scope, stubs);
  }

  /** The client the worker runs on: with the metrics scope when metrics are on. */
  public WorkflowClient client() {
    return client;
  }

  /** Where taskwright's own meters go. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Where {@code /metrics} is served, e.g. {@code 127.0.0.1:9464}; null when metrics are off. */
  public String address() {
    return endpoint == null ? null : hostPort(endpoint);
  }

  /**
   * Call after the worker has stopped: the SDK's last meters are flushed, then the endpoint goes.
   */
  @Override
  public void close() {
    if (endpoint == null || !closed.compareAndSet(false, true)) {
      return;
    }
    try {
      scope.close();
    } catch (ScopeCloseException e) {
      log.warn("Could not flush the Temporal SDK's last metrics", e);
    }
    stubs.shutdown();
    try {
      stubs.awaitTermination(STUBS_GRACE_SECONDS, TimeUnit.SECONDS);
    } catch (RuntimeException e) {
      log.warn("The worker's metered Temporal connection did not close cleanly", e);
    }
    endpoint.close();
  }

  private static String hostPort(MetricsEndpoint endpoint) {
    return new MetricsAddress(endpoint.address().getHostString(), endpoint.address().getPort())
        .toString();
  }
}
