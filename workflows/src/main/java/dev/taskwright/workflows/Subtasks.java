package dev.taskwright.workflows;

import dev.taskwright.workflows.model.SubtaskRequest;
import dev.taskwright.workflows.model.TaskLink;
import dev.taskwright.workflows.model.TaskResult;
import dev.taskwright.workflows.model.TaskSpec;
import dev.taskwright.workflows.model.TaskState;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowCancellationType;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A task's subtasks as child workflows: started in dependency order (so a sibling exists before a
 * dependent subscribes to it), each from the parent's branch, awaited without holding any slot, and
 * restarted in their own sessions when a person retries the parent.
 */
final class Subtasks {

  /** A child as the parent tracks it. */
  private static final class Child {
    final TaskSpec spec;
    Promise<TaskResult> result;
    TaskResult finished;
    String failure;

    Child(TaskSpec spec) {
      this.spec = spec;
    }
  }

  private final TaskSpec parent;

  /**
   * By ID, in the order they were added (typed as LinkedHashMap, so iterating it is visibly
   * ordered).
   */
  private final LinkedHashMap<String, Child> children = new LinkedHashMap<>();

  Subtasks(TaskSpec parent) {
    this.parent = parent;
  }

  boolean isEmpty() {
    return children.isEmpty();
  }

  /**
   * Adds the children the spec names and the agent asked for that are not known yet, branching from
   * {@code baseCommit}. Returns how many were added.
   */
  int add(List<TaskSpec> fromSpec, List<SubtaskRequest> fromAgent, String baseCommit) {
    int added = 0;
    for (TaskSpec child : fromSpec) {
      added += addChild(child.asChildOf(parent.id(), baseCommit));
    }
    int position = children.size();
    for (SubtaskRequest request : fromAgent) {
      position++;
      String name =
          request.name() == null || request.name().isBlank()
              ? Integer.toString(position)
              : request.name();
      List<String> dependsOn =
          request.dependsOn().stream().map(sibling -> Names.childId(parent.id(), sibling)).toList();
      TaskSpec child =
          parent.toBuilder()
              .id(Names.childId(parent.id(), name))
              .title(request.title() == null || request.title().isBlank() ? name : request.title())
              .prompt(request.prompt())
              .baseRef(baseCommit)
              .autoAccept(true)
              .keepWorktree(false)
              .parentId(parent.id())
              .dependsOn(dependsOn)
              .subtasks(List.of())
              .resumeSessionId(null)
              .completeWithoutMerge(false)
              .build();
      added += addChild(child);
    }
    return added;
  }

  private int addChild(TaskSpec child) {
    if (children.containsKey(child.id())) {
      return 0;
    }
    children.put(child.id(), new Child(child));
    return 1;
  }

  /**
   * Starts every child not running or finished, dependencies first; returns once all have started.
   */
  void startPending() {
    for (Child child : inDependencyOrder()) {
      if (child.result == null) {
        start(child, child.spec);
      }
    }
  }

  private void start(Child child, TaskSpec spec) {
    TaskWorkflow stub = Workflow.newChildWorkflowStub(TaskWorkflow.class, options(spec));
    child.result = Async.function(stub::run, spec);
    child.finished = null;
    child.failure = null;
    // Wait until the child exists, so a sibling that depends on it can subscribe to it.
    Workflow.getWorkflowExecution(stub).get();
  }

  /**
   * Children run as tasks of their own: same queue, their parent in a search attribute, and a
   * cancelled parent waits for each child to finish cancelling (its agent killed) before closing. A
   * child ID may be reused once its earlier run closed, for a retry of the parent.
   */
  private ChildWorkflowOptions options(TaskSpec spec) {
    return ChildWorkflowOptions.newBuilder()
        .setWorkflowId(spec.id())
        .setTaskQueue(Names.TASK_QUEUE)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .setCancellationType(ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setStaticSummary(spec.title())
        .setTypedSearchAttributes(
            SearchAttributes.newBuilder()
                .set(Names.TASK_STATE, TaskState.QUEUED.name())
                .set(Names.TASK_PARENT, parent.id())
                .set(Names.TASK_REPO, spec.repo() == null ? "" : spec.repo())
                .set(Names.TASK_AGENT, spec.agent() == null ? "" : spec.agent().type())
                .build())
        .build();
  }

  /** Waits until every started child has finished, and records how each ended. */
  void awaitAll() {
    List<Promise<TaskResult>> running = new ArrayList<>();
    for (Child child : inOrder()) {
      if (child.result != null && child.finished == null && child.failure == null) {
        running.add(child.result);
      }
    }
    for (Promise<TaskResult> promise : running) {
      // Each is awaited in turn; failures are read from the promise below, not thrown here.
      Workflow.await(promise::isCompleted);
    }
    for (Child child : inOrder()) {
      if (child.result == null || child.finished != null || child.failure != null) {
        continue;
      }
      try {
        child.finished = child.result.get();
        if (child.finished.state() != TaskState.COMPLETED) {
          child.failure =
              child.finished.state()
                  + (child.finished.reason() == null ? "" : "/" + child.finished.reason())
                  + (child.finished.error() == null ? "" : ": " + child.finished.error());
        }
      } catch (ChildWorkflowFailure failed) {
        child.failure =
            "ended without a result ("
                + failed.getCause().getClass().getSimpleName()
                + ": "
                + failed.getCause().getMessage()
                + ")";
      }
    }
  }

  /**
   * The children that did not complete, each as {@code <id> (<why>)}, in the order they were added.
   */
  List<String> failures() {
    List<String> failed = new ArrayList<>();
    children.forEach(
        (id, child) -> {
          if (child.failure != null) {
            failed.add(id + " (" + child.failure + ")");
          }
        });
    return failed;
  }

  /**
   * Restarts each failed child as a new run of the same workflow ID: one that had an agent session
   * continues it in its worktree with {@code words} (or its own error); one that never ran starts
   * afresh. Dependencies first, so dependents can subscribe again.
   */
  void restartFailed(String words) {
    for (Child child : inDependencyOrder()) {
      if (child.failure == null) {
        continue;
      }
      TaskSpec restarted = child.spec;
      TaskResult last = child.finished;
      if (last != null && last.sessionId() != null && last.state() != TaskState.CANCELLED) {
        String prompt =
            words == null || words.isBlank() ? Prompts.retryAfterFailure(child.failure) : words;
        restarted = withPrompt(child.spec, prompt).resuming(last.sessionId());
      }
      start(child, restarted);
    }
  }

  private static TaskSpec withPrompt(TaskSpec spec, String prompt) {
    return spec.toBuilder().prompt(prompt).build();
  }

  /** The completed children's branches, in the order they were added. */
  List<TaskResult> completed() {
    List<TaskResult> done = new ArrayList<>();
    for (Child child : inOrder()) {
      if (child.finished != null && child.failure == null) {
        done.add(child.finished);
      }
    }
    return done;
  }

  /**
   * Waits for every started child to close, after the parent was cancelled (they were cancelled
   * with it).
   */
  void awaitClosed() {
    for (Child child : inOrder()) {
      if (child.result != null) {
        Workflow.await(child.result::isCompleted);
      }
    }
  }

  List<TaskLink> links() {
    List<TaskLink> links = new ArrayList<>();
    children.forEach(
        (id, child) -> {
          TaskState state;
          if (child.result == null) {
            state = TaskState.QUEUED;
          } else if (child.finished != null) {
            state = child.finished.state();
          } else if (child.failure != null) {
            state = TaskState.FAILED;
          } else {
            // Running: the parent does not follow every step; `taskwright status <child>` shows it.
            state = null;
          }
          links.add(new TaskLink(id, state, child.failure));
        });
    return links;
  }

  /** The children in the order they were added, as a list of their own. */
  private List<Child> inOrder() {
    List<Child> ordered = new ArrayList<>();
    children.forEach((id, child) -> ordered.add(child));
    return ordered;
  }

  /**
   * Children ordered so each comes after the siblings it depends on (the CLI and driver reject
   * cycles).
   */
  private List<Child> inDependencyOrder() {
    List<Child> ordered = new ArrayList<>();
    List<String> placed = new ArrayList<>();
    List<Child> left = inOrder();
    while (!left.isEmpty()) {
      boolean progress = false;
      for (Child child : new ArrayList<>(left)) {
        boolean ready =
            child.spec.dependsOn().stream()
                .allMatch(dep -> placed.contains(dep) || !children.containsKey(dep));
        if (ready) {
          ordered.add(child);
          placed.add(child.spec.id());
          left.remove(child);
          progress = true;
        }
      }
      if (!progress) {
        // A cycle slipped through validation: start the rest anyway; their waits will fail them.
        ordered.addAll(left);
        break;
      }
    }
    return ordered;
  }
}
