package dev.taskwright.starter.commands;

import dev.taskwright.activities.Home;
import dev.taskwright.starter.CliEnvironment;
import dev.taskwright.starter.CliException;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.TaskwrightCommand;
import dev.taskwright.starter.Terminal;
import dev.taskwright.starter.task.ProgressLine;
import dev.taskwright.starter.task.TaskClient;
import dev.taskwright.starter.task.TaskPrinter;
import dev.taskwright.starter.task.TaskReport;
import dev.taskwright.starter.task.TaskStateChange;
import dev.taskwright.starter.temporal.TemporalConnection;
import dev.taskwright.starter.temporal.TemporalSettings;
import dev.taskwright.workflows.TaskIds;
import dev.taskwright.workflows.model.TaskState;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What every subcommand shares: the environment, the output writers picocli captures in tests, and
 * the connection.
 */
abstract class Subcommand implements Callable<Integer> {

  /** Where following a task that works exits 0: the work is done, or waits for review. */
  static final Set<TaskState> DONE_OR_IN_REVIEW =
      Set.copyOf(EnumSet.of(TaskState.READY, TaskState.COMPLETED));

  @ParentCommand TaskwrightCommand root;

  @Spec CommandSpec spec;

  CliEnvironment environment() {
    return root.environment();
  }

  /** Results: what a script reads. */
  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Progress, hints and errors: what a person reads. */
  /**
   * Makes the home owner-only (issue 13, item 2) before anything is written in it, saying so in one
   * line when something was readable by other users.
   */
  void makeHomeOwnerOnly(Home home) {
    try {
      String tightened = home.makeOwnerOnly();
      if (tightened != null) {
        err().println(tightened);
        err().flush();
      }
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.INTERNAL,
          "cannot make "
              + home.root()
              + " readable by its owner only: "
              + e.getMessage()
              + "; check who owns it, or set TASKWRIGHT_HOME to a folder of this user",
          e);
    }
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /**
   * The task ID a command was given, or exit 2 when it cannot name any task. Checked before
   * anything is asked of Temporal, the ledger or the disk: an ID like {@code ../x} or {@code -rf}
   * then never reaches a path, a git command or a server, and the user learns the ID's rule instead
   * of "no such task".
   */
  static String checkedTaskId(String taskId) {
    String problem = TaskIds.problemWithAnyTask(taskId);
    if (problem != null) {
      throw CliException.badInput(problem + "; find the ID with taskwright list");
    }
    return taskId;
  }

  TemporalSettings temporalSettings() {
    return TemporalSettings.fromEnvironment(environment());
  }

  /** Connects to the configured server, or fails with exit code 5 and what to do. */
  TemporalConnection connect() {
    return TemporalConnection.connect(temporalSettings());
  }

  /**
   * Follows a task until it waits for a person or has ended, printing each state it enters on
   * stderr and its picture on stdout. Only what happens after event {@code afterEventId} counts.
   *
   * @return 0 when it stopped in one of {@code goals}; else 6, after saying what fits now
   */
  int followAndShow(TaskClient tasks, String taskId, long afterEventId, Set<TaskState> goals)
      throws InterruptedException {
    TaskClient.FollowResult stopped = tasks.follow(taskId, afterEventId, this::showProgress);
    if (stopped.note() != null) {
      err().println(taskId + ": " + Terminal.lines(stopped.note()));
    }
    TaskPrinter.table(new TaskReport(stopped.view(), true, null, null), out());
    if (goals.contains(stopped.state())) {
      return ExitCodes.OK;
    }
    if (!stopped.state().isTerminal()) {
      err()
          .println(
              taskId
                  + " waits for a person ("
                  + stopped.state()
                  + "); "
                  + TaskPrinter.whatFitsNow(stopped.view()));
      err().flush();
    }
    return ExitCodes.TASK_NOT_SUCCESSFUL;
  }

  private void showProgress(TaskStateChange change) {
    err().println(ProgressLine.of(change, LocalTime.now(ZoneId.systemDefault())));
    err().flush();
  }
}
