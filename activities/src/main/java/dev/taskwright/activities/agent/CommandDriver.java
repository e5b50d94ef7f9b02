package dev.taskwright.activities.agent;

import dev.taskwright.activities.Home;
import dev.taskwright.workflows.FailureType;
import dev.taskwright.workflows.model.AgentOutcome;
import dev.taskwright.workflows.model.AgentProgress;
import dev.taskwright.workflows.model.AgentRun;
import dev.taskwright.workflows.model.AgentStatus;
import dev.taskwright.workflows.model.Question;
import dev.taskwright.workflows.model.Usage;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Runs a given executable in the worktree with the prompt on stdin: for scripted automation
 * (codemods, formatters) and benchmarks. Exit code 0 is success.
 */
final class CommandDriver implements AgentDriver {

  /** How many of the last stdout lines are kept for the summary and the error text. */
  static final int TAIL_LINES = 20;

  private final Home home;
  private final AgentSettings settings;
  private final AgentProcess process;

  CommandDriver(Home home, AgentSettings settings, AgentProcess process) {
    this.home = home;
    this.settings = settings;
    this.process = process;
  }

  @Override
  public AgentOutcome run(AgentRun run, Attempt attempt) {
    List<String> configured = run.agent().command();
    if (configured.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "The command agent needs a command (executable and arguments)",
          FailureType.INVALID_INPUT.type());
    }
    AgentRunSetup setup = AgentRunSetup.prepare(home, settings, run);
    Path executable =
        setup
            .findExecutable(configured.get(0))
            .orElseThrow(
                () ->
                    ApplicationFailure.newNonRetryableFailure(
                        "The agent command '"
                            + configured.get(0)
                            + "' is not an executable file or on PATH",
                        FailureType.INVALID_INPUT.type()));
    List<String> command = new ArrayList<>(configured);
    command.set(0, executable.toString());

    Path stdoutLog = setup.logFile(".log");
    StdoutTail tail = new StdoutTail();
    AgentProcess.Result result;
    try {
      result = process.run(setup.spec(command, run.prompt(), stdoutLog), tail, attempt.heartbeat());
    } catch (IOException e) {
      throw ApplicationFailure.newFailureWithCause(
          "Could not start " + executable + ": " + e.getMessage(),
          FailureType.AGENT_INFRASTRUCTURE.type(),
          e);
    }
    return setup.withSubtasks(outcome(setup, result, tail, stdoutLog));
  }

  private static AgentOutcome outcome(
      AgentRunSetup setup, AgentProcess.Result result, StdoutTail tail, Path stdoutLog) {
    Usage usage = Usage.NONE;
    Optional<AgentOutcome> killed = setup.killedOutcome(result, null, usage, stdoutLog);
    if (killed.isPresent()) {
      return killed.get();
    }
    String output = tail.text();
    String summary = Summaries.choose(setup.controlFiles().readSummary(), output);
    Optional<Question> question = setup.controlFiles().readQuestion();
    String log = stdoutLog.toString();
    if (question.isPresent()) {
      return new AgentOutcome(
          AgentStatus.QUESTION, null, summary, null, question.get(), null, usage, log, List.of());
    }
    if (result.exitCode() == 0) {
      return new AgentOutcome(
          AgentStatus.SUCCEEDED, null, summary, null, null, null, usage, log, List.of());
    }
    String error =
        "Command exited with code "
            + result.exitCode()
            + (output.isEmpty() ? "" : "\n" + output)
            + (result.stderrTail().isEmpty() ? "" : "\n" + result.stderrTail());
    return new AgentOutcome(
        AgentStatus.FAILED,
        null,
        summary,
        Summaries.trim(error),
        null,
        null,
        usage,
        log,
        List.of());
  }

  /** Keeps the last lines of stdout and reports them as progress. */
  private static final class StdoutTail implements AgentProcess.OutputWatcher {
    private final Deque<String> lines = new ArrayDeque<>();
    private int count;

    @Override
    public synchronized void onLine(String line) {
      count++;
      lines.addLast(line);
      if (lines.size() > TAIL_LINES) {
        lines.removeFirst();
      }
    }

    @Override
    public synchronized AgentProgress progress() {
      String last = lines.isEmpty() ? "started" : lines.peekLast();
      String event =
          count
              + " lines of output; last: "
              + (last.length() > 120 ? last.substring(0, 120) + "…" : last);
      return new AgentProgress(null, 0, 0, 0.0, event);
    }

    synchronized String text() {
      return String.join("\n", lines).strip();
    }
  }
}
