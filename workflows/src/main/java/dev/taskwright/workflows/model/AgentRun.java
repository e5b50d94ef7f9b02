package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;

/**
 * One agent run, the input of {@code AgentActivities.run}.
 *
 * @param taskId the task
 * @param runNumber 1 for the first run of the task, counting up for each run the workflow starts
 * @param agent which driver and how to configure it
 * @param workspace where the agent works
 * @param sessionId the agent session, assigned by the workflow before the first run
 * @param resume true to continue {@code sessionId}; false to start it
 * @param prompt the prompt for this run (the task's prompt, or what to do next in the session)
 * @param earlierFailures errors of earlier runs, for a fresh run's appended system prompt
 * @param timeout how long this run may take
 * @param idleTimeout how long the agent may print nothing before it is killed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentRun(
    String taskId,
    int runNumber,
    AgentConfig agent,
    Workspace workspace,
    String sessionId,
    boolean resume,
    String prompt,
    java.util.List<String> earlierFailures,
    Duration timeout,
    Duration idleTimeout) {

  public AgentRun {
    earlierFailures =
        earlierFailures == null ? java.util.List.of() : java.util.List.copyOf(earlierFailures);
  }
}
