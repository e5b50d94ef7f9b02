package dev.taskwright.starter.plan;

import dev.taskwright.starter.StorableText;
import dev.taskwright.starter.task.CommandWords;
import dev.taskwright.starter.task.Durations;
import dev.taskwright.starter.task.TaskOptions;
import dev.taskwright.starter.task.TaskPlanner;
import dev.taskwright.workflows.model.AgentConfig;
import dev.taskwright.workflows.model.TaskSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a task file's YAML tree into {@link TaskEntry}s, checking its shape: known keys only, each
 * of the right type, required keys present. Every problem goes to {@link Problems}; a value that is
 * wrong is left out, so the checks after this one see only what could be read.
 */
final class TaskFileReader {

  static final String PLAN = "plan";
  static final String TASKS = "tasks";
  static final String ID = "id";
  static final String TITLE = "title";
  static final String PROMPT = "prompt";
  static final String DEPENDS_ON = "dependsOn";
  static final String SUBTASKS = "subtasks";
  static final String REPO = "repo";
  static final String BASE = "base";
  static final String AGENT = "agent";
  static final String MODEL = "model";
  static final String COMMAND = "command";
  static final String AUTO_ACCEPT = "autoAccept";
  static final String REVIEW = "review";
  static final String COMPLETE_WITHOUT_MERGE = "completeWithoutMerge";
  static final String TIMEOUT = "timeout";
  static final String IDLE_TIMEOUT = "idleTimeout";
  static final String MAX_ATTEMPTS = "maxAttempts";
  static final String MAX_BUDGET_USD = "maxBudgetUsd";

  /** The file's own keys: the plan's name, the defaults every task starts from, and the tasks. */
  static final Set<String> FILE_KEYS =
      orderedSet(
          PLAN,
          REPO,
          BASE,
          AGENT,
          MODEL,
          COMMAND,
          AUTO_ACCEPT,
          COMPLETE_WITHOUT_MERGE,
          TIMEOUT,
          IDLE_TIMEOUT,
          MAX_ATTEMPTS,
          MAX_BUDGET_USD,
          TASKS);

  /** A task's keys: what it is, what it waits for, its subtasks, and overrides of the defaults. */
  static final Set<String> TASK_KEYS =
      orderedSet(
          ID,
          TITLE,
          PROMPT,
          DEPENDS_ON,
          SUBTASKS,
          REPO,
          BASE,
          AGENT,
          MODEL,
          COMMAND,
          AUTO_ACCEPT,
          REVIEW,
          COMPLETE_WITHOUT_MERGE,
          TIMEOUT,
          IDLE_TIMEOUT,
          MAX_ATTEMPTS,
          MAX_BUDGET_USD);

  private final Problems problems;

  TaskFileReader(Problems problems) {
    this.problems = problems;
  }

  /** The file's contents, or null when its root is not a mapping (reported). */
  TaskFileDraft read(YamlNode root) {
    String where = Problems.TOP_LEVEL;
    if (root == null) {
      problems.add(
          null,
          where,
          "the file is empty; write a mapping with a 'tasks:' list (see docs/task-files.md)");
      return null;
    }
    if (!root.is(YamlNode.Kind.MAPPING)) {
      problems.add(
          root,
          where,
          "the file holds "
              + root.describe()
              + "; it must be a mapping with a 'tasks:' list (see docs/task-files.md)");
      return null;
    }
    Map<String, YamlNode.Entry> keys = keys(root, FILE_KEYS, where);
    Setting<String> plan = text(keys.get(PLAN), where);
    Overrides defaults = overrides(keys, where);
    List<TaskEntry> tasks = tasks(keys.get(TASKS), root, where, "");
    return new TaskFileDraft(plan, defaults, tasks);
  }

  /** The tasks of one list: the file's {@code tasks} or a task's {@code subtasks}. */
  private List<TaskEntry> tasks(
      YamlNode.Entry entry, YamlNode owner, String where, String pathPrefix) {
    boolean subtasks = !pathPrefix.isEmpty();
    String key = subtasks ? SUBTASKS : TASKS;
    if (entry == null || entry.value().is(YamlNode.Kind.NULL)) {
      if (!subtasks) {
        problems.add(
            entry == null ? owner : entry.value(),
            where,
            "there are no tasks; add a 'tasks:' list with at least one task (id and prompt)");
      }
      return List.of();
    }
    YamlNode list = entry.value();
    if (!list.is(YamlNode.Kind.LIST)) {
      problems.add(
          list, where, key + " must be a list of tasks ('- id: ...'), not " + list.describe());
      return List.of();
    }
    if (list.items().isEmpty()) {
      problems.add(
          list,
          where,
          key
              + " is empty; "
              + (subtasks
                  ? "remove 'subtasks:' or add a subtask"
                  : "add at least one task (id and prompt)"));
    }
    List<TaskEntry> tasks = new ArrayList<>();
    for (int i = 0; i < list.items().size(); i++) {
      TaskEntry task = task(list.items().get(i), pathPrefix + key + "[" + i + "]", subtasks);
      if (task != null) {
        tasks.add(task);
      }
    }
    return tasks;
  }

  private TaskEntry task(YamlNode node, String path, boolean subtask) {
    if (!node.is(YamlNode.Kind.MAPPING)) {
      problems.add(
          node,
          path,
          "a task must be a mapping with at least 'id' and 'prompt', not " + node.describe());
      return null;
    }
    // The task's ID is part of every later message about it, so read it first.
    YamlNode.Entry idEntry = first(node, ID);
    String shownId =
        idEntry != null && idEntry.value().text() != null ? idEntry.value().text() : null;
    String where = shownId == null ? path : path + " (" + shownId + ")";
    Map<String, YamlNode.Entry> keys = keys(node, TASK_KEYS, where);

    Setting<String> id = text(keys.get(ID), where);
    if (id == null || id.value().isBlank()) {
      problems.add(
          idEntry == null ? node : idEntry.value(),
          where,
          "the task has no id; add 'id: <name>' (lower-case letters, digits, dashes), used by"
              + " dependsOn and as the task ID");
      id = null;
    }
    Setting<String> title = text(keys.get(TITLE), where);
    Setting<String> prompt = text(keys.get(PROMPT), where);
    YamlNode.Entry promptEntry = keys.get(PROMPT);
    boolean promptOfWrongType = prompt == null && !absent(promptEntry);
    if ((prompt == null || prompt.value().isBlank()) && !promptOfWrongType) {
      YamlNode at = promptEntry == null ? node : promptEntry.value();
      problems.add(
          at,
          where,
          (promptEntry == null ? "the task has no prompt" : "the prompt is empty")
              + "; add 'prompt: <what the agent should do>'");
    }
    if (prompt != null && prompt.value().isBlank()) {
      prompt = null;
    }
    if (prompt != null && prompt.value().strip().length() > TaskSpec.MAX_PROMPT_LENGTH) {
      problems.add(
          prompt.node(), where, TaskPlanner.tooLongPrompt(prompt.value().strip().length()));
    }
    Overrides overrides = overrides(keys, where);
    if (subtask) {
      for (String inherited : List.of(REPO, BASE)) {
        if (keys.containsKey(inherited)) {
          problems.add(
              keys.get(inherited).key(),
              where,
              "a subtask works in its parent's repository, branched from its parent's branch;"
                  + " remove '"
                  + inherited
                  + "' here (set it on the top-level task)");
        }
      }
    }
    if (overrides.autoAccept() != null && overrides.review() != null) {
      problems.add(
          keys.get(REVIEW).key(),
          where,
          "give either 'review' or 'autoAccept' (its opposite), not both");
    }
    if (overrides.completeWithoutMerge() != null
        && overrides.completeWithoutMerge().value()
        && overrides.review() != null
        && overrides.review().value()) {
      problems.add(
          keys.get(COMPLETE_WITHOUT_MERGE).key(),
          where,
          "completeWithoutMerge skips the review; give either it or 'review: true', not both");
    }
    List<Setting<String>> dependsOn =
        textList(keys.get(DEPENDS_ON), where, "dependsOn: [schema, api]");
    String prefix = path + (shownId == null ? "" : " (" + shownId + ")") + " > ";
    List<TaskEntry> subtasks = tasks(keys.get(SUBTASKS), node, where, prefix);
    return new TaskEntry(where, node, id, title, prompt, overrides, dependsOn, subtasks, subtask);
  }

  private Overrides overrides(Map<String, YamlNode.Entry> keys, String where) {
    return new Overrides(
        text(keys.get(REPO), where),
        text(keys.get(BASE), where),
        agent(keys.get(AGENT), where),
        text(keys.get(MODEL), where),
        command(keys.get(COMMAND), where),
        bool(keys.get(AUTO_ACCEPT), where),
        bool(keys.get(REVIEW), where),
        bool(keys.get(COMPLETE_WITHOUT_MERGE), where),
        duration(keys.get(TIMEOUT), where),
        duration(keys.get(IDLE_TIMEOUT), where),
        attempts(keys.get(MAX_ATTEMPTS), where),
        budget(keys.get(MAX_BUDGET_USD), where));
  }

  /**
   * The mapping's entries with a known name, first occurrence only; reports unknown and repeated
   * keys. A key a subtask may not use ({@code repo}, {@code base}) is known here and refused by the
   * caller.
   */
  private Map<String, YamlNode.Entry> keys(YamlNode mapping, Set<String> known, String where) {
    Map<String, YamlNode.Entry> keys = new LinkedHashMap<>();
    for (YamlNode.Entry entry : mapping.entries()) {
      if (!known.contains(entry.name())) {
        problems.add(
            entry.key(),
            where,
            "unknown key '" + entry.name() + "'; " + KeySuggestion.hint(entry.name(), known));
      } else if (keys.containsKey(entry.name())) {
        problems.add(
            entry.key(),
            where,
            "'"
                + entry.name()
                + "' is given twice (first on line "
                + keys.get(entry.name()).key().line()
                + "); keep one");
      } else {
        keys.put(entry.name(), entry);
      }
    }
    return keys;
  }

  private static YamlNode.Entry first(YamlNode mapping, String name) {
    return mapping.entries().stream()
        .filter(entry -> entry.name().equals(name))
        .findFirst()
        .orElse(null);
  }

  /**
   * Text, or a number written where text is expected (an ID like {@code 2}, a base like {@code
   * 1.0}); null when absent or wrong (reported).
   */
  private Setting<String> text(YamlNode.Entry entry, String where) {
    if (absent(entry)) {
      return null;
    }
    YamlNode value = entry.value();
    if (!value.is(YamlNode.Kind.TEXT) && !value.is(YamlNode.Kind.NUMBER)) {
      problems.add(
          value,
          where,
          entry.name() + " must be text, not " + value.describe() + typeHint(entry.name(), value));
      return null;
    }
    if (!storable(entry.name(), value, where)) {
      return null;
    }
    return new Setting<>(value.text(), value, where);
  }

  private Setting<String> agent(YamlNode.Entry entry, String where) {
    Setting<String> agent = text(entry, where);
    if (agent == null) {
      return null;
    }
    if (!agent.value().equals(AgentConfig.CLAUDE) && !agent.value().equals(AgentConfig.COMMAND)) {
      problems.add(
          agent.node(), where, "unknown agent '" + agent.value() + "'; use claude or command");
      return null;
    }
    return agent;
  }

  /** A command as one string split like a shell would, or as a list of words. */
  private Setting<List<String>> command(YamlNode.Entry entry, String where) {
    if (absent(entry)) {
      return null;
    }
    YamlNode value = entry.value();
    List<String> words;
    if (value.is(YamlNode.Kind.TEXT) && !storable(entry.name(), value, where)) {
      return null;
    }
    if (value.is(YamlNode.Kind.TEXT)) {
      try {
        words = CommandWords.split(value.text());
      } catch (IllegalArgumentException e) {
        problems.add(value, where, "command '" + value.text() + "': " + e.getMessage());
        return null;
      }
    } else if (value.is(YamlNode.Kind.LIST)
        && value.items().stream()
            .allMatch(item -> item.is(YamlNode.Kind.TEXT) || item.is(YamlNode.Kind.NUMBER))) {
      if (!value.items().stream().allMatch(item -> storable(entry.name(), item, where))) {
        return null;
      }
      words = value.items().stream().map(YamlNode::text).toList();
    } else {
      problems.add(
          value,
          where,
          "command must be text like './fix.sh --all' or a list of words, not " + value.describe());
      return null;
    }
    if (words.isEmpty() || words.get(0).isBlank()) {
      problems.add(
          value,
          where,
          "command is empty; give the program to run, e.g. command: './fix.sh --all'");
      return null;
    }
    return new Setting<>(words, value, where);
  }

  private Setting<Boolean> bool(YamlNode.Entry entry, String where) {
    if (absent(entry)) {
      return null;
    }
    YamlNode value = entry.value();
    if (!value.is(YamlNode.Kind.BOOLEAN)) {
      problems.add(value, where, entry.name() + " must be true or false, not " + value.describe());
      return null;
    }
    return new Setting<>(Boolean.parseBoolean(value.text().toLowerCase(Locale.ROOT)), value, where);
  }

  private Setting<Duration> duration(YamlNode.Entry entry, String where) {
    if (absent(entry)) {
      return null;
    }
    YamlNode value = entry.value();
    if (value.is(YamlNode.Kind.NUMBER)) {
      problems.add(
          value,
          where,
          entry.name() + " " + value.text() + " has no unit; write it like 90s, 15m, 2h or 1h30m");
      return null;
    }
    if (!value.is(YamlNode.Kind.TEXT)) {
      problems.add(
          value,
          where,
          entry.name() + " must be a duration like 30m or 2h, not " + value.describe());
      return null;
    }
    try {
      return new Setting<>(Durations.parse(value.text()), value, where);
    } catch (TypeConversionException e) {
      problems.add(value, where, entry.name() + ": " + e.getMessage());
      return null;
    }
  }

  private Setting<Double> budget(YamlNode.Entry entry, String where) {
    if (absent(entry)) {
      return null;
    }
    YamlNode value = entry.value();
    Double dollars = null;
    if (value.is(YamlNode.Kind.NUMBER)) {
      try {
        dollars = Double.valueOf(value.text());
      } catch (NumberFormatException notANumber) {
        // Reported below.
      }
    }
    String problem =
        dollars == null
            ? entry.name() + " must be dollars such as 2.50, not " + value.describe()
            : TaskOptions.budgetProblem(entry.name(), dollars);
    if (problem != null) {
      problems.add(value, where, problem);
      return null;
    }
    return new Setting<>(dollars, value, where);
  }

  private Setting<Integer> attempts(YamlNode.Entry entry, String where) {
    if (absent(entry)) {
      return null;
    }
    YamlNode value = entry.value();
    Integer number = null;
    if (value.is(YamlNode.Kind.NUMBER)) {
      try {
        number = Integer.valueOf(value.text());
      } catch (NumberFormatException notWhole) {
        // Reported below with every other value that is not a whole number.
      }
    }
    if (number == null) {
      problems.add(
          value,
          where,
          entry.name() + " must be a whole number such as 2, not " + value.describe());
      return null;
    }
    if (number < 1) {
      problems.add(value, where, entry.name() + " must be 1 or more, not " + number);
      return null;
    }
    return new Setting<>(number, value, where);
  }

  private List<Setting<String>> textList(YamlNode.Entry entry, String where, String example) {
    if (absent(entry)) {
      return List.of();
    }
    YamlNode value = entry.value();
    if (!value.is(YamlNode.Kind.LIST)) {
      String hint =
          value.is(YamlNode.Kind.TEXT)
              ? "; write it as a list: " + entry.name() + ": [" + value.text() + "]"
              : "; write it like " + example;
      problems.add(
          value,
          where,
          entry.name() + " must be a list of task ids, not " + value.describe() + hint);
      return List.of();
    }
    List<Setting<String>> items = new ArrayList<>();
    for (YamlNode item : value.items()) {
      if (item.is(YamlNode.Kind.TEXT) || item.is(YamlNode.Kind.NUMBER)) {
        if (storable(entry.name(), item, where)) {
          items.add(new Setting<>(item.text(), item, where));
        }
      } else {
        problems.add(
            item,
            where,
            entry.name()
                + " lists task ids, and "
                + item.describe()
                + " is not one; write it like "
                + example);
      }
    }
    return items;
  }

  /**
   * False, reported at the value's line and column, when its text holds what git or PostgreSQL
   * cannot store (a NUL, a lone surrogate): the task would run and then fail every commit and
   * ledger write.
   */
  private boolean storable(String key, YamlNode value, String where) {
    String refusal = StorableText.refusal(key, value.text());
    if (refusal != null) {
      problems.add(value, where, refusal + " (a \\0 or \\uD800-style escape in quotes writes one)");
      return false;
    }
    return true;
  }

  /** A key left out or given no value ({@code key:} or {@code key: null}) means "not given". */
  private static boolean absent(YamlNode.Entry entry) {
    return entry == null || entry.value().is(YamlNode.Kind.NULL);
  }

  private static String typeHint(String key, YamlNode value) {
    if ((key.equals(PROMPT) || key.equals(TITLE)) && value.is(YamlNode.Kind.MAPPING)) {
      return " (a ': ' inside unquoted text starts a mapping; quote the text or use 'prompt: |'"
          + " with the text on the next lines)";
    }
    return "";
  }

  private static Set<String> orderedSet(String... names) {
    return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(names)));
  }

  /** One value read from the file, with where it was written. */
  record Setting<T>(T value, YamlNode node, String where) {}

  /**
   * The settings a level (the file's defaults or one task) gives; null for each it does not give.
   */
  record Overrides(
      Setting<String> repo,
      Setting<String> base,
      Setting<String> agent,
      Setting<String> model,
      Setting<List<String>> command,
      Setting<Boolean> autoAccept,
      Setting<Boolean> review,
      Setting<Boolean> completeWithoutMerge,
      Setting<Duration> timeout,
      Setting<Duration> idleTimeout,
      Setting<Integer> maxAttempts,
      Setting<Double> maxBudgetUsd) {}

  /**
   * One task as written.
   *
   * @param where the task's path for messages: {@code tasks[1] (api) > subtasks[0] (handlers)}
   * @param node the task's mapping
   * @param id its short ID, or null when missing (reported)
   * @param subtask true for an entry of a {@code subtasks} list
   */
  record TaskEntry(
      String where,
      YamlNode node,
      Setting<String> id,
      Setting<String> title,
      Setting<String> prompt,
      Overrides overrides,
      List<Setting<String>> dependsOn,
      List<TaskEntry> subtasks,
      boolean subtask) {}

  /** The whole file as written. */
  record TaskFileDraft(Setting<String> plan, Overrides defaults, List<TaskEntry> tasks) {}
}
