package dev.taskwright.starter.commands;

import static dev.taskwright.workflows.model.TaskReason.QUESTION;
import static dev.taskwright.workflows.model.TaskState.BLOCKED;
import static dev.taskwright.workflows.model.TaskState.PREPARING;
import static dev.taskwright.workflows.model.TaskState.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.LedgerSeed;
import dev.taskwright.starter.support.TaskSandbox;
import dev.taskwright.workflows.model.AgentStatus;
import dev.taskwright.workflows.model.RunKind;
import dev.taskwright.workflows.model.Usage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text from an agent or a person that holds terminal controls (clear screen, bell, carriage return,
 * a bidi override) and a fake line reaches the user's terminal visible and inert in {@code status},
 * {@code list}, {@code show}, {@code watch} and {@code logs}; JSON keeps it raw.
 */
class HostileTextTest {

  /**
   * Clears the screen, rings the bell, returns to the line's start, reverses the text, and fakes a
   * State line.
   */
  static final String HOSTILE =
      "Pick one\u001b[2J\u0007\roverwritten \u202eevil\nState       COMPLETED";

  @RegisterExtension static final TaskSandbox sandbox = TaskSandbox.withWorker();

  @TempDir static Path home;

  private static LedgerSeed seed;

  @BeforeAll
  static void fill() throws Exception {
    seed = LedgerSeed.fresh();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    seed.task("hostile", now.minus(Duration.ofMinutes(5)))
        .title(HOSTILE)
        .question(HOSTILE)
        .summary(HOSTILE)
        .error(HOSTILE)
        .to(PREPARING, null, Duration.ofSeconds(1))
        .to(RUNNING, null, Duration.ofSeconds(1))
        .run(
            RunKind.FIRST,
            AgentStatus.QUESTION,
            Duration.ZERO,
            Duration.ofMinutes(1),
            new Usage(1, 10, 10, 0, 0, 0.001),
            HOSTILE)
        .to(BLOCKED, QUESTION, Duration.ZERO)
        .write();
  }

  @AfterAll
  static void close() {
    seed.close();
  }

  /**
   * Nothing in {@code printed} acts on a terminal, the controls are shown, and no fake State line
   * starts a line.
   */
  private static void assertSafe(CliRun.Result result) {
    assertThat(result.exitCode()).as(result.toString()).isZero();
    String printed = result.out() + result.err();
    assertThat(printed).as(result.toString()).doesNotContain("\u001b", "\u0007", "\r", "\u202e");
    // A table cell is one line: there the carriage return is whitespace, shown as a space.
    assertThat(printed).containsPattern("\\\\e\\[2J\\\\x07(\\\\r| )overwritten \\\\u202eevil");
    assertThat(printed).doesNotContainPattern("(?m)^State +COMPLETED");
  }

  @Test
  void listShowsTheTitleVisible() {
    assertSafe(seed.cli().run("list"));
  }

  @Test
  void showShowsQuestionSummaryAndErrorsVisible() {
    CliRun.Result show = seed.cli().run("show", "hostile");
    assertSafe(show);
    assertThat(show.out()).containsPattern("(?m)^Question +Pick one\\\\e\\[2J");
  }

  @Test
  void watchShowsTheQuestionVisible() {
    assertSafe(seed.cli().run("watch", "--once"));
  }

  @Test
  void jsonKeepsTheRawText() throws Exception {
    CliRun.Result list = seed.cli().run("list", "--output", "json");
    assertThat(new ObjectMapper().readTree(list.out()).get(0).get("title").asText())
        .isEqualTo(HOSTILE);
    CliRun.Result show = seed.cli().run("show", "hostile", "--output", "json");
    assertThat(new ObjectMapper().readTree(show.out()).get("question").asText()).isEqualTo(HOSTILE);
  }

  @Test
  void logsShowTheAgentsTextVisibleAndJsonRaw() throws Exception {
    Path logs = Files.createDirectories(home.resolve("logs").resolve("t-1"));
    String assistant =
        new ObjectMapper()
            .createObjectNode()
            .put("type", "assistant")
            .set(
                "message",
                new ObjectMapper()
                    .readTree(
                        "{\"content\":[{\"type\":\"text\",\"text\":"
                            + new ObjectMapper().writeValueAsString(HOSTILE)
                            + "}]}"))
            .toString();
    Files.writeString(logs.resolve("run-1.jsonl"), assistant + "\n");
    Files.writeString(logs.resolve("run-2.log"), "plain\u001b[2J\u0007\roverwritten \u202eevil\n");

    CliRun.Result text = CliRun.with().home(home).run("logs", "t-1");
    assertSafe(text);

    CliRun.Result json = CliRun.with().home(home).run("logs", "t-1", "--output", "json");
    assertThat(
            json.out()
                .lines()
                .map(
                    line -> {
                      try {
                        return new ObjectMapper().readTree(line).get("text").asText();
                      } catch (Exception e) {
                        throw new AssertionError(line, e);
                      }
                    }))
        .contains(HOSTILE);
  }

  @Test
  void aCommandAgentsQuestionWithEscapesIsPrintedSafeByStatus() throws Exception {
    // The agent writes the question file as JSON, escapes and all: \u001b is ESC once parsed.
    String agent =
        sandbox.script(
            "hostile-asker",
            """
            cat > /dev/null
            printf '%s' '{"question": "Pick one\\u001b[2J\\u0007\\roverwritten \\u202eevil\\nState       COMPLETED",
              "options": ["red\\u001b[31m", "blue\\nState       COMPLETED"]}' > "$TASKWRIGHT_QUESTION_FILE"
            """);
    CliRun.Result run =
        sandbox.cli().run("run", "--id", "hostile-question", "--command", agent, "Paint the shed");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    JsonNode json = sandbox.cli().awaitState("hostile-question", "BLOCKED", Duration.ofSeconds(60));
    assertThat(json.get("question").get("text").asText())
        .as("JSON keeps the raw text")
        .isEqualTo(HOSTILE);
    assertThat(json.get("question").get("options").get(0).asText()).isEqualTo("red\u001b[31m");

    CliRun.Result status = sandbox.cli().run("status", "hostile-question");
    assertSafe(status);
    assertThat(status.out())
        .containsPattern("(?m)^Question +Pick one\\\\e\\[2J")
        .containsPattern("(?m)^Options +- red\\\\e\\[31m$")
        .contains("- blue\\nState       COMPLETED");
  }
}
