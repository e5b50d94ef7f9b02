package dev.taskwright.starter.ledger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskwright.ledger.read.StatsGrouping;
import dev.taskwright.ledger.read.StatsRow;
import dev.taskwright.ledger.read.TaskHistory;
import dev.taskwright.starter.task.Durations;
import dev.taskwright.starter.task.TaskPrinter;
import dev.taskwright.starter.task.TextTable;
import dev.taskwright.workflows.model.RunRecord;
import dev.taskwright.workflows.model.TaskReason;
import dev.taskwright.workflows.model.TaskRecord;
import dev.taskwright.workflows.model.TaskState;
import dev.taskwright.workflows.model.TransitionRecord;
import dev.taskwright.workflows.model.Usage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders what the ledger holds ({@code list}, {@code show}, {@code watch}, {@code stats}) as
 * tables for people and as JSON for programs, with {@link TaskPrinter}'s conventions: the same
 * labelled fields, the same JSON mapping (times as ISO-8601 text), usage and money written alike.
 */
public final class LedgerPrinter {
  private LedgerPrinter() {}

  /** Enough of a title to recognise the task; {@code show} has all of it. */
  static final int TITLE_WIDTH = 50;

  /** Enough of a question to see what is asked; {@code status} has all of it, with the options. */
  static final int QUESTION_WIDTH = 60;

  private static final DateTimeFormatter TABLE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
  private static final DateTimeFormatter FOOTER_TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

  // ---- list

  /** {@code list}: one task per row, in the order given (newest first). */
  public static void listTable(List<TaskRecord> tasks, Instant now, PrintWriter out) {
    TextTable table = new TextTable("ID", "STATE", ">AGE", ">COST", ">TOKENS", "REPO", "TITLE");
    for (TaskRecord task : tasks) {
      table.add(
          task.id(),
          state(task.state(), task.reason()),
          Durations.brief(Duration.between(task.createdAt(), now), 1),
          TaskPrinter.money(task.usage().costUsd()),
          tokens(task.usage().totalTokens()),
          repoName(task.repo()),
          TextTable.cell(task.title(), TITLE_WIDTH));
    }
    table.print(out);
    out.flush();
  }

  /**
   * {@code list --output json}: an array of tasks, each as {@code show --output json} has it
   * without runs and transitions.
   */
  public static void listJson(List<TaskRecord> tasks, PrintWriter out) {
    ArrayNode array = TaskPrinter.jsonArray();
    tasks.forEach(task -> array.add(task(task)));
    TaskPrinter.printJson(array, out);
  }

  // ---- show

  /**
   * {@code show}: the task's fields as {@code status} shows them, then its runs and its
   * transitions.
   */
  public static void historyTable(TaskHistory history, PrintWriter out) {
    TaskRecord task = history.task();
    List<String[]> rows = new ArrayList<>();
    TaskPrinter.field(rows, "Task", task.id());
    TaskPrinter.field(
        rows, "State", task.state() + (task.reason() == null ? "" : " (" + task.reason() + ")"));
    TaskPrinter.field(rows, "Question", task.question());
    TaskPrinter.field(rows, "Title", task.title());
    TaskPrinter.field(rows, "Parent", task.parentId());
    TaskPrinter.field(rows, "Plan", task.plan());
    TaskPrinter.field(rows, "Repo", task.repo());
    TaskPrinter.field(rows, "Base", task.baseRef());
    TaskPrinter.field(
        rows,
        "Agent",
        task.agent() == null
            ? null
            : task.agent() + (task.model() == null ? "" : " (" + task.model() + ")"));
    TaskPrinter.field(rows, "Branch", task.branch());
    if (!task.commits().isEmpty()) {
      TaskPrinter.field(
          rows,
          "Commits",
          String.join(" ", task.commits().stream().map(TaskPrinter::shortSha).toList()));
    }
    TaskPrinter.field(rows, "Usage", TaskPrinter.usage(task.usage()));
    TaskPrinter.field(rows, "Created", TaskPrinter.clock(task.createdAt()));
    TaskPrinter.field(rows, "Updated", TaskPrinter.clock(task.updatedAt()));
    TaskPrinter.field(
        rows,
        "Finished",
        task.finishedAt() == null
            ? null
            : TaskPrinter.clock(task.finishedAt())
                + " (after "
                + Durations.brief(Duration.between(task.createdAt(), task.finishedAt()), 2)
                + ")");
    TaskPrinter.field(rows, "Last error", task.error());
    TaskPrinter.field(rows, "Summary", task.summary());
    TaskPrinter.fields(rows, out);

    out.println();
    if (history.runs().isEmpty()) {
      out.println("Runs: none yet");
    } else {
      out.println("Runs:");
      runs(history.runs(), out);
    }
    out.println();
    out.println("Transitions:");
    TextTable transitions = new TextTable("TIME", ">FROM", "", "TO", "REASON");
    for (TransitionRecord transition : history.transitions()) {
      transitions.add(
          time(transition.at()),
          name(transition.from()),
          "→",
          name(transition.to()),
          name(transition.reason()));
    }
    transitions.lines().forEach(line -> out.println("  " + line));
    out.flush();
  }

  /** The runs table; a run's log and error follow its row, indented. */
  private static void runs(List<RunRecord> runs, PrintWriter out) {
    TextTable table =
        new TextTable(
            ">#",
            "KIND",
            "OUTCOME",
            "STARTED",
            ">DURATION",
            ">TURNS",
            ">TOKENS",
            ">COST",
            "SESSION");
    for (RunRecord run : runs) {
      table.add(
          String.valueOf(run.number()),
          run.kind().name(),
          run.outcome() == null ? "running" : run.outcome().name(),
          time(run.startedAt()),
          run.endedAt() == null
              ? ""
              : Durations.brief(Duration.between(run.startedAt(), run.endedAt()), 2),
          String.valueOf(run.usage().turns()),
          String.format(Locale.ROOT, "%,d", run.usage().totalTokens()),
          TaskPrinter.money(run.usage().costUsd()),
          run.sessionId());
    }
    List<String> lines = table.lines();
    out.println("  " + lines.get(0));
    for (int i = 0; i < runs.size(); i++) {
      out.println("  " + lines.get(i + 1));
      RunRecord run = runs.get(i);
      if (run.logPath() != null) {
        out.println("       log    " + run.logPath());
      }
      if (run.error() != null && !run.error().isBlank()) {
        out.println("       error  " + TextTable.cell(run.error(), 200));
      }
    }
  }

  /**
   * {@code show --output json}: the task, with {@code runs} and {@code transitions}, oldest first.
   */
  public static void historyJson(TaskHistory history, PrintWriter out) {
    ObjectNode node = task(history.task());
    ArrayNode runs = node.putArray("runs");
    for (RunRecord run : history.runs()) {
      ObjectNode json = runs.addObject();
      json.put("number", run.number());
      json.put("kind", name(run.kind()));
      json.put("outcome", name(run.outcome()));
      json.put("sessionId", run.sessionId());
      json.set("startedAt", TaskPrinter.jsonTree(run.startedAt()));
      json.set("endedAt", TaskPrinter.jsonTree(run.endedAt()));
      if (run.endedAt() == null) {
        json.putNull("durationSeconds");
      } else {
        json.put(
            "durationSeconds",
            Duration.between(run.startedAt(), run.endedAt()).toMillis() / 1000.0);
      }
      json.set("usage", usage(run.usage()));
      json.put("logPath", run.logPath());
      json.put("error", run.error());
    }
    ArrayNode transitions = node.putArray("transitions");
    for (TransitionRecord transition : history.transitions()) {
      ObjectNode json = transitions.addObject();
      json.set("at", TaskPrinter.jsonTree(transition.at()));
      json.put("from", name(transition.from()));
      json.put("to", name(transition.to()));
      json.put("reason", name(transition.reason()));
    }
    TaskPrinter.printJson(node, out);
  }

  // ---- watch

  /**
   * One frame of {@code watch}: the active tasks, oldest first, and a footer with how many tasks
   * are in each state ({@code counts}, over the whole ledger).
   */
  public static List<String> watchFrame(
      List<TaskRecord> active, Map<String, Long> counts, Instant now) {
    List<String> lines = new ArrayList<>();
    if (active.isEmpty()) {
      lines.add("No active tasks.");
    } else {
      TextTable table = new TextTable("ID", "STATE", ">ELAPSED", ">COST", "QUESTION");
      for (TaskRecord task : active) {
        table.add(
            task.id(),
            state(task.state(), task.reason()),
            Durations.brief(Duration.between(task.createdAt(), now), 2),
            TaskPrinter.money(task.usage().costUsd()),
            isQuestion(task) ? TextTable.cell(task.question(), QUESTION_WIDTH) : null);
      }
      lines.addAll(table.lines());
    }
    lines.add("");
    long activeCount = 0;
    List<String> activeCounts = new ArrayList<>();
    List<String> endedCounts = new ArrayList<>();
    for (TaskState state : TaskState.values()) {
      long count = counts.getOrDefault(state.name(), 0L);
      if (count == 0) {
        continue;
      }
      if (state.isTerminal()) {
        endedCounts.add(count + " " + state);
      } else {
        activeCount += count;
        activeCounts.add(count + " " + state);
      }
    }
    StringBuilder footer = new StringBuilder().append(activeCount).append(" active");
    if (!activeCounts.isEmpty()) {
      footer.append(": ").append(String.join(", ", activeCounts));
    }
    if (activeCount > active.size()) {
      footer.append(" (").append(active.size()).append(" shown)");
    }
    if (!endedCounts.isEmpty()) {
      footer.append(" · ended: ").append(String.join(", ", endedCounts));
    }
    footer.append(" · ").append(FOOTER_TIME.format(now.atZone(ZoneId.systemDefault())));
    lines.add(footer.toString());
    return lines;
  }

  /**
   * One frame of {@code watch --output json}: {@code at}, the active {@code tasks} and the {@code
   * counts} by state.
   */
  public static ObjectNode watchJson(
      List<TaskRecord> active, Map<String, Long> counts, Instant now) {
    ObjectNode frame = TaskPrinter.jsonObject();
    frame.set("at", TaskPrinter.jsonTree(now));
    ArrayNode tasks = frame.putArray("tasks");
    for (TaskRecord task : active) {
      ObjectNode json = tasks.addObject();
      json.put("id", task.id());
      json.put("state", name(task.state()));
      json.put("reason", name(task.reason()));
      json.put("title", task.title());
      json.put("question", task.question());
      json.set("createdAt", TaskPrinter.jsonTree(task.createdAt()));
      json.put("elapsedSeconds", Math.max(0, Duration.between(task.createdAt(), now).toSeconds()));
      json.put("costUsd", task.usage().costUsd());
      json.put("totalTokens", task.usage().totalTokens());
    }
    ObjectNode byState = frame.putObject("counts");
    for (TaskState state : TaskState.values()) {
      Long count = counts.get(state.name());
      if (count != null && count > 0) {
        byState.put(state.name(), count);
      }
    }
    return frame;
  }

  // ---- stats

  /** {@code stats}: one row per group, then the total. */
  public static void statsTable(StatsGrouping grouping, List<StatsRow> groups, PrintWriter out) {
    TextTable table = new TextTable(grouping.name(), ">TASKS", ">RUNS", ">TOKENS", ">COST");
    for (StatsRow group : groups) {
      statsRow(table, group);
    }
    statsRow(table, total(groups));
    table.print(out);
    out.flush();
  }

  private static void statsRow(TextTable table, StatsRow row) {
    table.add(
        row.key(),
        String.valueOf(row.tasks()),
        String.valueOf(row.runs()),
        String.format(Locale.ROOT, "%,d", row.usage().totalTokens()),
        TaskPrinter.money(row.usage().costUsd()));
  }

  /**
   * {@code stats --output json}: what was added up and how, the {@code groups} and their {@code
   * total}.
   */
  public static void statsJson(
      StatsGrouping grouping, Instant since, ZoneId zone, List<StatsRow> groups, PrintWriter out) {
    ObjectNode node = TaskPrinter.jsonObject();
    node.put("by", grouping.name().toLowerCase(Locale.ROOT));
    node.set("since", TaskPrinter.jsonTree(since));
    node.put("timeZone", zone.getId());
    ArrayNode array = node.putArray("groups");
    groups.forEach(group -> array.add(stats(group)));
    node.set("total", stats(total(groups)));
    TaskPrinter.printJson(node, out);
  }

  /** All groups added up, keyed {@code TOTAL}. */
  static StatsRow total(List<StatsRow> groups) {
    return StatsRow.total("TOTAL", groups);
  }

  private static ObjectNode stats(StatsRow row) {
    ObjectNode json = TaskPrinter.jsonObject();
    json.put("key", row.key());
    json.put("tasks", row.tasks());
    json.put("runs", row.runs());
    json.put("inputTokens", row.usage().inputTokens());
    json.put("outputTokens", row.usage().outputTokens());
    json.put("cacheReadTokens", row.usage().cacheReadTokens());
    json.put("cacheCreationTokens", row.usage().cacheCreationTokens());
    json.put("totalTokens", row.usage().totalTokens());
    json.put("costUsd", row.usage().costUsd());
    return json;
  }

  // ---- shared

  /**
   * A task as JSON, its fields in the order {@code show} prints them, usage as {@code status
   * --output json} has it.
   */
  static ObjectNode task(TaskRecord task) {
    ObjectNode json = TaskPrinter.jsonObject();
    json.put("id", task.id());
    json.put("state", name(task.state()));
    json.put("reason", name(task.reason()));
    json.put("question", task.question());
    json.put("title", task.title());
    json.put("parentId", task.parentId());
    json.put("plan", task.plan());
    json.put("repo", task.repo());
    json.put("baseRef", task.baseRef());
    json.put("agent", task.agent());
    json.put("model", task.model());
    json.put("branch", task.branch());
    json.set("commits", TaskPrinter.jsonTree(task.commits()));
    json.set("usage", usage(task.usage()));
    json.set("createdAt", TaskPrinter.jsonTree(task.createdAt()));
    json.set("updatedAt", TaskPrinter.jsonTree(task.updatedAt()));
    json.set("finishedAt", TaskPrinter.jsonTree(task.finishedAt()));
    json.put("error", task.error());
    json.put("summary", task.summary());
    return json;
  }

  private static ObjectNode usage(Usage usage) {
    ObjectNode json = (ObjectNode) TaskPrinter.jsonTree(usage);
    json.put("totalTokens", usage.totalTokens());
    return json;
  }

  /** The state with its reason, as one table cell: {@code BLOCKED/QUESTION}. */
  static String state(TaskState state, TaskReason reason) {
    return reason == null ? state.name() : state + "/" + reason;
  }

  static boolean isQuestion(TaskRecord task) {
    return task.state() == TaskState.BLOCKED
        && task.reason() == TaskReason.QUESTION
        && task.question() != null;
  }

  /**
   * An enum constant's name, or null: how JSON and tables write states, reasons, kinds and
   * outcomes.
   */
  private static String name(Enum<?> value) {
    return value == null ? null : value.name();
  }

  /** A token count in a narrow column: {@code 850}, {@code 12.3k}, {@code 4.1M}. */
  static String tokens(long count) {
    if (count < 1_000) {
      return String.valueOf(count);
    }
    if (count < 999_950) {
      return String.format(Locale.ROOT, "%.1fk", count / 1_000.0);
    }
    return String.format(Locale.ROOT, "%.1fM", count / 1_000_000.0);
  }

  /** The repository's folder name: what tells repositories apart in a list. */
  static String repoName(String repo) {
    if (repo == null) {
      return "";
    }
    Path name = Path.of(repo).getFileName();
    return name == null ? repo : name.toString();
  }

  private static String time(Instant at) {
    return at == null ? "" : TABLE_TIME.format(at.atZone(ZoneId.systemDefault()));
  }
}
