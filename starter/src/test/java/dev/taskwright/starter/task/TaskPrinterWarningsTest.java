package dev.taskwright.starter.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.workflows.model.TaskState;
import dev.taskwright.workflows.model.TaskView;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code status} prints a task's warnings (a link out of the worktree, ...) in a row of their own,
 * made safe for the terminal.
 */
class TaskPrinterWarningsTest {

  private static TaskView view(List<String> warnings) {
    return new TaskView(
        "links",
        "Add links",
        TaskState.READY,
        null,
        "/repos/app",
        "main",
        "command",
        null,
        1,
        null,
        null,
        "taskwright/links",
        null,
        List.of(),
        "Added links",
        null,
        null,
        null,
        null,
        List.of(),
        List.of("accept", "reject"),
        null,
        List.of(),
        List.of(),
        warnings);
  }

  private static String table(TaskView view) {
    StringWriter text = new StringWriter();
    TaskPrinter.table(new TaskReport(view, true, "RUNNING", null), new PrintWriter(text));
    return text.toString();
  }

  @Test
  void warningsGetARowEachLineIndentedAndSafe() {
    String printed =
        table(
            view(
                List.of(
                    "passwd is a link to /etc/passwd, outside the worktree",
                    "evil\u001b[2J\nState  COMPLETED")));

    assertThat(printed)
        .containsPattern("(?m)^Warnings +passwd is a link to /etc/passwd, outside the worktree$")
        .containsPattern("(?m)^ +evil\\\\e\\[2J\\\\nState  COMPLETED$")
        .doesNotContain("\u001b");
  }

  @Test
  void noWarningsNoRow() {
    assertThat(table(view(List.of()))).doesNotContain("Warnings");
  }

  @Test
  void jsonKeepsWarningsRaw() {
    StringWriter json = new StringWriter();
    TaskPrinter.json(
        new TaskReport(view(List.of("evil\u001b[2J")), true, "RUNNING", null),
        new PrintWriter(json));
    assertThat(json.toString()).contains("\"warnings\"", "evil\\u001B[2J");
  }
}
