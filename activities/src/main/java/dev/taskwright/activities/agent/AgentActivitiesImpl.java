package dev.taskwright.activities.agent;

import dev.taskwright.activities.Home;
import dev.taskwright.workflows.FailureType;
import dev.taskwright.workflows.model.AgentConfig;
import dev.taskwright.workflows.model.AgentOutcome;
import dev.taskwright.workflows.model.AgentProgress;
import dev.taskwright.workflows.model.AgentRun;
import dev.taskwright.workflows.ports.AgentActivities;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the driver by {@code agent.type} and runs it, resuming the session when an attempt was
 * interrupted.
 */
public class AgentActivitiesImpl implements AgentActivities {

  private final Map<String, AgentDriver> drivers;
  private final AgentMetrics metrics;

  /**
   * Recording run durations, tokens and cost in {@code meters}: the worker's metrics endpoint
   * publishes them.
   */
  public AgentActivitiesImpl(Home home, AgentSettings settings, MeterRegistry meters) {
    this(home, settings, ProcessTimings.DEFAULT, meters);
  }

  /** With other process timings: tests heartbeat more often than every 10 s. */
  public AgentActivitiesImpl(
      Home home, AgentSettings settings, ProcessTimings timings, MeterRegistry meters) {
    this(home, settings, timings, new AgentMetrics(meters));
  }

  private AgentActivitiesImpl(
      Home home, AgentSettings settings, ProcessTimings timings, AgentMetrics metrics) {
    this.metrics = metrics;
    AgentProcess process = new AgentProcess(timings);
    this.drivers =
        Map.of(
            AgentConfig.CLAUDE, new ClaudeCodeDriver(home, settings, process),
            AgentConfig.COMMAND, new CommandDriver(home, settings, process));
  }

  @Override
  public AgentOutcome run(AgentRun run) {
    validate(run);
    AgentDriver driver = drivers.get(run.agent().type());
    if (driver == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Unknown agent type '"
              + run.agent().type()
              + "'; known types: "
              + String.join(", ", drivers.keySet()),
          FailureType.INVALID_INPUT.type());
    }
    ActivityExecutionContext context = Activity.getExecutionContext();
    // Heartbeat details or a later attempt mean an earlier attempt died mid-run (the worker died,
    // or
    // its heartbeats were lost): its session must be continued, never started over.
    Optional<AgentProgress> previous = context.getHeartbeatDetails(AgentProgress.class);
    boolean interrupted = context.getInfo().getAttempt() > 1 || previous.isPresent();
    String previousSession = previous.map(AgentProgress::sessionId).orElse(null);
    AgentMetrics.Run measured = metrics.started(run.agent().type());
    AgentOutcome outcome;
    try {
      outcome =
          driver.run(
              run, new AgentDriver.Attempt(interrupted, previousSession, context::heartbeat));
    } catch (RuntimeException | Error e) {
      measured.failed(e);
      throw e;
    }
    measured.finished(outcome);
    // Bounded before it leaves: a result over the server's payload limit is lost, and the retry
    // would run the agent a second time.
    return OutcomeBounds.bound(outcome);
  }

  private static void validate(AgentRun run) {
    String problem = null;
    if (run == null) {
      problem = "no agent run given";
    } else if (run.taskId() == null || run.taskId().isBlank()) {
      problem = "the agent run has no task ID";
    } else if (run.agent() == null || run.agent().type() == null) {
      problem = "the agent run of task " + run.taskId() + " names no agent type";
    } else if (run.workspace() == null || run.workspace().path() == null) {
      problem = "the agent run of task " + run.taskId() + " has no workspace";
    }
    if (problem != null) {
      throw ApplicationFailure.newNonRetryableFailure(problem, FailureType.INVALID_INPUT.type());
    }
  }
}
