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
  public static final SearchAttributeKey<String> TASK_STATE = SearchAttributeKey.forKeyword("TaskState");
  /** The repository the task works in. */
  public static final SearchAttributeKey<String> TASK_REPO = SearchAttributeKey.forKeyword("TaskRepo");
  /** The parent task of a subtask. */
  public static final SearchAttributeKey<String> TASK_PARENT = SearchAttributeKey.forKeyword("TaskParent");
  /** Which agent driver runs the task. */
  public static final SearchAttributeKey<String> TASK_AGENT = SearchAttributeKey.forKeyword("TaskAgent");

  /** The query that returns a {@code TaskView}. */
  public static final String QUERY_VIEW = "view";
}
