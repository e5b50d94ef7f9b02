package dev.taskwright.activities.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.workflows.Limits;
import dev.taskwright.workflows.model.AgentOutcome;
import dev.taskwright.workflows.model.AgentStatus;
import dev.taskwright.workflows.model.Question;
import dev.taskwright.workflows.model.SubtaskRequest;
import dev.taskwright.workflows.model.Usage;
import io.temporal.common.converter.GlobalDataConverter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 5: what an agent run returns stays well under the server's payload limit, whatever
 * the agent wrote. A 10 MB question file once made the result too large: it was lost, the activity
 * retried, and the agent ran a second time.
 */
class OutcomeBoundsTest {

  private static final Duration MINUTE = Duration.ofMinutes(1);

  @TempDir Path temp;
  private AgentTestSupport agent;

  @BeforeEach
  void setUp() throws IOException {
    agent = new AgentTestSupport(temp, "/nonexistent/claude", Map.of());
  }

  @AfterEach
  void tearDown() {
    agent.close();
  }

  @Test
  void tenMegabyteQuestionFileYieldsABoundedQuestionAndTheAgentRunsOnce() throws IOException {
    Path runs = temp.resolve("runs.txt");
    AgentOutcome outcome =
        agent.run(
            agent.commandRun(
                "echo ran >> '"
                    + runs
                    + "'; head -c 10485760 /dev/zero | tr '\\0' q > \"$TASKWRIGHT_QUESTION_FILE\"",
                MINUTE,
                MINUTE));

    assertThat(outcome.status()).isEqualTo(AgentStatus.QUESTION);
    String question = outcome.question().text();
    assertThat(question.length()).isLessThanOrEqualTo(Limits.QUESTION_CHARS);
    assertThat(question)
        .startsWith("qqqq")
        .contains("[cut: ")
        .contains(" more characters of the question");
    int cut = Integer.parseInt(question.replaceAll("(?s).*\\[cut: (\\d+) more.*", "$1"));
    assertThat(question.indexOf('\n') + cut)
        .as("the note counts what was cut")
        .isEqualTo(10 * 1024 * 1024);
    assertThat(OutcomeBounds.size(outcome)).isLessThanOrEqualTo(Limits.OUTCOME_BYTES);
    assertThat(Files.readAllLines(runs)).containsExactly("ran");
  }

  @Test
  void nulAndBytesThatAreNotUtf8InAgentFilesBecomeReplacementCharacters() throws IOException {
    AgentOutcome outcome =
        agent.run(
            agent.commandRun(
                "printf 'Which\\000one?\\377' > \"$TASKWRIGHT_QUESTION_FILE\"; printf 'did\\000it'"
                    + " > \"$TASKWRIGHT_SUMMARY_FILE\"",
                MINUTE,
                MINUTE));

    assertThat(outcome.question().text()).isEqualTo("Which\uFFFDone?\uFFFD");
    assertThat(outcome.summary()).isEqualTo("did\uFFFDit");
  }

  @Test
  void optionsBeyondTheLimitAreCutWithANote() throws IOException {
    StringBuilder options = new StringBuilder();
    for (int i = 1; i <= 25; i++) {
      options.append(i > 1 ? "," : "").append("\"").append("o".repeat(2000)).append(i).append("\"");
    }
    AgentOutcome outcome =
        agent.run(
            agent.commandRun(
                "cat > \"$TASKWRIGHT_QUESTION_FILE\" <<'JSON'\n"
                    + "{\"question\": \"Pick one\", \"options\": ["
                    + options
                    + "]}\nJSON\n",
                MINUTE,
                MINUTE));

    assertThat(outcome.question().options())
        .hasSize(Limits.OPTIONS)
        .allSatisfy(o -> assertThat(o.length()).isLessThanOrEqualTo(Limits.OPTION_CHARS));
    assertThat(outcome.question().options().get(0)).contains("[cut: ");
    assertThat(outcome.question().text()).startsWith("Pick one").contains("[cut: 5 more options");
  }

  @Test
  void subtasksFileFarBeyondTheLimitIsRefusedUnread() throws IOException {
    AgentOutcome outcome =
        agent.run(
            agent.commandRun(
                "head -c 3000000 /dev/zero | tr '\\0' ' ' > \"$TASKWRIGHT_SUBTASKS_FILE\"",
                MINUTE,
                MINUTE));

    assertThat(outcome.status()).isEqualTo(AgentStatus.FAILED);
    assertThat(outcome.error())
        .contains("it is 3000000 bytes")
        .contains("at most " + Limits.SUBTASKS_BYTES + " bytes");
    assertThat(outcome.subtasks()).isEmpty();
  }

  /**
   * The worst an agent can return: every text far over its limit and made of control characters
   * (six bytes each once escaped), the most options, and the largest set of subtasks the subtasks
   * file lets through. Serialised by the data converter the worker uses, it stays under the limit.
   */
  @Test
  void noAgentOutcomeCanExceedThePayloadLimit() throws Exception {
    String control = "\u0001".repeat(3_000_000);
    List<String> options = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      options.add(control.substring(0, 100_000));
    }
    AgentOutcome worst =
        new AgentOutcome(
            AgentStatus.QUESTION,
            "s".repeat(100),
            control,
            control,
            new Question(control, options),
            Instant.now(),
            new Usage(1, 2, 3, 4, 0, 5),
            "/logs/" + "l".repeat(500),
            largestSubtasks());
    assertThat(payloadSize(worst))
        .as("unbounded, it would be refused")
        .isGreaterThan(Limits.SERVER_PAYLOAD_BYTES);

    AgentOutcome bounded = OutcomeBounds.bound(worst);

    assertThat(payloadSize(bounded))
        .isLessThanOrEqualTo(Limits.OUTCOME_BYTES)
        .isLessThan(Limits.SERVER_PAYLOAD_BYTES / 2);
    assertThat(bounded.subtasks()).isEqualTo(worst.subtasks());
    assertThat(bounded.question().text()).contains("[cut: ");
    assertThat(bounded.summary()).contains("[cut: ");
    assertThat(bounded.error()).contains("[cut: ");
  }

  @Test
  void anOutcomeWithinTheLimitsIsLeftAsItIs() {
    AgentOutcome small =
        new AgentOutcome(
            AgentStatus.SUCCEEDED,
            "s1",
            "Did it",
            null,
            null,
            null,
            Usage.NONE,
            "/logs/run-1.log",
            List.of());
    assertThat(OutcomeBounds.bound(small)).isEqualTo(small);
  }

  /**
   * As many subtasks, as long, as the subtasks file accepts; each prompt all control characters.
   */
  private static List<SubtaskRequest> largestSubtasks() throws Exception {
    int perPrompt = (Limits.SUBTASKS_BYTES / SubtasksFile.MAX_SUBTASKS - 120) / 6;
    StringBuilder json = new StringBuilder("[");
    for (int i = 1; i <= SubtasksFile.MAX_SUBTASKS; i++) {
      json.append(i > 1 ? "," : "")
          .append("{\"name\": \"s")
          .append(i)
          .append("\", \"title\": \"t\", \"prompt\": \"")
          .append("\\u0001".repeat(perPrompt))
          .append("\"}");
    }
    List<SubtaskRequest> subtasks =
        SubtasksFile.parse(json.append(']').toString(), "subtasks.json");
    assertThat(Json.MAPPER.writeValueAsBytes(subtasks).length)
        .isGreaterThan(Limits.SUBTASKS_BYTES * 9 / 10);
    return subtasks;
  }

  private static int payloadSize(AgentOutcome outcome) {
    return GlobalDataConverter.get().toPayload(outcome).orElseThrow().getSerializedSize();
  }
}
