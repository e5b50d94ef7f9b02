package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;
import java.util.List;

/**
 * Everything a task needs to run; the input of {@link dev.taskwright.workflows.TaskWorkflow#run}.
 *
 * @param id the task ID, also the workflow ID
 * @param title a one-line title, used in the commit message and the Web UI summary
 * @param prompt what the agent is asked to do
 * @param repo absolute path of the git repository the task works in
 * @param baseRef the ref the task branch starts from (a branch name, tag or SHA)
 * @param agent which agent runs the task, and how
 * @param autoAccept true to skip the review gate: once committed, the task merges as {@code accept}
 *     does (a conflict blocks), and completes
 * @param maxAttempts how many agent runs a task gets before it stops retrying by itself
 * @param timeout how long one agent run may take in all
 * @param idleTimeout how long an agent may print nothing before the watchdog kills it
 * @param keepWorktree true to keep the worktree after the task completes
 * @param parentId the parent task of a subtask, else null
 * @param plan the name of the plan (task file) the task came from, else null
 * @param dependsOn IDs of tasks that must complete before this one starts
 * @param subtasks child tasks to run, after this task's own agent run, from its branch
 * @param resumeSessionId an agent session to continue instead of starting one (a subtask restarted
 *     by its parent's retry), else null
 * @param completeWithoutMerge true to complete once committed with no review and no merge, keeping
 *     the work on the task branch (what {@code autoAccept} did before it merged as {@code accept}
 *     does)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskSpec(
    String id,
    String title,
    String prompt,
    String repo,
    String baseRef,
    AgentConfig agent,
    boolean autoAccept,
    int maxAttempts,
    Duration timeout,
    Duration idleTimeout,
    boolean keepWorktree,
    String parentId,
    String plan,
    List<String> dependsOn,
    List<TaskSpec> subtasks,
    String resumeSessionId,
    boolean completeWithoutMerge) {

  /**
   * Longest prompt a task takes: the same limit as a person's answer ({@link Reply#MAX_LENGTH}).
   * The prompt travels in the workflow's input, and with its subtasks' prompts must stay well under
   * the Temporal server's payload limit (2 MB by default); a longer text belongs in a file the
   * prompt refers to.
   */
  public static final int MAX_PROMPT_LENGTH = Reply.MAX_LENGTH;

  public static final int DEFAULT_MAX_ATTEMPTS = 2;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(15);

  public TaskSpec {
    if (maxAttempts < 1) {
      maxAttempts = DEFAULT_MAX_ATTEMPTS;
    }
    if (timeout == null || timeout.isZero() || timeout.isNegative()) {
      timeout = DEFAULT_TIMEOUT;
    }
    if (idleTimeout == null || idleTimeout.isZero() || idleTimeout.isNegative()) {
      idleTimeout = DEFAULT_IDLE_TIMEOUT;
    }
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    subtasks = subtasks == null ? List.of() : List.copyOf(subtasks);
  }

  /** True when the task is a subtask of another (not a message field). */
  @JsonIgnore
  public boolean isSubtask() {
    return parentId != null;
  }

  /** This spec as a child of {@code parent}, starting from {@code baseRef}. */
  public TaskSpec asChildOf(String parentIdentifier, String childBaseRef) {
    return toBuilder().parentId(parentIdentifier).baseRef(childBaseRef).build();
  }

  /**
   * This spec, continuing {@code sessionId} in its existing worktree instead of starting a session.
   */
  public TaskSpec resuming(String sessionId) {
    return toBuilder().resumeSessionId(sessionId).build();
  }

  /**
   * This spec, completing once committed with its work kept on its branch (no review, no merge).
   */
  public TaskSpec withoutMerge(boolean withoutMerge) {
    return toBuilder().completeWithoutMerge(withoutMerge).build();
  }

  /** A builder with every field unset: defaults for the limits, empty lists, false flags. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this spec's fields, to change some of them. */
  public Builder toBuilder() {
    return new Builder()
        .id(id)
        .title(title)
        .prompt(prompt)
        .repo(repo)
        .baseRef(baseRef)
        .agent(agent)
        .autoAccept(autoAccept)
        .maxAttempts(maxAttempts)
        .timeout(timeout)
        .idleTimeout(idleTimeout)
        .keepWorktree(keepWorktree)
        .parentId(parentId)
        .plan(plan)
        .dependsOn(dependsOn)
        .subtasks(subtasks)
        .resumeSessionId(resumeSessionId)
        .completeWithoutMerge(completeWithoutMerge);
  }

  /** Builds a {@link TaskSpec} field by field; {@link #build} applies the record's defaults. */
  public static final class Builder {
    private String id;
    private String title;
    private String prompt;
    private String repo;
    private String baseRef;
    private AgentConfig agent;
    private boolean autoAccept;
    private int maxAttempts;
    private Duration timeout;
    private Duration idleTimeout;
    private boolean keepWorktree;
    private String parentId;
    private String plan;
    private List<String> dependsOn = List.of();
    private List<TaskSpec> subtasks = List.of();
    private String resumeSessionId;
    private boolean completeWithoutMerge;

    private Builder() {}

    public Builder id(String value) {
      id = value;
      return this;
    }

    public Builder title(String value) {
      title = value;
      return this;
    }

    public Builder prompt(String value) {
      prompt = value;
      return this;
    }

    public Builder repo(String value) {
      repo = value;
      return this;
    }

    public Builder baseRef(String value) {
      baseRef = value;
      return this;
    }

    public Builder agent(AgentConfig value) {
      agent = value;
      return this;
    }

    public Builder autoAccept(boolean value) {
      autoAccept = value;
      return this;
    }

    /** Below 1 means the default, {@link #DEFAULT_MAX_ATTEMPTS}. */
    public Builder maxAttempts(int value) {
      maxAttempts = value;
      return this;
    }

    /** Null means the default, {@link #DEFAULT_TIMEOUT}. */
    public Builder timeout(Duration value) {
      timeout = value;
      return this;
    }

    /** Null means the default, {@link #DEFAULT_IDLE_TIMEOUT}. */
    public Builder idleTimeout(Duration value) {
      idleTimeout = value;
      return this;
    }

    public Builder keepWorktree(boolean value) {
      keepWorktree = value;
      return this;
    }

    public Builder parentId(String value) {
      parentId = value;
      return this;
    }

    public Builder plan(String value) {
      plan = value;
      return this;
    }

    public Builder dependsOn(List<String> value) {
      dependsOn = value;
      return this;
    }

    public Builder subtasks(List<TaskSpec> value) {
      subtasks = value;
      return this;
    }

    public Builder resumeSessionId(String value) {
      resumeSessionId = value;
      return this;
    }

    public Builder completeWithoutMerge(boolean value) {
      completeWithoutMerge = value;
      return this;
    }

    public TaskSpec build() {
      return new TaskSpec(
          id,
          title,
          prompt,
          repo,
          baseRef,
          agent,
          autoAccept,
          maxAttempts,
          timeout,
          idleTimeout,
          keepWorktree,
          parentId,
          plan,
          dependsOn,
          subtasks,
          resumeSessionId,
          completeWithoutMerge);
    }
  }
}
