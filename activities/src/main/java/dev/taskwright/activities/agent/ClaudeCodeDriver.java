package dev.taskwright.activities.agent;

import dev.taskwright.activities.Home;
import dev.taskwright.workflows.FailureType;
import dev.taskwright.workflows.Prompts;
import dev.taskwright.workflows.model.AgentOutcome;
import dev.taskwright.workflows.model.AgentProgress;
import dev.taskwright.workflows.model.AgentRun;
import dev.taskwright.workflows.model.AgentStatus;
import dev.taskwright.workflows.model.Question;
import dev.taskwright.workflows.model.Usage;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the Claude Code CLI headless ({@code claude -p --output-format stream-json --verbose}) in
 * the task's worktree, reads its stream, and turns how it ended into an {@link AgentOutcome}.
 */
final class ClaudeCodeDriver implements AgentDriver {
  private static final Logger log = LoggerFactory.getLogger(ClaudeCodeDriver.class);

  static final String DEFAULT_PERMISSION_MODE = "acceptEdits";

  private final Home home;
  private final AgentSettings settings;
  private final AgentProcess process;

  ClaudeCodeDriver(Home home, AgentSettings settings, AgentProcess process) {
    this.home = home;
    this.settings = settings;
    this.process = process;
  }

  /** Whether this run starts the session or continues it, and with which prompt. */
  record Plan(String sessionId, boolean resume, String prompt, boolean withEarlierFailures) {}

  @Override
  public AgentOutcome run(AgentRun run, Attempt attempt) {
    AgentRunSetup setup = AgentRunSetup.prepare(home, settings, run);
    Path executable =
        setup
            .findExecutable(settings.claudeExecutable())
            .orElseThrow(
                () ->
                    ApplicationFailure.newNonRetryableFailure(
                        "Claude Code CLI not found ('"
                            + settings.claudeExecutable()
                            + "'). Install it with 'npm install -g @anthropic-ai/claude-code', or"
                            + " set TASKWRIGHT_CLAUDE_BIN to its path.",
                        FailureType.AGENT_NOT_INSTALLED.type()));
    Path configDir = ClaudeSessions.configDir(setup.effectiveEnvironment());
    Plan plan = plan(run, attempt, configDir, setup.worktree());
    log.info(
        "Task {} run {}: {} session {}{}",
        run.taskId(),
        run.runNumber(),
        plan.resume() ? "resuming" : "starting",
        plan.sessionId(),
        attempt.interrupted() ? " after an interrupted attempt" : "");

    Path transcript = setup.logFile(".jsonl");
    ClaudeStream stream = new ClaudeStream();
    AgentProcess.Result result;
    try {
      result =
          process.run(
              setup.spec(
                  command(executable, run, plan, setup.controlFiles()), plan.prompt(), transcript),
              new AgentProcess.OutputWatcher() {
                @Override
                public void onLine(String line) {
                  stream.accept(line);
                }

                @Override
                public AgentProgress progress() {
                  AgentProgress progress = stream.progress();
                  // Known before the CLI says so: a retry must find the session even if this
                  // attempt dies early.
                  return progress.sessionId() != null
                      ? progress
                      : new AgentProgress(
                          plan.sessionId(),
                          progress.turns(),
                          progress.tokens(),
                          progress.costUsd(),
                          progress.lastEvent());
                }

                @Override
                public boolean wantsStop() {
                  // In -p mode the tool is refused and the agent would go on without an answer;
                  // stop it and ask a person.
                  return stream.askedQuestion().isPresent();
                }
              },
              attempt.heartbeat());
    } catch (IOException e) {
      throw ApplicationFailure.newFailureWithCause(
          "Could not start Claude Code: " + e.getMessage(),
          FailureType.AGENT_INFRASTRUCTURE.type(),
          e);
    }
    boolean sessionExists = ClaudeSessions.exists(configDir, setup.worktree(), plan.sessionId());
    String sessionId = stream.sessionId().orElse(sessionExists ? plan.sessionId() : null);
    return setup.withSubtasks(outcome(setup, stream, result, sessionId, transcript));
  }

  /**
   * The resume rules (DESIGN §5). An interrupted attempt continues its session, or starts it afresh
   * with the original prompt if the CLI never created it. A run the workflow asked to resume
   * resumes. A fresh run whose session somehow exists already is resumed too, since the CLI refuses
   * to start a session ID twice.
   */
  static Plan plan(AgentRun run, Attempt attempt, Path configDir, Path worktree) {
    String sessionId = run.sessionId();
    if (sessionId == null) {
      sessionId =
          attempt.previousSessionId() != null
              ? attempt.previousSessionId()
              : UUID.randomUUID().toString();
    }
    boolean exists = ClaudeSessions.exists(configDir, worktree, sessionId);
    if (attempt.interrupted()) {
      return exists
          ? new Plan(sessionId, true, Prompts.CONTINUE_AFTER_INTERRUPTION, false)
          : new Plan(sessionId, false, run.prompt(), !run.resume());
    }
    if (run.resume() && !exists) {
      log.warn(
          "Session {} of task {} is not on this host; starting it afresh", sessionId, run.taskId());
      return new Plan(sessionId, false, run.prompt(), false);
    }
    if (!run.resume() && exists) {
      log.warn(
          "Session {} of task {} already exists; continuing it instead of starting it twice",
          sessionId,
          run.taskId());
      return new Plan(sessionId, true, run.prompt(), false);
    }
    return new Plan(sessionId, run.resume(), run.prompt(), !run.resume());
  }

  static List<String> command(Path executable, AgentRun run, Plan plan, ControlFiles files) {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(List.of("-p", "--output-format", "stream-json", "--verbose"));
    command.addAll(
        plan.resume()
            ? List.of("--resume", plan.sessionId())
            : List.of("--session-id", plan.sessionId()));
    String permissionMode = run.agent().permissionMode();
    command.addAll(
        List.of(
            "--permission-mode",
            permissionMode == null ? DEFAULT_PERMISSION_MODE : permissionMode));
    command.addAll(
        List.of("--append-system-prompt", systemPrompt(run, files, plan.withEarlierFailures())));
    // The control files live outside the worktree; the CLI refuses writes there unless the folder
    // is added.
    command.addAll(List.of("--add-dir", files.runDir().toString()));
    if (run.agent().model() != null && !run.agent().model().isBlank()) {
      command.addAll(List.of("--model", run.agent().model()));
    }
    if (run.agent().maxBudgetUsd() != null) {
      command.addAll(
          List.of(
              "--max-budget-usd", BigDecimal.valueOf(run.agent().maxBudgetUsd()).toPlainString()));
    }
    if (!run.agent().allowedTools().isEmpty()) {
      // A variadic option: last, so it cannot swallow anything after it.
      command.add("--allowed-tools");
      command.addAll(run.agent().allowedTools());
    }
    return command;
  }

  /**
   * Tells the agent how to talk back to taskwright: where each control file is and when to write
   * it.
   */
  static String systemPrompt(AgentRun run, ControlFiles files, boolean withEarlierFailures) {
    String prompt =
        "You are working unattended on taskwright task "
            + run.taskId()
            + ". Nobody watches this session; talk back through these files, which live outside the"
            + " repository and are never committed:\n"
            + "- When you finish, write a short Markdown summary of what you changed and why to "
            + files.summary()
            + "\n"
            + "- If you cannot go on without a decision from a person, write the question as JSON"
            + " {\"question\": \"...\", \"options\": [\"...\"]} to "
            + files.question()
            + ", then stop and end your turn. You will be resumed with the answer.\n"
            + "- If the work should be split into subtasks, write them to "
            + files.subtasks()
            + " as "
            + SubtasksFile.FORMAT
            + " Each subtask runs as a task of its own after you end your turn, on a branch that"
            + " starts from your work, so do not do their work yourself. The file is read when you"
            + " end your turn and cleared before your next turn, so write the whole file in the"
            + " turn you end.\n";
    String failures = withEarlierFailures ? Prompts.earlierFailures(run.earlierFailures()) : "";
    return failures.isEmpty() ? prompt : prompt + "\n" + failures;
  }

  private static AgentOutcome outcome(
      AgentRunSetup setup,
      ClaudeStream stream,
      AgentProcess.Result ended,
      String sessionId,
      Path transcript) {
    Usage usage = stream.usage();
    Optional<AgentOutcome> killed = setup.killedOutcome(ended, sessionId, usage, transcript);
    if (killed.isPresent()) {
      return killed.get();
    }
    Optional<ClaudeStream.Result> result = stream.result();
    String finalText = result.filter(r -> !r.isError()).map(ClaudeStream.Result::text).orElse(null);
    String summary = Summaries.choose(setup.controlFiles().readSummary(), finalText);
    Optional<Question> question = setup.controlFiles().readQuestion().or(stream::askedQuestion);
    String log = transcript.toString();
    if (question.isPresent()) {
      return new AgentOutcome(
          AgentStatus.QUESTION,
          sessionId,
          summary,
          null,
          question.get(),
          null,
          usage,
          log,
          List.of());
    }
    if (result.isPresent() && !result.get().isError()) {
      return new AgentOutcome(
          AgentStatus.SUCCEEDED, sessionId, summary, null, null, null, usage, log, List.of());
    }
    if (stream.sawRateLimit()) {
      String error =
          result
              .map(ClaudeStream.Result::errorText)
              .orElse("The model API refused the request: rate limited");
      return new AgentOutcome(
          AgentStatus.RATE_LIMITED,
          sessionId,
          summary,
          error,
          null,
          stream.rateLimitResetAt().orElse(null),
          usage,
          log,
          List.of());
    }
    if (result.isPresent() && result.get().budgetExceeded()) {
      return new AgentOutcome(
          AgentStatus.BUDGET_EXCEEDED,
          sessionId,
          summary,
          result.get().errorText(),
          null,
          null,
          usage,
          log,
          List.of());
    }
    String error =
        result
            .map(ClaudeStream.Result::errorText)
            .orElseGet(
                () ->
                    "Claude Code exited with code "
                        + ended.exitCode()
                        + " without a result"
                        + (ended.stderrTail().isEmpty() ? "" : ": " + ended.stderrTail()));
    return new AgentOutcome(
        AgentStatus.FAILED, sessionId, summary, error, null, null, usage, log, List.of());
  }
}
