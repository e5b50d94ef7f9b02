package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;

/**
 * How one agent run ended. Agent-level failures come back here rather than as activity failures, so
 * the workflow decides what happens next.
 *
 * @param status how the run ended
 * @param sessionId the agent session the run used, or null when no session was started
 * @param summary the summary the agent gave (summary file, else the last "## Summary" section, else
 *     the final result trimmed), or null
 * @param error the error text when the run did not succeed, else null
 * @param question the agent's question when {@code status} is QUESTION, else null
 * @param rateLimitResetAt when the usage limit resets, when the agent said so, else null
 * @param usage turns, tokens and cost of this run
 * @param logPath where the raw transcript of this run is, on the worker host
 * @param subtasks subtasks the agent wrote to its subtasks file during the run, else empty
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentOutcome(
    AgentStatus status,
    String sessionId,
    String summary,
    String error,
    Question question,
    Instant rateLimitResetAt,
    Usage usage,
    String logPath,
    List<SubtaskRequest> subtasks) {

  public AgentOutcome {
    usage = usage == null ? Usage.NONE : usage;
    subtasks = subtasks == null ? List.of() : List.copyOf(subtasks);
  }
}
