package dev.taskwright.activities.agent;

import dev.taskwright.activities.Home;
import dev.taskwright.workflows.FailureType;
import dev.taskwright.workflows.model.AgentOutcome;
import dev.taskwright.workflows.model.AgentRun;
import dev.taskwright.workflows.model.AgentStatus;
import dev.taskwright.workflows.model.SubtaskRequest;
import dev.taskwright.workflows.model.Usage;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both drivers set up the same way for a run: the worktree, the control files, the agent's
 * environment, the log files and the PID record; and the outcomes of runs the watcher had to kill.
 */
record AgentRunSetup(
    AgentRun run,
    Path worktree,
    ControlFiles controlFiles,
    Map<String, String> environment,
    Path logsDir) {
  private static final Logger log = LoggerFactory.getLogger(AgentRunSetup.class);

  /** DESIGN §5: an agent that printed nothing for 15 minutes is stuck. */
  static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(15);

  static AgentRunSetup prepare(Home home, AgentSettings settings, AgentRun run) {
    Path worktree = Path.of(run.workspace().path());
    if (!Files.isDirectory(worktree)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "The task's worktree " + worktree + " does not exist on this host",
          FailureType.INVALID_INPUT.type());
    }
    ControlFiles controlFiles = ControlFiles.of(home, run.taskId());
    controlFiles.prepare();
    Map<String, String> environment = new HashMap<>(settings.extraEnvironment());
    environment.putAll(controlFiles.environment());
    return new AgentRunSetup(
        run, worktree, controlFiles, Map.copyOf(environment), home.logs(run.taskId()));
  }

  /** The environment the agent will actually see: the worker's own plus what we add. */
  Map<String, String> effectiveEnvironment() {
    Map<String, String> effective = new HashMap<>(System.getenv());
    effective.putAll(environment);
    return effective;
  }

  Optional<Path> findExecutable(String executable) {
    return Executables.resolve(executable, effectiveEnvironment().get("PATH"));
  }

  Path logFile(String suffix) {
    return logsDir.resolve("run-" + run.runNumber() + suffix);
  }

  Path stderrLog() {
    return logFile(".stderr.log");
  }

  AgentProcess.Spec spec(List<String> command, String stdin, Path stdoutLog) {
    return new AgentProcess.Spec(
        command,
        worktree,
        environment,
        stdin,
        stdoutLog,
        stderrLog(),
        logsDir.resolve("agent.pid"),
        run.runNumber(),
        run.timeout(),
        idleTimeout());
  }

  Duration idleTimeout() {
    return run.idleTimeout() == null ? DEFAULT_IDLE_TIMEOUT : run.idleTimeout();
  }

  /**
   * The outcome with the subtasks the agent wrote during the run. A malformed subtasks file fails a
   * run that otherwise succeeded, with the file's problems as the error: the workflow resumes the
   * session with that text, and the agent writes the file again. A run that ended otherwise keeps
   * its own ending, and the problems are added to a failure's error so the retry fixes both.
   */
  AgentOutcome withSubtasks(AgentOutcome outcome) {
    try {
      List<SubtaskRequest> subtasks = controlFiles.readSubtasks();
      return subtasks.isEmpty()
          ? outcome
          : outcome(outcome, outcome.status(), outcome.error(), subtasks);
    } catch (SubtasksFile.Malformed malformed) {
      log.info("Task {} run {}: {}", run.taskId(), run.runNumber(), malformed.getMessage());
      return switch (outcome.status()) {
        case SUCCEEDED -> outcome(outcome, AgentStatus.FAILED, malformed.getMessage(), List.of());
        case FAILED ->
            outcome(
                outcome,
                AgentStatus.FAILED,
                outcome.error() + "\n" + malformed.getMessage(),
                List.of());
        default -> outcome;
      };
    }
  }

  private static AgentOutcome outcome(
      AgentOutcome outcome, AgentStatus status, String error, List<SubtaskRequest> subtasks) {
    return new AgentOutcome(
        status,
        outcome.sessionId(),
        outcome.summary(),
        error,
        outcome.question(),
        outcome.rateLimitResetAt(),
        outcome.usage(),
        outcome.logPath(),
        subtasks);
  }

  /** The outcome of a run the watcher killed for taking too long or falling silent, if it was. */
  Optional<AgentOutcome> killedOutcome(
      AgentProcess.Result result, String sessionId, Usage usage, Path log) {
    return switch (result.ending()) {
      case TIMED_OUT ->
          Optional.of(
              new AgentOutcome(
                  AgentStatus.TIMED_OUT,
                  sessionId,
                  null,
                  "The run did not finish within its timeout of "
                      + run.timeout()
                      + "; the agent was stopped",
                  null,
                  null,
                  usage,
                  log.toString(),
                  List.of()));
      case IDLE ->
          Optional.of(
              new AgentOutcome(
                  AgentStatus.FAILED,
                  sessionId,
                  null,
                  "The agent printed nothing for "
                      + idleTimeout()
                      + " and was stopped by the idle watchdog",
                  null,
                  null,
                  usage,
                  log.toString(),
                  List.of()));
      case EXITED, STOPPED -> Optional.empty();
    };
  }
}
