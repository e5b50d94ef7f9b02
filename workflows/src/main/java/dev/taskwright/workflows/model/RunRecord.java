package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * One agent run of a task, written when it starts and again when it ends.
 *
 * @param number the run's number within the task, from 1
 * @param kind why the run started
 * @param sessionId the agent session the run used
 * @param startedAt when the run started, in workflow time
 * @param endedAt when it ended, or null while it runs
 * @param outcome how it ended, or null while it runs
 * @param usage turns, tokens and cost of this run
 * @param logPath where the run's raw transcript is, on the worker host
 * @param error the error text when the run did not succeed, else null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunRecord(
    int number,
    RunKind kind,
    String sessionId,
    Instant startedAt,
    Instant endedAt,
    AgentStatus outcome,
    Usage usage,
    String logPath,
    String error) {

  public RunRecord {
    usage = usage == null ? Usage.NONE : usage;
  }

  /**
   * True once the run has ended; a record of the end replaces one of the start, never the reverse.
   */
  @JsonIgnore
  public boolean isEnded() {
    return endedAt != null;
  }
}
