package dev.taskwright.starter.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskwright.starter.Terminal;
import dev.taskwright.workflows.TaskDetails;
import dev.taskwright.workflows.model.TaskLink;
import dev.taskwright.workflows.model.TaskView;
import dev.taskwright.workflows.model.Usage;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders tasks for people (an aligned table) and for programs (JSON). */
public final class TaskPrinter {
  private TaskPrinter() {}

  /** Temporal's own mapper (Java time as ISO-8601 text), indented. */
  private static final ObjectMapper JSON =
      JacksonJsonPayloadConverter.newDefaultObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT);

  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT);

  /** Short SHAs are what people read and paste into git; JSON keeps the full ones. */
  static final int SHORT_SHA = 10;

  /**
   * One line per linked task: its ID, its state (or "running" when not yet heard), and why it
   * failed.
   */
  private static String links(List<TaskLink> links) {
    if (links.isEmpty()) {
      return null;
    }
    List<String> lines = new ArrayList<>();
    for (TaskLink link : links) {
      if (link.state() == null) {
        // Not heard from yet: a dependency still being waited for, or a subtask at work.
        lines.add(
            link.taskId()
                + "  "
                + (link.detail() == null ? "running" : Terminal.line(link.detail())));
      } else {
        lines.add(
            link.taskId()
                + "  "
                + link.state()
                + (link.detail() == null ? "" : "  " + Terminal.line(link.detail())));
      }
    }
    return String.join("\n", lines);
  }

  public static void table(TaskReport report, PrintWriter out) {
    TaskView view = report.view();
    List<String[]> rows = new ArrayList<>();
    add(rows, "Task", view.id());
    add(rows, "State", view.state() + (view.reason() == null ? "" : " (" + view.reason() + ")"));
    // What a person is asked for comes first: it is why they are looking.
    if (view.question() != null) {
      add(rows, "Question", view.question().text());
      if (!view.question().options().isEmpty()) {
        add(
            rows,
            "Options",
            String.join(
                "\n",
                view.question().options().stream()
                    .map(option -> "- " + Terminal.line(option))
                    .toList()));
      }
    }
    if (!view.conflictFiles().isEmpty()) {
      add(
          rows,
          "Conflicts",
          String.join("\n", view.conflictFiles().stream().map(Terminal::line).toList()));
    }
    add(rows, "Resumes at", resumesAt(view.rateLimitResetAt()));
    add(rows, "To act", String.join("\n", commands(view).values()));
    add(rows, "Title", view.title());
    add(rows, "Parent", view.parentId());
    add(rows, "Depends on", links(view.dependencies()));
    add(rows, "Subtasks", links(view.children()));
    add(rows, "Repo", view.repo());
    add(
        rows,
        "Base",
        view.baseRef() == null
            ? null
            : view.baseRef()
                + (view.baseCommit() == null ? "" : " @ " + shortSha(view.baseCommit())));
    add(rows, "Agent", view.agentType());
    add(rows, "Branch", view.branch());
    add(rows, "Worktree", worktree(view.worktreePath()));
    add(rows, "Session", view.sessionId());
    if (report.live()) {
      add(rows, "Attempts", String.valueOf(view.attempts()));
    }
    if (!view.commits().isEmpty()) {
      add(
          rows,
          "Commits",
          String.join(" ", view.commits().stream().map(TaskPrinter::shortSha).toList()));
    }
    add(
        rows,
        "Merged as",
        view.mergeCommit() == null ? null : shortSha(view.mergeCommit()) + " on " + view.baseRef());
    add(rows, "Usage", usage(view.usage()));
    if (!report.live()) {
      add(rows, "Workflow", report.workflowStatus());
    }
    add(rows, "Last error", view.lastError());
    add(rows, "Summary", view.summary());
    if (view.warnings() != null && !view.warnings().isEmpty()) {
      add(
          rows,
          "Warnings",
          String.join("\n", view.warnings().stream().map(Terminal::line).toList()));
    }

    fields(rows, out);
    if (report.note() != null) {
      out.println();
      out.println("Note: " + Terminal.lines(report.note()));
    }
    out.flush();
  }

  public static void json(TaskReport report, PrintWriter out) {
    ObjectNode node = JSON.valueToTree(report.view());
    ObjectNode commands = node.putObject("commands");
    commands(report.view()).forEach(commands::put);
    node.put("live", report.live());
    node.put("workflowStatus", report.workflowStatus());
    if (report.note() != null) {
      node.put("note", report.note());
    }
    printJson(node, out);
  }

  /**
   * Prints labelled values as {@code status} does: labels in a column, values beside them, a
   * value's further lines indented under its first, so no value can pass for a label. Rows come
   * from {@link #field}; control characters in values are made visible ({@link Terminal#lines}).
   */
  public static void fields(List<String[]> rows, PrintWriter out) {
    int width = rows.stream().mapToInt(row -> row[0].length()).max().orElse(0);
    String indent = " ".repeat(width + 2);
    for (String[] row : rows) {
      String[] lines = Terminal.lines(row[1].strip()).split("\\R", -1);
      out.printf("%-" + width + "s  %s%n", row[0], lines[0]);
      for (int i = 1; i < lines.length; i++) {
        out.println((indent + lines[i]).stripTrailing());
      }
    }
  }

  /** Adds a row for {@link #fields}, unless {@code value} is null or blank. */
  public static void field(List<String[]> rows, String label, String value) {
    add(rows, label, value);
  }

  /**
   * {@code value} (a record, a list, ...) as a JSON tree, in the same mapping {@code status
   * --output json} uses.
   */
  public static JsonNode jsonTree(Object value) {
    return JSON.valueToTree(value);
  }

  /** An empty JSON object to fill. */
  public static ObjectNode jsonObject() {
    return JSON.createObjectNode();
  }

  /** An empty JSON array to fill. */
  public static ArrayNode jsonArray() {
    return JSON.createArrayNode();
  }

  /** Prints a JSON document, indented. */
  public static void printJson(JsonNode node, PrintWriter out) {
    print(JSON.writer(), node, out);
  }

  /** Prints a JSON document on one line, for output read a line at a time. */
  public static void printJsonLine(JsonNode node, PrintWriter out) {
    print(JSON.writer().without(SerializationFeature.INDENT_OUTPUT), node, out);
  }

  private static void print(ObjectWriter writer, JsonNode node, PrintWriter out) {
    try {
      out.println(writer.writeValueAsString(node));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
    out.flush();
  }

  /**
   * A point in time in this machine's time zone, as {@code status} shows it: {@code 2026-11-20
   * 10:00:05 UTC}.
   */
  public static String clock(Instant at) {
    return at == null ? null : CLOCK.format(at.atZone(ZoneId.systemDefault()));
  }

  /** Dollars to four decimals, as in {@link #usage}: {@code $0.0123}. */
  public static String money(double usd) {
    return String.format(Locale.ROOT, "$%.4f", usd);
  }

  /**
   * The exact command for each action that fits the task now, by action name, in the order to offer
   * them.
   */
  public static Map<String, String> commands(TaskView view) {
    Map<String, String> commands = new LinkedHashMap<>();
    for (String action : view.actions()) {
      commands.put(action, TaskDetails.command(view.id(), action));
    }
    return commands;
  }

  /** One line for a message: the commands that fit the task now, or that nothing does. */
  public static String whatFitsNow(TaskView view) {
    if (view.actions().isEmpty()) {
      return "nothing fits while it is "
          + view.state()
          + "; follow it with taskwright status "
          + view.id();
    }
    return "what fits now: "
        + String.join(
            ", ", commands(view).values().stream().map(command -> "`" + command + "`").toList());
  }

  /** When a rate-limited task resumes, in this machine's time zone. */
  static String resumesAt(Instant resetAt) {
    return resetAt == null ? null : clock(resetAt) + " (usage limit; the task resumes by itself)";
  }

  /**
   * The worktree path, marked when it is not on this machine's disk: a completed task's worktree is
   * removed (its branch stays), and a task may have run on another worker host.
   */
  static String worktree(String path) {
    if (path == null) {
      return null;
    }
    return Files.isDirectory(Path.of(path))
        ? path
        : path + " (not on this machine; removed after completion, or on another host)";
  }

  /**
   * Turns, tokens and cost in one line, or null when there were none. Cache writes are named only
   * when there were some (agents that do not report them, and older runs, have none).
   */
  public static String usage(Usage usage) {
    if (usage.turns() == 0
        && usage.totalTokens() == 0
        && usage.cacheCreationTokens() == 0
        && usage.costUsd() == 0) {
      return null;
    }
    String cacheWrites =
        usage.cacheCreationTokens() == 0
            ? ""
            : String.format(Locale.ROOT, ", %d cache write", usage.cacheCreationTokens());
    return String.format(
        Locale.ROOT,
        "%d tokens (%d in, %d out, %d cache read%s), %d turns, %s",
        usage.totalTokens(),
        usage.inputTokens(),
        usage.outputTokens(),
        usage.cacheReadTokens(),
        cacheWrites,
        usage.turns(),
        money(usage.costUsd()));
  }

  /** The first characters of a commit SHA, as people read and paste them. */
  public static String shortSha(String sha) {
    return sha.length() > SHORT_SHA ? sha.substring(0, SHORT_SHA) : sha;
  }

  private static void add(List<String[]> rows, String label, String value) {
    if (value != null && !value.isBlank()) {
      rows.add(new String[] {label, value});
    }
  }
}
