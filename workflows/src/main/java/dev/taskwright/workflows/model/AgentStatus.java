package dev.taskwright.workflows.model;

/** How an agent run ended (DESIGN §5). */
public enum AgentStatus {
  SUCCEEDED,
  FAILED,
  QUESTION,
  RATE_LIMITED,
  BUDGET_EXCEEDED,
  TIMED_OUT
}
