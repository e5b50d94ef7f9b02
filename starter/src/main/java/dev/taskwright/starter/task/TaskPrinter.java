package dev.taskwright.starter.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskwright.workflows.model.TaskView;
import dev.taskwright.workflows.model.Usage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders tasks for people (an aligned table) and for programs (JSON). */
public final class TaskPrinter {
  private TaskPrinter() {}

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Short SHAs are what people read and paste into git; JSON keeps the full ones. */
  static final int SHORT_SHA = 10;

  public static void table(TaskReport report, PrintWriter out) {
    TaskView view = report.view();
    List<String[]> rows = new ArrayList<>();
    add(rows, "Task", view.id());
    add(rows, "State", view.state() + (view.reason() == null ? "" : " (" + view.reason() + ")"));
    add(rows, "Title", view.title());
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
    add(rows, "Usage", usage(view.usage()));
    if (!report.live()) {
      add(rows, "Workflow", report.workflowStatus());
    }
    if (view.question() != null) {
      add(rows, "Question", view.question().text());
      if (!view.question().options().isEmpty()) {
        add(rows, "Options", String.join(" | ", view.question().options()));
      }
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
