package dev.taskwright.activities.agent;

import dev.taskwright.workflows.model.AgentOutcome;
import dev.taskwright.workflows.model.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.temporal.client.ActivityCanceledException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the agent activity tells operators: how long runs take and how they end, the tokens and
 * dollars they spend, and how many run right now. Meter names are Micrometer's dotted form; the
 * Prometheus registry turns them into {@code taskwright_agent_run_seconds}, {@code
 * taskwright_agent_tokens_total}, {@code taskwright_agent_cost_usd_total} and {@code
 * taskwright_agent_runs_in_progress}.
 *
 * <p>Tag values come from fixed sets (the driver names, {@link
 * dev.taskwright.workflows.model.AgentStatus} and the two statuses below), never from task IDs or
 * prompts, so the number of series stays small.
 */
public final class AgentMetrics {

  public static final String RUN = "taskwright.agent.run";
  public static final String TOKENS = "taskwright.agent.tokens";
  public static final String COST_USD = "taskwright.agent.cost.usd";
  public static final String IN_PROGRESS = "taskwright.agent.runs.in.progress";

  public static final String AGENT_TAG = "agent";
  public static final String STATUS_TAG = "status";
  public static final String KIND_TAG = "kind";

  /**
   * The run was cancelled (the task was cancelled); the activity threw instead of returning an
   * outcome.
   */
  public static final String CANCELLED = "CANCELLED";

  /** The activity threw for any other reason: the agent could not start, the worker shut down. */
  public static final String ERROR = "ERROR";

  /**
   * Agent runs last from seconds to hours; these bucket bounds let Prometheus estimate percentiles
   * over that whole range with a dozen series per agent and status, where Micrometer's default
   * buckets would stop at 30 s.
   */
  private static final Duration[] RUN_BUCKETS = {
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
    Duration.ofMinutes(2),
    Duration.ofMinutes(5),
    Duration.ofMinutes(10),
    Duration.ofMinutes(20),
    Duration.ofMinutes(30),
    Duration.ofHours(1),
    Duration.ofHours(2),
    Duration.ofHours(4)
  };

  private final MeterRegistry registry;
  private final AtomicInteger inProgress = new AtomicInteger();

  public AgentMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder(IN_PROGRESS, inProgress, AtomicInteger::get)
        .description("Agent runs in progress on this worker")
        .strongReference(true)
        .register(registry);
  }

  /** Counts one run as in progress until {@link Run#finished} or {@link Run#failed}. */
  Run started(String agentType) {
    inProgress.incrementAndGet();
    return new Run(agentType, Timer.start(registry));
  }

  /** One agent run being measured. */
  final class Run {
    private final String agentType;
    private final Timer.Sample sample;

    private Run(String agentType, Timer.Sample sample) {
      this.agentType = agentType;
      this.sample = sample;
    }

    /**
     * The driver returned an outcome: its status tags the duration, and its usage is counted
     * whatever the status (failed runs cost too).
     */
    void finished(AgentOutcome outcome) {
      stop(outcome.status() == null ? ERROR : outcome.status().name());
      Usage usage = outcome.usage();
      tokens("input", usage.inputTokens());
      tokens("output", usage.outputTokens());
      tokens("cache_read", usage.cacheReadTokens());
      tokens("cache_creation", usage.cacheCreationTokens());
      Counter.builder(COST_USD)
          .description("What agent runs cost, in US dollars, as the agents reported it")
          .tag(AGENT_TAG, agentType)
          .register(registry)
          .increment(usage.costUsd());
    }

    /** The driver threw: a cancellation, or a failure of the worker rather than of the agent. */
    void failed(Throwable e) {
      stop(e instanceof ActivityCanceledException ? CANCELLED : ERROR);
    }

    private void stop(String status) {
      inProgress.decrementAndGet();
      sample.stop(
          Timer.builder(RUN)
              .description("How long agent runs took, by agent and how they ended")
              .tags(AGENT_TAG, agentType, STATUS_TAG, status)
              .serviceLevelObjectives(RUN_BUCKETS)
              .register(registry));
    }

    private void tokens(String kind, long count) {
      Counter.builder(TOKENS)
          .description("Tokens agent runs used, by kind: input, output, cache_read, cache_creation")
          .tags(AGENT_TAG, agentType, KIND_TAG, kind)
          .register(registry)
          .increment((double) count);
    }
  }
}
