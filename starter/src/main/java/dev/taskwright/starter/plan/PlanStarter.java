package dev.taskwright.starter.plan;

import dev.taskwright.starter.CliException;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.task.PlannedTask;
import dev.taskwright.starter.task.TaskClient;
import dev.taskwright.starter.task.TaskReport;
import dev.taskwright.workflows.model.TaskState;
import io.temporal.client.WorkflowExecutionDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Starts a plan's top-level tasks in order, each as a workflow with ID = task ID (subtasks are
 * started by their parent's workflow). Starting the same plan again starts only what is missing:
 * a task whose workflow exists is reported, not started twice and not run again (see
 * docs/decisions.md, "Task files").
 */
public final class PlanStarter {

  private final TaskClient tasks;

  public PlanStarter(TaskClient tasks) {
    this.tasks = tasks;
  }

  /** What starting one task did. */
  public enum Outcome {
    STARTED("started"),
    ALREADY_RUNNING("already running"),
    ALREADY_FINISHED("already finished");

    private final String words;

    Outcome(String words) {
      this.words = words;
    }

    public String words() {
      return words;
    }
  }

  /**
   * @param task the task as planned
   * @param outcome what starting it did
   * @param state QUEUED for a started task, else the existing task's state as the server knows it
   */
  public record Started(PlannedTask task, Outcome outcome, TaskState state) {
    public String taskId() {
      return task.spec().id();
    }
  }

  /**
   * Starts every task of the plan that does not exist yet, in the plan's order, calling {@code
   * onEach} as each is handled. Refuses (exit 4, nothing started) when a task ID is taken by a task
   * that is not from this plan.
   */
  public List<Started> start(Plan plan, Consumer<Started> onEach) {
    List<String> foreign = new ArrayList<>();
    for (PlannedTask task : plan.tasks()) {
      tasks.describe(task.spec().id()).filter(existing -> !fromPlan(existing, plan)).ifPresent(existing -> foreign.add(task.spec().id()));
    }
    if (!foreign.isEmpty()) {
      throw foreignTasks(plan, foreign);
    }
    List<Started> started = new ArrayList<>();
    for (PlannedTask task : plan.tasks()) {
      Optional<WorkflowExecutionDescription> existing = tasks.startIfAbsent(task);
      Started result;
      if (existing.isEmpty()) {
        result = new Started(task, Outcome.STARTED, TaskState.QUEUED);
      } else if (!fromPlan(existing.get(), plan)) {
        // Taken between the check above and this start.
        throw foreignTasks(plan, List.of(task.spec().id()));
      } else {
        TaskState state = TaskReport.fromServer(task.spec().id(), existing.get()).view().state();
        result = new Started(task, TaskClient.isRunning(existing.get()) ? Outcome.ALREADY_RUNNING : Outcome.ALREADY_FINISHED, state);
      }
      started.add(result);
      onEach.accept(result);
    }
    return started;
  }

  private static boolean fromPlan(WorkflowExecutionDescription existing, Plan plan) {
    return Objects.equals(TaskClient.planOf(existing), plan.name());
  }

  private static CliException foreignTasks(Plan plan, List<String> ids) {
    String first = ids.get(0);
    String more = ids.size() == 1 ? "" : " (and " + String.join(", ", ids.subList(1, ids.size())) + ")";
    return new CliException(
        ExitCodes.INVALID_STATE,
        "a task '" + first + "'" + more + " already exists and is not from plan '" + plan.name() + "' (see taskwright status " + first
            + "); give the task another id in the file; nothing was started");
  }
}
