package dev.taskwright.starter.plan;

import dev.taskwright.starter.CliEnvironment;
import dev.taskwright.starter.CliException;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.Terminal;
import dev.taskwright.starter.task.ProgressLine;
import dev.taskwright.starter.task.TaskClient;
import dev.taskwright.starter.task.TaskPrinter;
import dev.taskwright.starter.task.TaskStateChange;
import dev.taskwright.starter.temporal.TemporalConnection;
import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code taskwright run -f TASKFILE [--wait]}: checks the whole file, starts its tasks in
 * dependency order, prints one line per top-level task on stdout ({@code ID started}, {@code ID
 * already running (STATE)}, {@code ID already finished (STATE)}), and with {@code --wait} follows
 * each in turn until it is READY, waits for a person (BLOCKED) or has ended.
 */
public final class PlanRun {

  /**
   * The most tasks (subtasks included) one task file starts unless {@code --max-tasks} raises it:
   * each task makes a worktree, so a file of thousands is far more likely a mistake than a plan.
   */
  public static final int DEFAULT_MAX_TASKS = 100;

  private final CliEnvironment environment;
  private final PrintWriter out;
  private final PrintWriter err;

  public PlanRun(CliEnvironment environment, PrintWriter out, PrintWriter err) {
    this.environment = environment;
    this.out = out;
    this.err = err;
  }

  /**
   * Runs the command and returns its exit code.
   *
   * @param connect opens the Temporal connection; called only once the file is known to be good
   */
  public int run(String taskFile, boolean await, int maxTasks, Supplier<TemporalConnection> connect)
      throws InterruptedException {
    Plan plan;
    try {
      plan = TaskFiles.load(taskFile, environment);
    } catch (TaskFileException e) {
      e.problems().forEach(problem -> err.println("taskwright: " + Terminal.line(problem)));
      err.flush();
      throw CliException.badInput(
          e.getMessage() + ", so nothing was started; fix them and run again");
    }
    int count = plan.tasks().stream().mapToInt(task -> 1 + TaskFiles.subtaskCount(task)).sum();
    if (count > maxTasks) {
      throw CliException.badInput(
          "task file "
              + taskFile
              + " holds "
              + count
              + " tasks (subtasks included), more than the cap of "
              + maxTasks
              + ", so nothing was started; split the file, or raise the cap with --max-tasks "
              + count
              + " if you mean it");
    }
    try (TemporalConnection connection = connect.get()) {
      TaskClient tasks = new TaskClient(connection.client());
      int width = plan.tasks().stream().mapToInt(task -> task.spec().id().length()).max().orElse(0);
      List<PlanStarter.Started> started =
          new PlanStarter(tasks).start(plan, result -> print(result, width));
      long fresh =
          started.stream()
              .filter(result -> result.outcome() == PlanStarter.Outcome.STARTED)
              .count();
      err.println(
          "Plan "
              + plan.name()
              + ": started "
              + fresh
              + " of "
              + started.size()
              + " tasks"
              + (count == started.size() ? "" : " (" + count + " with subtasks)")
              + " on "
              + connection.settings().address()
              + ". Follow one with: taskwright status ID");
      err.flush();
      if (!await) {
        return ExitCodes.OK;
      }
      boolean allSuccessful = true;
      for (PlanStarter.Started result : started) {
        TaskClient.FollowResult stopped = tasks.follow(result.taskId(), this::showProgress);
        if (stopped.note() != null) {
          err.println(result.taskId() + ": " + Terminal.lines(stopped.note()));
        } else if (!stopped.state().isTerminal() && !stopped.successful()) {
          err.println(
              result.taskId()
                  + " waits for a person ("
                  + stopped.state()
                  + "); "
                  + TaskPrinter.whatFitsNow(stopped.view()));
        }
        err.flush();
        allSuccessful &= stopped.successful();
      }
      return allSuccessful ? ExitCodes.OK : ExitCodes.TASK_NOT_SUCCESSFUL;
    }
  }

  private void showProgress(TaskStateChange change) {
    err.println(ProgressLine.of(change, LocalTime.now(ZoneId.systemDefault())));
    err.flush();
  }

  private void print(PlanStarter.Started result, int width) {
    String outcome = result.outcome().words();
    if (result.outcome() != PlanStarter.Outcome.STARTED) {
      outcome += " (" + result.state() + ")";
    }
    int subtasks = TaskFiles.subtaskCount(result.task());
    String extra =
        subtasks == 0 ? "" : ", with " + subtasks + (subtasks == 1 ? " subtask" : " subtasks");
    out.println(String.format("%-" + width + "s  %s%s", result.taskId(), outcome, extra));
    out.flush();
  }
}
