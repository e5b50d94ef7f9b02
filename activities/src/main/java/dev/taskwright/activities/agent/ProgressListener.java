package dev.taskwright.activities.agent;

import dev.taskwright.workflows.model.AgentProgress;

/**
 * Receives the agent's progress at each heartbeat. In the activity it is Temporal's heartbeat,
 * which is also how cancellation and worker shutdown arrive: it throws an {@code
 * ActivityCompletionException}, and the process machinery kills the agent before passing it on.
 */
@FunctionalInterface
public interface ProgressListener {
  void heartbeat(AgentProgress progress);
}
