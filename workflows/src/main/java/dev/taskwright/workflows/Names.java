package dev.taskwright.workflows;

import io.temporal.common.SearchAttributeKey;

/** Task queues, search-attribute keys and message names: the one place they are spelled. */
public final class Names {
  private Names() {}

  /** Every worker polls this queue: workflows and {@code prepare}, which may run on any host. */
  public static final String TASK_QUEUE = "taskwright";

  /** Workspace activities after {@code prepare} run on the host that holds the worktree. */
  public static String hostQueue(String host) {
    return TASK_QUEUE + "@" + host;
  }

  /** Agent runs get their own host queue so their slot count can be bounded apart from git work. */
  public static String agentQueue(String host) {
    return TASK_QUEUE + "-agents@" + host;
  }

  /** Branch of a task's work in its repository. */
  public static String branch(String taskId) {
    return "taskwright/" + taskId;
  }

  /** The task's lifecycle state, so the Web UI and {@code list} can filter on it. */
  public static final SearchAttributeKey<String> TASK_STATE =
      SearchAttributeKey.forKeyword("TaskState");

  /** The repository the task works in. */
  public static final SearchAttributeKey<String> TASK_REPO =
      SearchAttributeKey.forKeyword("TaskRepo");

  /** The parent task of a subtask. */
  public static final SearchAttributeKey<String> TASK_PARENT =
      SearchAttributeKey.forKeyword("TaskParent");

  /** Which agent driver runs the task. */
  public static final SearchAttributeKey<String> TASK_AGENT =
      SearchAttributeKey.forKeyword("TaskAgent");

  /** The query that returns a {@code TaskView}. */
  public static final String QUERY_VIEW = "view";

  // What people send a task. Each is both an update (validated, answered) and a signal of the same
  // name (so the Temporal Web UI, which sends signals, can act on a task too).

  /** Answers the agent's question; valid in BLOCKED/QUESTION. */
  public static final String ANSWER = "answer";

  /** Accepts a READY task's work: merge it into the base branch. */
  public static final String ACCEPT = "accept";

  /** Rejects a READY task's work with feedback: the agent carries on in the same session. */
  public static final String REJECT = "reject";

  /** Resumes a task blocked by a failure or a merge conflict, with optional guidance. */
  public static final String RETRY = "retry";

  /** Gives up on a blocked task: it ends FAILED/ABANDONED. */
  public static final String ABANDON = "abandon";

  // Between task workflows.

  /** A dependent asks a task to tell it when the task finishes. */
  public static final String SUBSCRIBE = "subscribe";

  /** A task tells a subscriber how it finished. */
  public static final String DEPENDENCY_FINISHED = "dependencyFinished";

  /** Subtask IDs are {@code <parent>.<name>}. */
  public static String childId(String parentId, String name) {
    return parentId + "." + name;
  }
}
