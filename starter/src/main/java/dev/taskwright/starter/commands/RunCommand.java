package dev.taskwright.starter.commands;

import dev.taskwright.starter.CliException;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.StorableText;
import dev.taskwright.starter.plan.PlanRun;
import dev.taskwright.starter.task.CommandWords;
import dev.taskwright.starter.task.PlannedTask;
import dev.taskwright.starter.task.TaskClient;
import dev.taskwright.starter.task.TaskPlanner;
import dev.taskwright.starter.task.TaskRequest;
import dev.taskwright.starter.temporal.TemporalConnection;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskwright run}: checks a task, starts it, and optionally follows it to its end. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    header = "Start a task: an agent works on PROMPT in a new worktree.",
    description = {
      "Start a task: an agent works on PROMPT in a new worktree of the repository, on branch"
          + " taskwright/<id>.",
      "Prints the task ID on stdout. Everything is checked before the task starts."
    })
public final class RunCommand extends Subcommand {

  @Option(
      names = "--repo",
      paramLabel = "PATH",
      description = "The git repository to work in (default: the current directory).")
  String repo;

  @Option(
      names = "--base",
      paramLabel = "REF",
      description =
          "Branch, tag or commit to start from (default: the repository's current branch).")
  String base;

  @Option(
      names = "--id",
      paramLabel = "ID",
      description =
          "Task ID: 1-63 lower-case letters, digits, dashes (default: made from the title).")
  String id;

  @Option(
      names = "--title",
      paramLabel = "T",
      description =
          "One-line title for the commit and the Web UI (default: the prompt's first line).")
  String title;

  @Option(
      names = "--agent",
      paramLabel = "claude|command",
      description = "Who does the work: Claude Code (default), or the --command program.")
  String agent;

  @Option(
      names = "--model",
      paramLabel = "M",
      description = "Model for Claude Code (default: the CLI's own).")
  String model;

  @Option(
      names = "--max-budget-usd",
      paramLabel = "USD",
      description =
          "Spending limit of one Claude Code run; past it the task waits for a decision"
              + " (BLOCKED/BUDGET_EXCEEDED).")
  Double maxBudgetUsd;

  @Option(
      names = "--command",
      paramLabel = "'EXECUTABLE [ARG...]'",
      description = {
        "Program for the command driver, as one quoted string split into words like a shell would"
            + " (no shell runs it).",
        "It runs in the worktree with the prompt on stdin; exit code 0 is success. Implies --agent"
            + " command."
      })
  String command;

  @Option(
      names = "--timeout",
      paramLabel = "DUR",
      description = "How long one agent run may take, e.g. 30m, 2h (default: 1h).")
  Duration timeout;

  @Option(
      names = "--idle-timeout",
      paramLabel = "DUR",
      description =
          "How long the agent may print nothing before the watchdog stops it and the run counts as"
              + " failed, e.g. 5m (default: 15m).")
  Duration idleTimeout;

  @Option(
      names = "--max-attempts",
      paramLabel = "N",
      description = "Agent runs before the task stops retrying by itself (default: 2).")
  Integer maxAttempts;

  @Option(
      names = "--depends-on",
      paramLabel = "ID",
      description =
          "Wait, holding no worker slot, until task ID has completed; start from its work"
              + " (repeatable).")
  List<String> dependsOn = new java.util.ArrayList<>();

  @Option(
      names = "--auto-accept",
      description =
          "Accept once committed, without waiting for review: merge into the base branch as"
              + " `accept` does (a conflict blocks).")
  boolean autoAccept;

  @Option(
      names = "--complete-without-merge",
      description =
          "Complete once committed, without review and without merging: the work stays on the"
              + " task's branch.")
  boolean completeWithoutMerge;

  @Option(
      names = "--wait",
      description = {
        "Follow the task until it is READY, needs a person (BLOCKED: a question, a failure) or has"
            + " ended.",
        "Exit 0 for READY or COMPLETED; 6 for BLOCKED (with what to do), FAILED or CANCELLED."
      })
  boolean await;

  @Parameters(
      paramLabel = "PROMPT",
      arity = "0..*",
      description = "What the agent should do (several words are joined with spaces).")
  List<String> prompt;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "TASKFILE",
      description =
          "Start every task of a task file (YAML) instead of one PROMPT; only --wait goes with it."
              + " See docs/task-files.md.")
  String taskFile;

  @Option(
      names = "--max-tasks",
      paramLabel = "N",
      description =
          "With -f: start at most N tasks, subtasks included (default: "
              + PlanRun.DEFAULT_MAX_TASKS
              + "); a file with more is refused.")
  Integer maxTasks;

  @Override
  public Integer call() throws InterruptedException {
    if (taskFile != null) {
      refuseTaskOptions();
      if (maxTasks != null && maxTasks < 1) {
        throw CliException.badInput("--max-tasks must be 1 or more, not " + maxTasks);
      }
      return new PlanRun(environment(), out(), err())
          .run(
              taskFile,
              await,
              maxTasks == null ? PlanRun.DEFAULT_MAX_TASKS : maxTasks,
              this::connect);
    }
    if (maxTasks != null) {
      throw CliException.badInput(
          "--max-tasks goes with -f TASKFILE; a single run starts one task");
    }
    if (prompt == null || prompt.isEmpty()) {
      throw CliException.badInput(
          "Missing required parameter: 'PROMPT': say what the agent should do, or give a task file"
              + " with -f (see `taskwright run --help`)");
    }
    if (completeWithoutMerge && autoAccept) {
      throw CliException.badInput(
          "--auto-accept merges into the base branch and --complete-without-merge does not: give"
              + " one of them");
    }
    PlannedTask task = new TaskPlanner(environment()).plan(request());
    if (completeWithoutMerge) {
      task =
          new PlannedTask(
              task.spec().withoutMerge(true),
              task.baseCommit(),
              task.staticSummary(),
              task.staticDetails());
    }
    String taskId = task.spec().id();
    try (TemporalConnection connection = connect()) {
      TaskClient tasks = new TaskClient(connection.client());
      tasks.start(task);
      out().println(taskId);
      out().flush();
      if (!await) {
        err()
            .println(
                "Started task "
                    + taskId
                    + " on "
                    + connection.settings().address()
                    + ". Follow it with: taskwright status "
                    + taskId);
        err().flush();
        return ExitCodes.OK;
      }
      err()
          .println(
              "Started task " + taskId + "; following it (Ctrl-C stops following, not the task).");
      err().flush();
      return followAndShow(tasks, taskId, 0, DONE_OR_IN_REVIEW);
    }
  }

  /**
   * Every text option and the prompt, before anything else is checked: NUL or a lone surrogate
   * would wedge the task.
   */
  private void requireStorable() {
    StorableText.require("PROMPT", String.join(" ", prompt));
    StorableText.require("--title", title);
    StorableText.require("--id", id);
    StorableText.require("--repo", repo);
    StorableText.require("--base", base);
    StorableText.require("--agent", agent);
    StorableText.require("--model", model);
    StorableText.require("--command", command);
    dependsOn.forEach(dependency -> StorableText.require("--depends-on", dependency));
  }

  /**
   * A task file holds every task's settings; an option for one task next to it would be ambiguous.
   */
  private void refuseTaskOptions() {
    var parsed = spec.commandLine().getParseResult();
    if (!parsed.matchedPositionals().isEmpty()) {
      throw CliException.badInput(
          "PROMPT cannot be combined with -f: each task's prompt is in the task file");
    }
    for (OptionSpec option : parsed.matchedOptions()) {
      String name = option.longestName();
      if (name.equals("--complete-without-merge")) {
        throw CliException.badInput(
            "--complete-without-merge cannot be combined with -f: write 'completeWithoutMerge:"
                + " true' in the task file, at the top for every task or on a task");
      }
      if (!option.inherited() && !List.of("--file", "--wait", "--max-tasks").contains(name)) {
        throw CliException.badInput(
            name
                + " cannot be combined with -f: each task's settings are in the task file (see"
                + " docs/task-files.md)");
      }
    }
  }

  private TaskRequest request() {
    requireStorable();
    List<String> commandWords;
    try {
      commandWords = command == null ? List.of() : CommandWords.split(command);
    } catch (IllegalArgumentException e) {
      throw CliException.badInput("--command '" + command + "': " + e.getMessage());
    }
    if (command != null && commandWords.isEmpty()) {
      throw CliException.badInput(
          "--command is empty: give the program to run, e.g. --command './fix.sh --all'");
    }
    return new TaskRequest(
        repo,
        base,
        id,
        title,
        agent,
        model,
        maxBudgetUsd,
        commandWords,
        timeout,
        idleTimeout,
        maxAttempts,
        autoAccept,
        String.join(" ", prompt),
        dependsOn);
  }
}
