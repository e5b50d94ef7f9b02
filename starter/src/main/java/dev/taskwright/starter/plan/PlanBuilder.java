package dev.taskwright.starter.plan;

import dev.taskwright.activities.InvalidInputException;
import dev.taskwright.activities.workspace.GitChecks;
import dev.taskwright.activities.workspace.GitCommandException;
import dev.taskwright.starter.CliException;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.plan.TaskFileReader.Overrides;
import dev.taskwright.starter.plan.TaskFileReader.Setting;
import dev.taskwright.starter.plan.TaskFileReader.TaskEntry;
import dev.taskwright.starter.plan.TaskFileReader.TaskFileDraft;
import dev.taskwright.starter.task.PlannedTask;
import dev.taskwright.starter.task.TaskPlanner;
import dev.taskwright.workflows.Names;
import dev.taskwright.workflows.TaskIds;
import dev.taskwright.workflows.model.AgentConfig;
import dev.taskwright.workflows.model.TaskSpec;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Checks what {@link TaskFileReader} read — IDs, dependencies, cycles, agents, repositories and
 * base refs — and turns a file without problems into a {@link Plan}: one {@link TaskSpec} per
 * top-level task, with its subtasks nested, in an order where every task comes after the tasks it
 * depends on.
 */
final class PlanBuilder {

  private final Path folder;
  private final Path home;
  private final Problems problems;
  private final IdentityHashMap<TaskEntry, Effective> effective = new IdentityHashMap<>();
  private final IdentityHashMap<TaskEntry, Base> bases = new IdentityHashMap<>();
  private final Map<Path, Checked<Path>> roots = new HashMap<>();
  private final Map<Path, Checked<String>> defaultRefs = new HashMap<>();
  private final Map<String, Checked<String>> commits = new HashMap<>();

  /**
   * @param folder the task file's folder: relative repository paths start there, and it is the
   *     default repository
   * @param home the user's home folder, for {@code ~} in repository paths
   */
  PlanBuilder(Path folder, Path home, Problems problems) {
    this.folder = folder;
    this.home = home;
    this.problems = problems;
  }

  /** The plan, or null when there were problems (all of them reported). */
  Plan build(TaskFileDraft draft, String fileName, boolean checkRepositories) {
    String name = planName(draft.plan(), fileName);
    Set<String> allIds = new HashSet<>();
    collectIds(draft.tasks(), null, allIds);
    Effective defaults = Effective.defaults(draft.defaults());
    checkSiblings(draft.tasks(), null, defaults, allIds);
    if (checkRepositories) {
      for (TaskEntry task : draft.tasks()) {
        resolveBase(task);
      }
    }
    if (!problems.isEmpty()) {
      return null;
    }
    List<PlannedTask> planned = new ArrayList<>();
    for (TaskEntry task : startOrder(draft.tasks())) {
      Base base = bases.get(task);
      TaskSpec spec = spec(task, null, name, base);
      planned.add(
          new PlannedTask(
              spec, base.commit(), spec.title(), TaskPlanner.details(spec, base.commit())));
    }
    return new Plan(name, planned);
  }

  private String planName(Setting<String> plan, String fileName) {
    if (plan != null) {
      if (!TaskIds.isValid(plan.value())) {
        problems.add(
            plan.node(),
            Problems.TOP_LEVEL,
            "plan name '"
                + plan.value()
                + "' is invalid; use 1 to 63 lower-case letters, digits and dashes, starting with a"
                + " letter or digit");
      }
      return plan.value();
    }
    String base = fileName.replaceFirst("\\.[^.]*$", "");
    String slug =
        base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (slug.length() > PlanIds.MAX_LENGTH) {
      slug = slug.substring(0, PlanIds.MAX_LENGTH).replaceAll("-+$", "");
    }
    return slug.isEmpty() ? "plan" : slug;
  }

  private static void collectIds(List<TaskEntry> tasks, String parentId, Set<String> ids) {
    for (TaskEntry task : tasks) {
      if (task.id() != null) {
        String id = fullId(parentId, task.id().value());
        ids.add(id);
        collectIds(task.subtasks(), id, ids);
      }
    }
  }

  private static String fullId(String parentId, String id) {
    return parentId == null ? id : Names.childId(parentId, id);
  }

  /**
   * IDs, duplicates, dependencies, cycles and agent settings of one list of siblings, then of their
   * subtasks.
   */
  private void checkSiblings(
      List<TaskEntry> siblings, String parentId, Effective inherited, Set<String> allIds) {
    Map<String, TaskEntry> byId = new LinkedHashMap<>();
    for (TaskEntry task : siblings) {
      if (task.id() == null) {
        continue;
      }
      String id = task.id().value();
      String idProblem = PlanIds.problem(id, parentId != null);
      if (idProblem != null) {
        problems.add(task.id().node(), task.where(), idProblem);
      }
      TaskEntry earlier = byId.putIfAbsent(id, task);
      if (earlier != null) {
        problems.add(
            task.id().node(),
            task.where(),
            "id '"
                + fullId(parentId, id)
                + "' is already used by "
                + earlier.where()
                + " (line "
                + earlier.node().line()
                + "); give each task its own id");
      }
    }
    for (TaskEntry task : siblings) {
      checkDependencies(task, parentId, byId, allIds);
    }
    reportCycles(parentId, byId);
    for (TaskEntry task : siblings) {
      Effective settings = inherited.child(task, problems);
      effective.put(task, settings);
      String id = task.id() == null ? "?" : fullId(parentId, task.id().value());
      checkSiblings(task.subtasks(), id, settings, allIds);
    }
  }

  private void checkDependencies(
      TaskEntry task, String parentId, Map<String, TaskEntry> siblings, Set<String> allIds) {
    Set<String> seen = new HashSet<>();
    for (Setting<String> dependency : task.dependsOn()) {
      String name = dependency.value();
      String problem = null;
      if (!seen.add(name)) {
        problem = "dependsOn lists '" + name + "' twice; keep one";
      } else if (task.id() != null && name.equals(task.id().value())) {
        problem = "the task depends on itself; remove '" + name + "' from its dependsOn";
      } else if (siblings.containsKey(name)) {
        continue;
      } else if (parentId == null) {
        problem = topLevelDependencyProblem(name, siblings, allIds);
      } else {
        problem = subtaskDependencyProblem(name, parentId, siblings, allIds);
      }
      problems.add(dependency.node(), task.where(), problem);
    }
  }

  private static String topLevelDependencyProblem(
      String name, Map<String, TaskEntry> tasks, Set<String> allIds) {
    if (allIds.contains(name)) {
      String owner = name.substring(0, name.indexOf('.'));
      return "dependsOn names '"
          + name
          + "', a subtask; depend on its top-level task '"
          + owner
          + "' instead, which finishes after all its subtasks";
    }
    return "dependsOn names '"
        + name
        + "', which is not a task in this file; "
        + namesHint(name, tasks.keySet(), "tasks");
  }

  private static String subtaskDependencyProblem(
      String name, String parentId, Map<String, TaskEntry> siblings, Set<String> allIds) {
    String siblingPrefix = parentId + ".";
    if (name.startsWith(siblingPrefix)
        && siblings.containsKey(name.substring(siblingPrefix.length()))) {
      return "dependsOn names '"
          + name
          + "'; a subtask names its siblings by their short id: write '"
          + name.substring(siblingPrefix.length())
          + "'";
    }
    if (allIds.contains(name) || name.equals(parentId)) {
      String top = parentId.contains(".") ? parentId.substring(0, parentId.indexOf('.')) : parentId;
      return "dependsOn names '"
          + name
          + "', which is not a sibling; a subtask may depend only on other subtasks of '"
          + parentId
          + "'"
          + (name.equals(parentId)
              ? " (its parent, which waits for it)"
              : "; to wait for '" + name + "', put it in the dependsOn of '" + top + "'");
    }
    return "dependsOn names '"
        + name
        + "', which is not a subtask of '"
        + parentId
        + "'; "
        + namesHint(name, siblings.keySet(), "its subtasks");
  }

  private static String namesHint(String name, Set<String> known, String what) {
    String closest = KeySuggestion.closest(name, known);
    if (closest != null) {
      return "did you mean '" + closest + "'?";
    }
    return known.isEmpty()
        ? "name a task defined in this file"
        : what + ": " + String.join(", ", known);
  }

  /**
   * Names each dependency cycle among siblings once, as {@code a -> b -> c -> a}, at its first task
   * in the file.
   */
  private void reportCycles(String parentId, Map<String, TaskEntry> byId) {
    Map<String, Integer> state = new HashMap<>();
    Set<String> reported = new HashSet<>();
    for (String id : byId.keySet()) {
      findCycles(id, new ArrayList<>(), state, byId, parentId, reported);
    }
  }

  private void findCycles(
      String id,
      List<String> path,
      Map<String, Integer> state,
      Map<String, TaskEntry> byId,
      String parentId,
      Set<String> reported) {
    final int visiting = 1;
    final int done = 2;
    Integer current = state.get(id);
    if (current != null && current == done) {
      return;
    }
    if (current != null && current == visiting) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(id), path.size()));
      // Start the cycle at the task that comes first in the file, so each is named one way only.
      List<String> order = new ArrayList<>(byId.keySet());
      int start = 0;
      for (int i = 1; i < cycle.size(); i++) {
        if (order.indexOf(cycle.get(i)) < order.indexOf(cycle.get(start))) {
          start = i;
        }
      }
      List<String> rotated = new ArrayList<>(cycle.subList(start, cycle.size()));
      rotated.addAll(cycle.subList(0, start));
      rotated.add(rotated.get(0));
      String named =
          String.join(" -> ", rotated.stream().map(name -> fullId(parentId, name)).toList());
      if (reported.add(named)) {
        TaskEntry first = byId.get(rotated.get(0));
        problems.add(
            first.node(),
            first.where(),
            "dependency cycle "
                + named
                + "; no task in it could ever start: remove one of these dependsOn entries");
      }
      return;
    }
    state.put(id, visiting);
    path.add(id);
    for (Setting<String> dependency : byId.get(id).dependsOn()) {
      if (byId.containsKey(dependency.value()) && !dependency.value().equals(id)) {
        findCycles(dependency.value(), path, state, byId, parentId, reported);
      }
    }
    path.remove(path.size() - 1);
    state.put(id, done);
  }

  /** Siblings ordered so each comes after those it depends on; among the ready ones, file order. */
  private static List<TaskEntry> startOrder(List<TaskEntry> siblings) {
    Map<String, TaskEntry> byId = new LinkedHashMap<>();
    siblings.forEach(task -> byId.put(task.id().value(), task));
    List<TaskEntry> ordered = new ArrayList<>();
    Set<String> placed = new HashSet<>();
    while (ordered.size() < siblings.size()) {
      for (TaskEntry task : siblings) {
        if (!placed.contains(task.id().value())
            && task.dependsOn().stream().allMatch(d -> placed.contains(d.value()))) {
          ordered.add(task);
          placed.add(task.id().value());
          break;
        }
      }
    }
    return ordered;
  }

  private TaskSpec spec(TaskEntry task, String parentId, String planName, Base base) {
    Effective settings = effective.get(task);
    String id = fullId(parentId, task.id().value());
    String prompt = task.prompt().value().strip();
    String title = TaskPlanner.title(task.title() == null ? null : task.title().value(), prompt);
    List<String> dependsOn =
        task.dependsOn().stream().map(d -> fullId(parentId, d.value())).toList();
    List<TaskSpec> subtasks =
        startOrder(task.subtasks()).stream().map(child -> spec(child, id, planName, base)).toList();
    return TaskSpec.builder()
        .id(id)
        .title(title)
        .prompt(prompt)
        .repo(base.repo().toString())
        .baseRef(base.ref())
        .agent(settings.agent())
        .autoAccept(settings.autoAccept())
        .maxAttempts(settings.maxAttempts())
        .timeout(settings.timeout())
        .idleTimeout(settings.idleTimeout())
        .parentId(parentId)
        .plan(planName)
        .dependsOn(dependsOn)
        .subtasks(subtasks)
        .completeWithoutMerge(settings.completeWithoutMerge())
        .build();
  }

  /**
   * The repository and base commit of a top-level task, from {@link GitChecks}; problems reported
   * at the setting that named them.
   */
  private void resolveBase(TaskEntry task) {
    Effective settings = effective.get(task);
    Setting<String> repoSetting = settings.repo();
    Path repo;
    try {
      repo = repoPath(repoSetting);
    } catch (InvalidPathException e) {
      problems.add(
          repoSetting.node(),
          repoSetting.where(),
          "repo '"
              + repoSetting.value()
              + "' is not a valid path; give the path of a git repository");
      return;
    }
    Checked<Path> root =
        roots.computeIfAbsent(repo, path -> Checked.of(() -> GitChecks.repositoryRoot(path)));
    if (root.problem() != null) {
      reportRepo(repoSetting, root.problem());
      return;
    }
    Setting<String> baseSetting = settings.base();
    String baseRef;
    if (baseSetting == null) {
      Checked<String> current =
          defaultRefs.computeIfAbsent(
              root.value(), path -> Checked.of(() -> GitChecks.defaultBaseRef(path)));
      if (current.problem() != null) {
        reportRepo(repoSetting, current.problem());
        return;
      }
      baseRef = current.value();
    } else {
      baseRef = baseSetting.value();
    }
    Checked<String> commit =
        commits.computeIfAbsent(
            root.value() + "\0" + baseRef,
            key -> Checked.of(() -> GitChecks.resolveCommit(root.value(), baseRef)));
    if (commit.problem() != null) {
      if (baseSetting == null) {
        reportRepo(repoSetting, commit.problem());
      } else {
        problems.add(baseSetting.node(), baseSetting.where(), commit.problem());
      }
      return;
    }
    bases.put(task, new Base(root.value(), baseRef, commit.value()));
  }

  private void reportRepo(Setting<String> repoSetting, String problem) {
    if (repoSetting == null) {
      problems.add(
          null,
          Problems.TOP_LEVEL,
          "no repo given, so the task file's folder is the repository, and "
              + problem
              + " (or add 'repo: <path>')");
    } else {
      problems.add(
          repoSetting.node(),
          repoSetting.where(),
          "repo '" + repoSetting.value() + "': " + problem);
    }
  }

  /** A git check's answer: its value, or the user-facing reason it failed. */
  private record Checked<T>(T value, String problem) {

    /**
     * Runs the check; git itself failing (not installed, timed out) is exit 1 at once, as for
     * {@code run}.
     */
    static <T> Checked<T> of(Supplier<T> gitCheck) {
      try {
        return new Checked<>(gitCheck.get(), null);
      } catch (InvalidInputException e) {
        return new Checked<>(null, e.getMessage());
      } catch (GitCommandException e) {
        throw new CliException(
            ExitCodes.INTERNAL,
            "git failed while checking the repository: "
                + e.getMessage()
                + " (is git installed and on PATH?)",
            e);
      }
    }
  }

  /**
   * {@code ~} is the home folder; a relative path starts at the task file's folder; no repo means
   * that folder.
   */
  Path repoPath(Setting<String> repo) {
    if (repo == null) {
      return folder;
    }
    String typed = repo.value();
    Path path;
    if (typed.equals("~")) {
      path = home;
    } else if (typed.startsWith("~/")) {
      path = home.resolve(typed.substring(2));
    } else {
      path = folder.resolve(typed);
    }
    return path.toAbsolutePath().normalize();
  }

  /**
   * Where a top-level task and its subtasks start: the repository's top folder, the base ref, and
   * the commit it names now.
   */
  private record Base(Path repo, String ref, String commit) {}

  /**
   * The settings a task runs with, after inheriting from the file's defaults and its parents.
   *
   * @param repo where the repository was set, or null for the task file's folder
   * @param base where the base ref was set, or null for the repository's current branch
   */
  record Effective(
      Setting<String> repo,
      Setting<String> base,
      String agentType,
      String model,
      List<String> command,
      boolean autoAccept,
      Duration timeout,
      Duration idleTimeout,
      int maxAttempts,
      Double maxBudgetUsd,
      boolean completeWithoutMerge) {

    static Effective defaults(Overrides file) {
      String type =
          file.agent() != null
              ? file.agent().value()
              : file.command() != null && file.model() == null
                  ? AgentConfig.COMMAND
                  : AgentConfig.CLAUDE;
      return new Effective(
          file.repo(),
          file.base(),
          type,
          file.model() == null ? null : file.model().value(),
          file.command() == null ? null : file.command().value(),
          file.autoAccept() != null && file.autoAccept().value(),
          file.timeout() == null ? null : file.timeout().value(),
          file.idleTimeout() == null ? null : file.idleTimeout().value(),
          file.maxAttempts() == null ? TaskSpec.DEFAULT_MAX_ATTEMPTS : file.maxAttempts().value(),
          file.maxBudgetUsd() == null ? null : file.maxBudgetUsd().value(),
          file.completeWithoutMerge() != null && file.completeWithoutMerge().value());
    }

    /**
     * A task's settings: each key it gives, else what it inherits. Subtasks skip review unless they
     * ask for it; top-level tasks take the file's {@code autoAccept}.
     */
    Effective child(TaskEntry task, Problems problems) {
      Overrides own = task.overrides();
      String type;
      if (own.agent() != null) {
        type = own.agent().value();
      } else if (own.command() != null) {
        // As on the command line, a command of its own makes a task a command task.
        type = AgentConfig.COMMAND;
      } else {
        type = agentType;
      }
      String taskModel = own.model() != null ? own.model().value() : model;
      List<String> taskCommand = own.command() != null ? own.command().value() : command;
      if (type.equals(AgentConfig.COMMAND) && own.model() != null) {
        problems.add(
            own.model().node(),
            task.where(),
            "model is for agent claude, and this task's agent is command; remove 'model' or set"
                + " 'agent: claude'");
      }
      if (type.equals(AgentConfig.CLAUDE) && own.command() != null) {
        problems.add(
            own.command().node(),
            task.where(),
            "command is for agent command, and this task's agent is claude; remove 'command' or set"
                + " 'agent: command'");
      }
      if (type.equals(AgentConfig.COMMAND)
          && taskCommand == null
          && (own.agent() != null || !task.subtask())) {
        problems.add(
            own.agent() != null ? own.agent().node() : task.node(),
            task.where(),
            "agent command needs the program to run: add 'command: ./script.sh' to the task or to"
                + " the top level");
      }
      Double budget = own.maxBudgetUsd() != null ? own.maxBudgetUsd().value() : maxBudgetUsd;
      if (type.equals(AgentConfig.COMMAND) && own.maxBudgetUsd() != null) {
        problems.add(
            own.maxBudgetUsd().node(),
            task.where(),
            "maxBudgetUsd is for agent claude, and this task's agent is command (it spends"
                + " nothing); remove 'maxBudgetUsd' or set 'agent: claude'");
      }
      boolean accept;
      if (own.autoAccept() != null) {
        accept = own.autoAccept().value();
      } else if (own.review() != null) {
        accept = !own.review().value();
      } else {
        accept = task.subtask() || autoAccept;
      }
      return new Effective(
          own.repo() != null ? own.repo() : repo,
          own.base() != null ? own.base() : base,
          type,
          taskModel,
          taskCommand,
          accept,
          own.timeout() != null ? own.timeout().value() : timeout,
          own.idleTimeout() != null ? own.idleTimeout().value() : idleTimeout,
          own.maxAttempts() != null ? own.maxAttempts().value() : maxAttempts,
          budget,
          // A task that asks for review (or auto-accept) of its own does not inherit the file's
          // completeWithoutMerge.
          own.completeWithoutMerge() != null
              ? own.completeWithoutMerge().value()
              : completeWithoutMerge && own.review() == null && own.autoAccept() == null);
    }

    AgentConfig agent() {
      return agentType.equals(AgentConfig.COMMAND)
          ? AgentConfig.command(command)
          : new AgentConfig(AgentConfig.CLAUDE, model, null, maxBudgetUsd, List.of(), List.of());
    }
  }
}
