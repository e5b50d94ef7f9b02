package dev.taskwright.starter.commands;

import dev.taskwright.activities.InvalidInputException;
import dev.taskwright.activities.workspace.GitChecks;
import dev.taskwright.ledger.LedgerDatabase;
import dev.taskwright.ledger.read.TaskFilter;
import dev.taskwright.starter.CliException;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.ledger.LedgerPrinter;
import dev.taskwright.starter.task.Since;
import dev.taskwright.workflows.TaskIds;
import dev.taskwright.workflows.model.TaskRecord;
import dev.taskwright.workflows.model.TaskState;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code taskwright list}: tasks from the ledger, newest first. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    header = "List tasks, newest first.",
    description = {
      "List tasks from the task ledger, newest first: ID, state (with its reason), age, cost,"
          + " tokens, repository and title. The ledger keeps every task, also after Temporal has"
          + " forgotten it.",
      "Filters combine: --state BLOCKED,READY --repo . --since 2d. --output json prints an array of"
          + " tasks with every field the ledger holds.",
      "No matching task is not an error: a line on stderr says so, and the exit code is 0."
    },
    footer = {"", LedgerCommand.EXIT_CODES})
public final class ListCommand extends LedgerCommand {

  static final int DEFAULT_LIMIT = 50;

  @Option(
      names = "--state",
      paramLabel = "STATE",
      split = ",",
      splitSynopsisLabel = ",",
      description =
          "Only tasks in these states (repeat or separate with commas): ${COMPLETION-CANDIDATES}.")
  List<TaskState> states = new ArrayList<>();

  @Option(
      names = "--repo",
      paramLabel = "PATH",
      description =
          "Only tasks in this repository (a relative path starts at the current directory).")
  String repo;

  @Option(
      names = "--plan",
      paramLabel = "NAME",
      description = "Only the tasks of this plan (task file).")
  String plan;

  @Option(names = "--parent", paramLabel = "ID", description = "Only the subtasks of this task.")
  String parent;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      description =
          "Only tasks created since then: how long ago (2d, 12h, 90m), a day (2026-11-01), or an"
              + " ISO time.")
  String since;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "At most N tasks, the newest (default: " + DEFAULT_LIMIT + ").")
  int limit = DEFAULT_LIMIT;

  @Override
  public Integer call() {
    TaskFilter filter = filter(Instant.now());
    List<TaskRecord> tasks;
    try (LedgerDatabase ledger = openLedger()) {
      tasks = read(ledger, queries -> queries.list(filter));
    }
    if (json()) {
      LedgerPrinter.listJson(tasks, out());
    } else if (!tasks.isEmpty()) {
      LedgerPrinter.listTable(tasks, Instant.now(), out());
    }
    if (tasks.isEmpty()) {
      err().println(nothingMatches());
    } else if (tasks.size() == limit) {
      err().println("(the newest " + limit + "; --limit N shows more)");
    }
    err().flush();
    return ExitCodes.OK;
  }

  /**
   * The filter the options ask for, checked: a wrong value is exit 2 before the ledger is opened.
   */
  TaskFilter filter(Instant now) {
    if (limit < 1) {
      throw CliException.badInput("--limit must be 1 or more, not " + limit);
    }
    if (plan != null && !TaskIds.isValid(plan)) {
      throw CliException.badInput(
          TaskIds.shown(plan)
              + " is not a plan name (plan names are like task IDs: lower-case letters, digits and"
              + " dashes)");
    }
    if (parent != null) {
      String problem = TaskIds.problemWithAnyTask(parent);
      if (problem != null) {
        throw CliException.badInput("--parent " + problem);
      }
    }
    Instant from = since == null ? null : Since.parse(since, now, ZoneId.systemDefault());
    return new TaskFilter(
        Set.copyOf(states), repo == null ? null : repository(repo), plan, parent, from, limit);
  }

  /**
   * The repository as {@code run --repo} stores it: the top folder of the git work tree the path is
   * in. A path that is not (or no longer) in a repository is taken as it is, made absolute, so the
   * tasks of a deleted repository can still be listed.
   */
  private String repository(String typed) {
    Path path;
    try {
      path = environment().workingDirectory().resolve(typed).normalize();
    } catch (InvalidPathException e) {
      throw CliException.badInput(
          "'" + typed + "' is not a valid path; give --repo the path of a git repository");
    }
    if (Files.isDirectory(path)) {
      try {
        return GitChecks.repositoryRoot(path).toString();
      } catch (InvalidInputException notARepository) {
        // Not a work tree (any more): compare the path itself.
      } catch (RuntimeException gitFailed) {
        // No git to ask (it is only needed to run tasks): the path itself is the best guess.
      }
    }
    return path.toString();
  }

  private String nothingMatches() {
    List<String> filters = new ArrayList<>();
    if (!states.isEmpty()) {
      filters.add(
          "--state " + String.join(",", states.stream().map(Enum::name).distinct().toList()));
    }
    if (repo != null) {
      filters.add("--repo " + repo);
    }
    if (plan != null) {
      filters.add("--plan " + plan);
    }
    if (parent != null) {
      filters.add("--parent " + parent);
    }
    if (since != null) {
      filters.add("--since " + since);
    }
    if (filters.isEmpty()) {
      return "No tasks in the ledger yet; start one with taskwright run.";
    }
    return "No tasks match " + String.join(" ", filters) + ".";
  }
}
