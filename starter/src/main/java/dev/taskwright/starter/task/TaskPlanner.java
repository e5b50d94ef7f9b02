package dev.taskwright.starter.task;

import dev.taskwright.activities.workspace.GitChecks;
import dev.taskwright.activities.workspace.GitCommandException;
import dev.taskwright.starter.ClaudeExecutable;
import dev.taskwright.starter.CliEnvironment;
import dev.taskwright.starter.CliException;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.workflows.TaskIds;
import dev.taskwright.workflows.model.AgentConfig;
import dev.taskwright.workflows.model.TaskSpec;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks a {@link TaskRequest} and fills in its defaults, before anything is started: a task that
 * cannot run is refused here with one line that says what to change, instead of failing minutes
 * later on a worker. Repository and ref problems come from {@link GitChecks} as {@code
 * InvalidInputException}s, whose messages are written for the user; the CLI prints them and exits
 * 2.
 */
public final class TaskPlanner {

  /**
   * A title is one line; longer ones are cut so the Web UI's summary column and commit subjects
   * stay readable.
   */
  static final int TITLE_LENGTH = 72;

  /**
   * How much of the prompt the Web UI's details show; the whole prompt is in the workflow input.
   */
  static final int PROMPT_HEAD_LENGTH = 400;

  private final CliEnvironment environment;

  public TaskPlanner(CliEnvironment environment) {
    this.environment = environment;
  }

  public PlannedTask plan(TaskRequest request) {
    String prompt = request.prompt() == null ? "" : request.prompt().strip();
    if (prompt.isEmpty()) {
      throw CliException.badInput(
          "the prompt is empty: say what the agent should do, e.g. taskwright run \"Fix the failing"
              + " test in FooTest\"");
    }
    if (prompt.length() > TaskSpec.MAX_PROMPT_LENGTH) {
      throw CliException.badInput(tooLongPrompt(prompt.length()));
    }
    String title = title(request.title(), prompt);
    String id = request.id() == null ? TaskIdSuggestion.from(title) : request.id();
    String idProblem = TaskIds.problem(id);
    if (idProblem != null) {
      throw CliException.badInput(
          idProblem + " (or leave out --id to get one made from the title)");
    }
    if (request.maxAttempts() != null && request.maxAttempts() < 1) {
      throw CliException.badInput("--max-attempts must be 1 or more, not " + request.maxAttempts());
    }
    for (String dependency : request.dependsOn()) {
      String dependencyProblem = TaskIds.problemWithAnyTask(dependency);
      if (dependencyProblem != null) {
        throw CliException.badInput(
            "--depends-on "
                + dependencyProblem
                + "; give the ID of a task that exists (see taskwright list)");
      }
      if (dependency.equals(id)) {
        throw CliException.badInput(
            "--depends-on " + dependency + ": a task cannot wait for itself");
      }
    }
    Path repo;
    String baseRef = request.baseRef();
    String baseCommit;
    try {
      repo = repositoryRoot(request.repo());
      if (baseRef == null) {
        baseRef = GitChecks.defaultBaseRef(repo);
      }
      baseCommit = GitChecks.resolveCommit(repo, baseRef);
    } catch (GitCommandException e) {
      throw new CliException(
          ExitCodes.INTERNAL,
          "git failed while checking the repository: "
              + e.getMessage()
              + " (is git installed and on PATH?)",
          e);
    }
    requireWritableHome(environment);
    // Last, because a missing agent is exit 5 and every plain input mistake should be reported
    // first.
    AgentConfig agent = agent(request);

    TaskSpec spec =
        TaskSpec.builder()
            .id(id)
            .title(title)
            .prompt(prompt)
            .repo(repo.toString())
            .baseRef(baseRef)
            .agent(agent)
            .autoAccept(request.autoAccept())
            .maxAttempts(
                request.maxAttempts() == null
                    ? TaskSpec.DEFAULT_MAX_ATTEMPTS
                    : request.maxAttempts())
            .timeout(request.timeout())
            .idleTimeout(request.idleTimeout())
            .dependsOn(request.dependsOn())
            .build();
    return new PlannedTask(spec, baseCommit, title, details(spec, baseCommit));
  }

  private AgentConfig agent(TaskRequest request) {
    String type = request.agentType();
    if (type == null) {
      type = request.command().isEmpty() ? AgentConfig.CLAUDE : AgentConfig.COMMAND;
    }
    switch (type) {
      case AgentConfig.CLAUDE -> {
        if (!request.command().isEmpty()) {
          throw CliException.badInput(
              "--command is for --agent command; leave it out to run Claude Code");
        }
        Double budget = request.maxBudgetUsd();
        String budgetProblem =
            budget == null ? null : TaskOptions.budgetProblem("--max-budget-usd", budget);
        if (budgetProblem != null) {
          throw CliException.badInput(budgetProblem);
        }
        requireClaude(environment);
        return new AgentConfig(
            AgentConfig.CLAUDE, request.model(), null, budget, List.of(), List.of());
      }
      case AgentConfig.COMMAND -> {
        if (request.command().isEmpty()) {
          throw CliException.badInput(
              "--agent command needs --command 'EXECUTABLE [ARG...]', the program to run in the"
                  + " worktree");
        }
        if (request.model() != null) {
          throw CliException.badInput(
              "--model is for --agent claude; the command driver has no model");
        }
        if (request.maxBudgetUsd() != null) {
          throw CliException.badInput(
              "--max-budget-usd is for --agent claude; the command driver spends nothing");
        }
        return AgentConfig.command(request.command());
      }
      default -> throw CliException.badInput("unknown agent '" + type + "': use claude or command");
    }
  }

  /**
   * Refuses with exit 2 when this machine's {@code TASKWRIGHT_HOME} has no room for worktrees,
   * transcripts or run folders (a file where a folder belongs, a folder this user may not write): a
   * task started now could never prepare its worktree and would wait, retrying, in PREPARING.
   * {@code run} checks the home of the machine it runs on, where the worker works too (see
   * docs/deploy.md); {@code dev}, {@code worker} and {@code demo} check theirs before they start.
   */
  public static void requireWritableHome(CliEnvironment environment) {
    String problem = environment.home().unwritable();
    if (problem != null) {
      throw CliException.badInput(problem);
    }
  }

  /**
   * Refuses with exit 5 when the Claude Code CLI cannot be found: a task for it could never run.
   */
  public static void requireClaude(CliEnvironment environment) {
    if (ClaudeExecutable.find(environment).isEmpty()) {
      throw new CliException(
          ExitCodes.UNREACHABLE,
          "cannot find the Claude Code CLI ('"
              + ClaudeExecutable.configured(environment)
              + "'): install it (npm install -g @anthropic-ai/claude-code) or set "
              + CliEnvironment.CLAUDE_BIN
              + " to its path");
    }
  }

  private Path repositoryRoot(String typed) {
    // An empty --repo (a variable that was not set, say) would resolve to the current folder and
    // quietly run the task in whatever repository that is.
    if (typed != null && typed.isBlank()) {
      throw CliException.badInput(
          "--repo is empty; give the path of a git repository, or leave --repo out to use the"
              + " current folder's");
    }
    Path path;
    try {
      path =
          typed == null
              ? environment.workingDirectory()
              : environment.workingDirectory().resolve(typed);
    } catch (InvalidPathException e) {
      throw CliException.badInput(
          "'" + typed + "' is not a valid path; give --repo the path of a git repository");
    }
    return GitChecks.repositoryRoot(path);
  }

  /** Why a prompt of {@code length} characters is refused, and what to do instead. */
  public static String tooLongPrompt(int length) {
    return "the prompt is "
        + length
        + " characters long; a task takes at most "
        + TaskSpec.MAX_PROMPT_LENGTH
        + ": put the details in a file in the repository and ask the agent to read it";
  }

  public static String title(String typed, String prompt) {
    String source = typed != null && !typed.isBlank() ? typed.strip() : prompt;
    String firstLine =
        source.lines().map(String::strip).filter(line -> !line.isEmpty()).findFirst().orElse("");
    return firstLine.length() <= TITLE_LENGTH
        ? firstLine
        : firstLine.substring(0, TITLE_LENGTH - 1).stripTrailing() + "…";
  }

  public static String details(TaskSpec spec, String baseCommit) {
    String agent = spec.agent().type();
    if (spec.agent().model() != null) {
      agent += " (" + spec.agent().model() + ")";
    } else if (!spec.agent().command().isEmpty()) {
      agent += " (`" + String.join(" ", spec.agent().command()) + "`)";
    }
    String prompt = spec.prompt();
    if (prompt.length() > PROMPT_HEAD_LENGTH) {
      prompt = prompt.substring(0, PROMPT_HEAD_LENGTH) + "…";
    }
    return "**Repo:** `"
        + spec.repo()
        + "`  \n"
        + "**Base:** `"
        + spec.baseRef()
        + "` ("
        + baseCommit
        + ")  \n"
        + "**Agent:** "
        + agent
        + "\n\n"
        + "**Prompt:**\n\n"
        + prompt
        + "\n";
  }
}
