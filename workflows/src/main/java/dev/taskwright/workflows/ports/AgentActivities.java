package dev.taskwright.workflows.ports;

import dev.taskwright.workflows.model.AgentOutcome;
import dev.taskwright.workflows.model.AgentRun;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Runs a coding agent. Long-running and heartbeating; agent-level failures come back in the {@link
 * AgentOutcome}, and only infrastructure failures (the worker died, the heartbeat was lost) make
 * the activity fail and retry. A retry resumes the same session.
 */
@ActivityInterface
public interface AgentActivities {

  @ActivityMethod
  AgentOutcome run(AgentRun run);
}
