package dev.taskwright.starter.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
      JacksonJsonPayloadConverter.newDefaultObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT);

  /** Short SHAs are what people read and paste into git; JSON keeps the full ones. */
  static final int SHORT_SHA = 10;

  /** One line per linked task: its ID, its state (or "running" when not yet heard), and why it failed. */
  private static String links(List<TaskLink> links) {
    if (links.isEmpty()) {
      return null;
    }
    List<String> lines = new ArrayList<>();
    for (TaskLink link : links) {
      if (link.state() == null) {
        // Not heard from yet: a dependency still being waited for, or a subtask at work.
        lines.add(link.taskId() + "  " + (link.detail() == null ? "running" : link.detail()));
      } else {
        lines.add(link.taskId() + "  " + link.state() + (link.detail() == null ? "" : "  " + link.detail()));
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
        add(rows, "Options", String.join("\n", view.question().options().stream().map(option -> "- " + option).toList()));
      }
    }
    if (!view.conflictFiles().isEmpty()) {
      add(rows, "Conflicts", String.join("\n", view.conflictFiles()));
    }
    add(rows, "Resumes at", resumesAt(view.rateLimitResetAt()));
    add(rows, "To act", String.join("\n", commands(view).values()));
    add(rows, "Title", view.title());
    add(rows, "Parent", view.parentId());
    add(rows, "Depends on", links(view.dependencies()));
    add(rows, "Subtasks", links(view.children()));
    add(rows, "Repo", view.repo());
    add(rows, "Base", view.baseRef() == null ? null : view.baseRef() + (view.baseCommit() == null ? "" : " @ " + shortSha(view.baseCommit())));
    add(rows, "Agent", view.agentType());
    add(rows, "Branch", view.branch());
    add(rows, "Worktree", worktree(view.worktreePath()));
    add(rows, "Session", view.sessionId());
    if (report.live()) {
      add(rows, "Attempts", String.valueOf(view.attempts()));
    }
    if (!view.commits().isEmpty()) {
      add(rows, "Commits", String.join(" ", view.commits().stream().map(TaskPrinter::shortSha).toList()));
    }
    add(rows, "Merged as", view.mergeCommit() == null ? null : shortSha(view.mergeCommit()) + " on " + view.baseRef());
    add(rows, "Usage", usage(view.usage()));
    if (!report.live()) {
      add(rows, "Workflow", report.workflowStatus());
    }
    add(rows, "Last error", view.lastError());
    add(rows, "Summary", view.summary());

    int width = rows.stream().mapToInt(row -> row[0].length()).max().orElse(0);
    String indent = " ".repeat(width + 2);
    for (String[] row : rows) {
      String[] lines = row[1].strip().split("\\R", -1);
      out.printf("%-" + width + "s  %s%n", row[0], lines[0]);
      for (int i = 1; i < lines.length; i++) {
        out.println((indent + lines[i]).stripTrailing());
      }
    }
    if (report.note() != null) {
      out.println();
      out.println("Note: " + report.note());
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
    try {
      out.println(JSON.writeValueAsString(node));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write a task view as JSON", e);
    }
    out.flush();
  }

  /** The exact command for each action that fits the task now, by action name, in the order to offer them. */
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
      return "nothing fits while it is " + view.state() + "; follow it with taskwright status " + view.id();
    }
    return "what fits now: " + String.join(", ", commands(view).values().stream().map(command -> "`" + command + "`").toList());
  }

  /** When a rate-limited task resumes, in this machine's time zone. */
  static String resumesAt(Instant resetAt) {
    return resetAt == null ? null : CLOCK.format(resetAt.atZone(ZoneId.systemDefault())) + " (usage limit; the task resumes by itself)";
  }

  /**
   * The worktree path, marked when it is not on this machine's disk: a completed task's worktree
   * is removed (its branch stays), and a task may have run on another worker host.
   */
  static String worktree(String path) {
    if (path == null) {
      return null;
    }
    return Files.isDirectory(Path.of(path)) ? path : path + " (not on this machine; removed after completion, or on another host)";
  }

  static String usage(Usage usage) {
    if (usage.turns() == 0 && usage.totalTokens() == 0 && usage.costUsd() == 0) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "%d tokens (%d in, %d out, %d cache read), %d turns, $%.4f",
        usage.totalTokens(),
        usage.inputTokens(),
        usage.outputTokens(),
        usage.cacheReadTokens(),
        usage.turns(),
        usage.costUsd());
  }

  static String shortSha(String sha) {
    return sha.length() > SHORT_SHA ? sha.substring(0, SHORT_SHA) : sha;
  }

  private static void add(List<String[]> rows, String label, String value) {
    if (value != null && !value.isBlank()) {
      rows.add(new String[] {label, value});
    }
  }
}
