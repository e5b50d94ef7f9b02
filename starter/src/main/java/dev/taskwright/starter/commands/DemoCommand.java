package dev.taskwright.starter.commands;

import dev.taskwright.activities.Home;
import dev.taskwright.activities.Hosts;
import dev.taskwright.activities.agent.AgentSettings;
import dev.taskwright.ledger.LedgerDatabase;
import dev.taskwright.starter.CliException;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.Logging;
import dev.taskwright.starter.demo.DemoProject;
import dev.taskwright.starter.ledger.LedgerAccess;
import dev.taskwright.starter.task.PlannedTask;
import dev.taskwright.starter.task.ProgressLine;
import dev.taskwright.starter.task.TaskClient;
import dev.taskwright.starter.task.TaskIdSuggestion;
import dev.taskwright.starter.task.TaskPlanner;
import dev.taskwright.starter.task.TaskPrinter;
import dev.taskwright.starter.task.TaskReport;
import dev.taskwright.starter.task.TaskRequest;
import dev.taskwright.starter.task.TaskStateChange;
import dev.taskwright.starter.temporal.EmbeddedTemporal;
import dev.taskwright.starter.temporal.TemporalConnection;
import dev.taskwright.starter.temporal.TemporalSettings;
import dev.taskwright.starter.worker.TaskwrightWorker;
import dev.taskwright.starter.worker.WorkerSettings;
import dev.taskwright.workflows.model.AgentConfig;
import dev.taskwright.workflows.model.TaskView;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code taskwright demo}: the whole pipeline in one process with nothing to install or sign up
 * for. An in-process Temporal server, a worker, a scratch repository under the home folder, and one
 * task whose "agent" is a bundled script, so the demo needs a JDK and git and nothing else.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    header = "Run one task end to end in this process, with nothing to install.",
    description = {
      "Run one task end to end in this process: in-process Temporal server, worker, a scratch git"
          + " repository under",
      "TASKWRIGHT_HOME/demo, and a scripted agent that edits a file. Needs only a JDK and git."
    })
public final class DemoCommand extends Subcommand {

  static final String PROMPT = "Make the greeting friendlier, and write down what you were asked.";
  static final String TITLE = "Demo: make the greeting friendlier";

  /** The scripted agent takes well under a second; a minute means something is wrong. */
  static final Duration AGENT_TIMEOUT = Duration.ofMinutes(1);

  @Override
  public Integer call() throws InterruptedException {
    Home home = environment().home();
    // Before the scratch repository, the log or a server: the demo's task needs a worktree too.
    TaskPlanner.requireWritableHome(environment());
    makeHomeOwnerOnly(home);
    Logging.workerToFile(home);
    DemoProject project = new DemoProject(home, environment().variables());
    List<String> agentCommand;
    try {
      agentCommand = project.prepare();
    } catch (UncheckedIOException e) {
      throw new CliException(
          ExitCodes.INTERNAL,
          e.getMessage()
              + ": "
              + e.getCause().getMessage()
              + " (the demo needs git on PATH and a writable TASKWRIGHT_HOME)");
    }
    err()
        .println(
            "taskwright demo: data in "
                + home.root()
                + ", scratch repository "
                + project.repository());

    try (LedgerDatabase ledger = LedgerAccess.open(environment(), err());
        EmbeddedTemporal temporal = EmbeddedTemporal.start(0);
        TemporalConnection connection =
            TemporalConnection.connect(TemporalSettings.local(temporal.address()));
        TaskwrightWorker worker =
            TaskwrightWorker.start(connection.client(), demoWorker(home), ledger)) {
      err()
          .println(
              "Started an in-process Temporal server at "
                  + temporal.address()
                  + " and a worker (log: "
                  + Logging.workerLog(home)
                  + ").");

      PlannedTask task =
          new TaskPlanner(environment())
              .plan(
                  new TaskRequest(
                      project.repository().toString(),
                      null,
                      TaskIdSuggestion.from("demo"),
                      TITLE,
                      AgentConfig.COMMAND,
                      null,
                      null,
                      agentCommand,
                      AGENT_TIMEOUT,
                      null,
                      1,
                      false,
                      PROMPT,
                      List.of()));
      // The demo completes with the work on its branch, as --complete-without-merge does: the
      // scratch repository's main stays as it was, so every demo starts from the same place.
      task =
          new PlannedTask(
              task.spec().withoutMerge(true),
              task.baseCommit(),
              task.staticSummary(),
              task.staticDetails());
      String taskId = task.spec().id();
      TaskClient tasks = new TaskClient(connection.client());
      tasks.start(task);
      err().println("Started task " + taskId + ": \"" + PROMPT + "\"");
      err().flush();
      TaskClient.FollowResult ended = tasks.follow(taskId, this::progress);

      out().println();
      TaskView view = ended.view();
      TaskPrinter.table(new TaskReport(view, true, null, ended.note()), out());
      if (!ended.successful()) {
        err()
            .println(
                "The demo task ended "
                    + ended.state()
                    + "; the worker log "
                    + Logging.workerLog(home)
                    + " says why.");
        return ExitCodes.TASK_NOT_SUCCESSFUL;
      }
      printNextSteps(project, task, view);
      return ExitCodes.OK;
    }
  }

  private static WorkerSettings demoWorker(Home home) {
    // The demo's agent is a script, so Claude Code settings do not matter; one agent at a time is
    // plenty.
    return new WorkerSettings(
        home, Hosts.current(), new AgentSettings("claude", Map.of()), 1, null);
  }

  private void progress(TaskStateChange change) {
    err().println(ProgressLine.of(change, LocalTime.now(ZoneId.systemDefault())));
    err().flush();
  }

  private void printNextSteps(DemoProject project, PlannedTask task, TaskView view) {
    String repo = project.repository().toString();
    String branch = view.branch() == null ? "taskwright/" + task.spec().id() : view.branch();
    out().println();
    out()
        .println(
            "The agent's work is committed on branch "
                + branch
                + " of "
                + repo
                + ". Look at it with git:");
    out().println("  git -C " + repo + " log --stat " + task.spec().baseRef() + ".." + branch);
    out().println("  git -C " + repo + " diff " + task.spec().baseRef() + "..." + branch);
    out().println();
    out()
        .println(
            "Next: run a real agent on your own repository. In one terminal `taskwright dev`, in"
                + " another:");
    out()
        .println(
            "  taskwright run --repo <your repository> --auto-accept --wait \"Describe the change"
                + " you want\"");
    out().flush();
  }
}
