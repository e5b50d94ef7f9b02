package dev.taskwright.activities.agent;

import dev.taskwright.workflows.model.AgentOutcome;
import dev.taskwright.workflows.model.AgentRun;

/**
 * Runs one kind of coding agent (DESIGN §5). The agent activity picks the driver by {@code
 * agent.type}.
 */
interface AgentDriver {

  /**
   * Runs the agent to its end and says how it ended. Agent-level failures are outcomes; only
   * failures of the worker itself (the process cannot be started, cancellation) are thrown.
   */
  AgentOutcome run(AgentRun run, Attempt attempt);

  /**
   * What the activity knows about this attempt.
   *
   * @param interrupted true when an earlier attempt of this activity died mid-run (the worker
   *     died), so the session must be continued, not started over
   * @param previousSessionId the session the earlier attempt heartbeated, when it got that far
   * @param heartbeat where progress goes; throws when the activity is cancelled
   */
  record Attempt(boolean interrupted, String previousSessionId, ProgressListener heartbeat) {}
}
