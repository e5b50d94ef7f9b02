package dev.taskwright.starter.plan;

import dev.taskwright.starter.CliException;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.task.PlannedTask;
import dev.taskwright.starter.task.TaskClient;
import dev.taskwright.starter.task.TaskReport;
import dev.taskwright.workflows.model.TaskState;
import io.temporal.client.WorkflowExecutionDescription;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Starts a plan's top-level tasks, each as a workflow with ID = task ID (subtasks are started by
 * their parent's workflow): in dependency waves, several at once, and reported in the plan's order
 * within each wave. Starting the same plan again starts only what is missing: a task whose workflow
 * exists is reported, not started twice and not run again (see docs/decisions.md, "Task files").
 */
public final class PlanStarter {

  /**
   * How many starts (and checks) are in flight at once. One after another, a large plan was slow to
   * start on the Temporal CLI's server, and its first tasks waited for the last to be started
   * before the agents were busy (figures in bench/RESULTS.md); a few at a time is what a local
   * server answers fastest, without crowding a remote one.
   */
  static final int PARALLEL_STARTS = 8;

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
   * What starting one task of the plan did.
   *
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
    List<PlannedTask> planned = plan.tasks();
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.max(1, Math.min(PARALLEL_STARTS, planned.size())));
    try {
      List<Optional<WorkflowExecutionDescription>> existing =
          inParallel(pool, planned, task -> tasks.describe(task.spec().id()));
      List<String> foreign = new ArrayList<>();
      for (int i = 0; i < planned.size(); i++) {
        if (existing.get(i).filter(description -> !fromPlan(description, plan)).isPresent()) {
          foreign.add(planned.get(i).spec().id());
        }
      }
      if (!foreign.isEmpty()) {
        throw foreignTasks(plan, foreign);
      }
      List<Started> started = new ArrayList<>();
      for (List<PlannedTask> wave : waves(planned)) {
        List<Optional<WorkflowExecutionDescription>> outcomes =
            inParallel(pool, wave, tasks::startIfAbsent);
        for (int i = 0; i < wave.size(); i++) {
          Started result = outcome(plan, wave.get(i), outcomes.get(i));
          started.add(result);
          onEach.accept(result);
        }
      }
      return started;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Started outcome(
      Plan plan, PlannedTask task, Optional<WorkflowExecutionDescription> existing) {
    if (existing.isEmpty()) {
      return new Started(task, Outcome.STARTED, TaskState.QUEUED);
    }
    if (!fromPlan(existing.get(), plan)) {
      // Taken between the check and this start.
      throw foreignTasks(plan, List.of(task.spec().id()));
    }
    TaskState state = TaskReport.fromServer(task.spec().id(), existing.get()).view().state();
    return new Started(
        task,
        TaskClient.isRunning(existing.get()) ? Outcome.ALREADY_RUNNING : Outcome.ALREADY_FINISHED,
        state);
  }

  /**
   * The plan's tasks in waves, in the plan's order within each: a task is in the first wave after
   * every wave holding one of its dependencies. A dependent started before its dependency exists
   * would find no such task and fail, so a wave starts only once the one before it has.
   */
  static List<List<PlannedTask>> waves(List<PlannedTask> planned) {
    Set<String> inPlan = new HashSet<>();
    planned.forEach(task -> inPlan.add(task.spec().id()));
    Set<String> placed = new HashSet<>();
    List<List<PlannedTask>> waves = new ArrayList<>();
    List<PlannedTask> left = new ArrayList<>(planned);
    while (!left.isEmpty()) {
      List<PlannedTask> wave =
          left.stream()
              .filter(
                  task ->
                      task.spec().dependsOn().stream()
                          .allMatch(id -> placed.contains(id) || !inPlan.contains(id)))
              .toList();
      if (wave.isEmpty()) {
        // A cycle; the plan's reader refuses those, so this keeps the plan's order rather than
        // loop.
        wave = List.copyOf(left);
      }
      wave.forEach(task -> placed.add(task.spec().id()));
      left.removeAll(wave);
      waves.add(wave);
    }
    return waves;
  }

  /**
   * {@code call} on each task, at most {@link #PARALLEL_STARTS} at once; results in the tasks'
   * order.
   */
  private static <T> List<T> inParallel(
      ExecutorService pool, List<PlannedTask> planned, Function<PlannedTask, T> call) {
    List<Future<T>> futures = new ArrayList<>();
    for (PlannedTask task : planned) {
      futures.add(pool.submit(() -> call.apply(task)));
    }
    List<T> results = new ArrayList<>();
    try {
      for (Future<T> future : futures) {
        results.add(future.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the plan's tasks", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
    return results;
  }

  private static boolean fromPlan(WorkflowExecutionDescription existing, Plan plan) {
    return Objects.equals(TaskClient.planOf(existing), plan.name());
  }

  private static CliException foreignTasks(Plan plan, List<String> ids) {
    String first = ids.get(0);
    String more =
        ids.size() == 1 ? "" : " (and " + String.join(", ", ids.subList(1, ids.size())) + ")";
    return new CliException(
        ExitCodes.INVALID_STATE,
        "a task '"
            + first
            + "'"
            + more
            + " already exists and is not from plan '"
            + plan.name()
            + "' (see taskwright status "
            + first
            + "); give the task another id in the file; nothing was started");
  }
}
