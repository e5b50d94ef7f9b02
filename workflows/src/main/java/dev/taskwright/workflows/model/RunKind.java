package dev.taskwright.workflows.model;

/** Why an agent run started, as the ledger records it. */
public enum RunKind {
  /** The task's first run, with its prompt. */
  FIRST,
  /** An automatic retry after a failed run, within the task's {@code maxAttempts}. */
  RETRY,
  /**
   * A run that continues after a pause: a person's {@code retry}, a usage limit, a restarted
   * subtask.
   */
  RESUME,
  /** A run that carries a person's answer to the agent's question. */
  ANSWER,
  /** A run that carries review feedback or asks the agent to resolve a merge conflict. */
  REVIEW
}
