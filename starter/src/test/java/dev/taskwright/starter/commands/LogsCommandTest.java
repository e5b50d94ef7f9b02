package dev.taskwright.starter.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code taskwright logs ID} through picocli, reading transcripts from a home folder of its own; no
 * Temporal needed.
 */
class LogsCommandTest {

  @TempDir Path home;

  private Path logs;

  private static final String RESULT =
      "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"num_turns\":1,\"total_cost_usd\":0.5,"
          + "\"usage\":{\"input_tokens\":7,\"output_tokens\":3}}";

  @BeforeEach
  void transcripts() throws IOException {
    logs = home.resolve("logs").resolve("t-1");
    Files.createDirectories(logs);
    try (InputStream fixture = getClass().getResourceAsStream("/logs/transcript.jsonl")) {
      Files.write(logs.resolve("run-1.jsonl"), fixture.readAllBytes());
    }
    Files.writeString(logs.resolve("run-2.log"), "plain output of a command\n");
    Files.writeString(logs.resolve("run-2.stderr.log"), "not shown\n");
  }

  private CliRun cli() {
    return CliRun.with().home(home);
  }

  @Test
  void showsAllRunsInOrderUnderTheirHeaders() {
    CliRun.Result result = cli().run("logs", "t-1");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out().lines())
        .containsExactly(
            "== run 1 ==",
            "# session fd30a1b2-0000-4000-8000-000000000001, model claude-sonnet-4-5",
            "I'll create the file.",
            "→ Write /home/dev/repo/hello.txt",
            "← File created successfully at: /home/dev/repo/hello.txt",
            "this line is not JSON {",
            "→ Bash git merge main git status",
            "! ← CONFLICT (content): Merge conflict in hello.txt",
            "! api retry 1/10 in 503 ms: unknown",
            "Wrote the file.",
            "",
            "  ## Summary",
            "  Created hello.txt",
            "= success: 3 turns, cost $0.00026, tokens 1200 in / 85 out",
            "== run 2 ==",
            "plain output of a command");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void runShowsOneRun() {
    CliRun.Result result = cli().run("logs", "t-1", "--run", "2");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out().lines()).containsExactly("== run 2 ==", "plain output of a command");
  }

  @Test
  void aRunThatDoesNotExistIsNotFound() {
    CliRun.Result result = cli().run("logs", "t-1", "--run", "3");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(result.err()).contains("no run 3 for task t-1");
  }

  @Test
  void jsonHasOneObjectPerEvent() throws IOException {
    CliRun.Result result = cli().run("logs", "t-1", "--output", "json");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    List<JsonNode> events = new ArrayList<>();
    for (String line : result.out().lines().toList()) {
      events.add(new ObjectMapper().readTree(line));
    }
    assertThat(events).hasSize(11);
    assertThat(events.get(2).toString())
        .isEqualTo(
            "{\"run\":1,\"type\":\"tool_use\",\"text\":\"→ Write /home/dev/repo/hello.txt\"}");
    assertThat(events.get(8).path("text").asText())
        .isEqualTo("Wrote the file.\n\n## Summary\nCreated hello.txt");
    assertThat(events.get(10).toString())
        .isEqualTo("{\"run\":2,\"type\":\"plain\",\"text\":\"plain output of a command\"}");
  }

  @Test
  void anUnknownTaskSaysWhereLogsLive() {
    CliRun.Result result = cli().run("logs", "nope");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(result.out()).isEmpty();
    assertThat(result.err().strip())
        .isEqualTo(
            "taskwright: no transcripts for task nope under "
                + home.resolve("logs").resolve("nope")
                + "; logs live on the worker host that ran the task");
  }

  @Test
  void anInvalidIdIsBadInput() {
    CliRun.Result result = cli().run("logs", "../etc");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_INPUT);
  }

  @Test
  void followPrintsLinesAndRunsAppendedAfterItStarted() throws Exception {
    CliRun.Background logsF = cli().start("logs", "t-1", "-f");
    logsF.awaitOut("plain output of a command", Duration.ofSeconds(30));

    Files.writeString(
        logs.resolve("run-1.jsonl"),
        RESULT + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    logsF.awaitOut("= success: 1 turns, cost $0.5, tokens 7 in / 3 out", Duration.ofSeconds(30));
    Files.writeString(
        logs.resolve("run-3.jsonl"),
        "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"s3\",\"model\":\"m\"}\n");
    logsF.awaitOut("# session s3, model m", Duration.ofSeconds(30));
    CliRun.Result result = logsF.stop();

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out().lines().toList())
        .endsWith(
            "== run 2 ==",
            "plain output of a command",
            "== run 1 ==",
            "= success: 1 turns, cost $0.5, tokens 7 in / 3 out",
            "== run 3 ==",
            "# session s3, model m");
  }
}
