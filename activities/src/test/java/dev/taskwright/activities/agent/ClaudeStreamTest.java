package dev.taskwright.activities.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.workflows.model.AgentProgress;
import dev.taskwright.workflows.model.Question;
import dev.taskwright.workflows.model.Usage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Parsing of Claude Code's stream-json, with lines as the real CLI 2.1.329 prints them (abridged).
 */
class ClaudeStreamTest {

  private static final String INIT =
      "{\"type\":\"system\",\"subtype\":\"init\",\"cwd\":\"/w\",\"session_id\":\"s-1\",\"tools\":[\"Write\"],\"model\":\"m\","
          + "\"permissionMode\":\"acceptEdits\",\"claude_code_version\":\"2.1.329\",\"a_field_from_the_future\":{\"x\":[1,2]}}";
  private static final String TOOL_USE =
      "{\"type\":\"assistant\",\"message\":{\"id\":\"msg_1\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_01\",\"name\":\"Write\",\"input\":{\"file_path\":\"/w/hello.txt\",\"content\":\"hello\\n"
          + "\"}}],\"usage\":{\"input_tokens\":10,\"output_tokens\":1}},\"session_id\":\"s-1\"}";
  private static final String SUCCESS =
      "{\"duration_api_ms\":48,\"stop_reason\":\"end_turn\",\"session_id\":\"s-1\",\"total_cost_usd\":0.00028,\"usage\":{\"input_tokens\":20,\"cache_creation_input_tokens\":7,\"cache_read_input_tokens\":3,\"output_tokens\":10},\"terminal_reason\":\"completed\",\"is_error\":false,\"num_turns\":2,\"subtype\":\"success\",\"api_error_status\":null,\"result\":\"Done.\\n"
          + "\\n"
          + "## Summary\\n"
          + "Wrote hello.\",\"type\":\"result\"}";
  private static final String RATE_LIMITED =
      "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":true,\"terminal_reason\":\"api_error\",\"api_error_status\":429,\"api_error_type\":\"rate_limit_error\",\"result\":\"API"
          + " Error: Request rejected (429) · Rate limited\",\"session_id\":\"s-1\","
          + "\"num_turns\":1,\"total_cost_usd\":0}";
  private static final String BUDGET =
      "{\"stop_reason\":\"tool_use\",\"session_id\":\"s-1\",\"total_cost_usd\":4.0001,\"usage\":{\"input_tokens\":0,\"output_tokens\":0},"
          + "\"modelUsage\":{\"m\":{\"inputTokens\":1000000,\"outputTokens\":5,\"cacheReadInputTokens\":0,\"cacheCreationInputTokens\":40}},"
          + "\"terminal_reason\":\"budget_exhausted\",\"is_error\":true,\"num_turns\":1,\"subtype\":\"error_max_budget_usd\",\"errors\":[\"Reached"
          + " maximum budget ($0.01)\"],\"type\":\"result\"}";

  @Test
  void followsASuccessfulRunAndIgnoresFieldsItDoesNotKnow() {
    ClaudeStream stream =
        feed(INIT, TOOL_USE, "{\"type\":\"user\",\"message\":{\"content\":[]}}", SUCCESS);

    assertThat(stream.sessionId()).contains("s-1");
    ClaudeStream.Result result = stream.result().orElseThrow();
    assertThat(result.isError()).isFalse();
    assertThat(result.terminalReason()).isEqualTo("completed");
    assertThat(result.text()).isEqualTo("Done.\n\n## Summary\nWrote hello.");
    assertThat(stream.usage()).isEqualTo(new Usage(2, 20, 10, 3, 7, 0.00028));
    assertThat(stream.progress())
        .isEqualTo(new AgentProgress("s-1", 1, 33, 0.00028, "result: success"));
    assertThat(stream.malformedLines()).isZero();
  }

  @Test
  void describesTheLastEventForHeartbeats() {
    ClaudeStream stream = feed(INIT, TOOL_USE);

    assertThat(stream.progress()).isEqualTo(new AgentProgress("s-1", 1, 11, 0.0, "tool Write"));
  }

  @Test
  void skipsBlankAndMalformedLinesAndUnknownEventTypes() {
    ClaudeStream stream =
        feed(
            "",
            "   ",
            INIT,
            "not json at all",
            "{\"type\":\"assistant\",",
            "[1,2,3]",
            "42",
            "null",
            "{\"type\":\"stream_event_of_2027\",\"payload\":{}}",
            "{\"no_type\":true}",
            SUCCESS);

    assertThat(stream.malformedLines()).isEqualTo(5);
    assertThat(stream.result()).isPresent();
    assertThat(stream.sessionId()).contains("s-1");
  }

  @Test
  void parsesATenMegabyteLine() {
    String huge = "x".repeat(10 * 1024 * 1024);
    String hugeToolResult =
        "{\"type\":\"user\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"content\":\""
            + huge
            + "\"}]},\"session_id\":\"s-1\"}";
    String hugeResult = SUCCESS.replace("Done.\\n\\n## Summary\\nWrote hello.", huge);

    ClaudeStream stream = feed(INIT, hugeToolResult, hugeResult);

    assertThat(stream.malformedLines()).isZero();
    assertThat(stream.result().orElseThrow().text()).hasSize(huge.length());
  }

  @Test
  void aRateLimitIsAnErrorEvenThoughTheSubtypeSaysSuccess() {
    ClaudeStream stream =
        feed(
            INIT,
            "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"API"
                + " Error\"}]},\"error\":\"rate_limit\",\"api_error_status\":429}",
            RATE_LIMITED);

    ClaudeStream.Result result = stream.result().orElseThrow();
    assertThat(result.subtype()).isEqualTo("success");
    assertThat(result.isError()).isTrue();
    assertThat(result.rateLimited()).isTrue();
    assertThat(stream.sawRateLimit()).isTrue();
    assertThat(result.errorText()).isEqualTo("API Error: Request rejected (429) · Rate limited");
  }

  @Test
  void takesTheResetTimeFromARateLimitEvent() {
    ClaudeStream stream =
        feed(
            INIT,
            "{\"type\":\"rate_limit_event\",\"rate_limit_info\":{\"status\":\"rejected\",\"resetsAt\":1795217884,"
                + "\"rateLimitType\":\"five_hour\"},\"session_id\":\"s-1\"}");

    assertThat(stream.rateLimitResetAt()).contains(Instant.ofEpochSecond(1795217884));
    assertThat(stream.sawRateLimit()).isTrue();
  }

  @Test
  void recognisesAnExceededBudgetAndItsUsage() {
    ClaudeStream stream = feed(INIT, BUDGET);

    ClaudeStream.Result result = stream.result().orElseThrow();
    assertThat(result.budgetExceeded()).isTrue();
    assertThat(result.rateLimited()).isFalse();
    assertThat(result.errorText()).isEqualTo("Reached maximum budget ($0.01)");
    assertThat(stream.usage()).isEqualTo(new Usage(1, 1_000_000, 5, 0, 40, 4.0001));
  }

  @Test
  void anAskUserQuestionCallIsAQuestion() {
    ClaudeStream stream =
        feed(
            INIT,
            "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"tool_use\",\"name\":\"AskUserQuestion\",\"input\":{\"questions\":[{\"question\":\"Which"
                + " license?\",\"header\":\"License\",\"multiSelect\":false,"
                + "\"options\":[{\"label\":\"MIT\",\"description\":\"short\"},{\"label\":\"Apache-2.0\"}]}]}}]}}");

    assertThat(stream.askedQuestion())
        .contains(new Question("Which license?", List.of("MIT", "Apache-2.0")));
  }

  @Test
  void splitsOutputIntoLinesAndSkipsOnlyTheLineOverTheLimit() {
    List<String> lines = new ArrayList<>();
    AgentProcess.LineSplitter splitter = new AgentProcess.LineSplitter(10, lines::add);
    byte[] bytes = "short\nthis line is far too long\nä\nlast".getBytes(StandardCharsets.UTF_8);
    // Fed in pieces that cut lines (and the two bytes of 'ä') apart, as pipe reads do.
    for (int i = 0; i < bytes.length; i += 3) {
      byte[] piece = java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 3));
      splitter.accept(piece, piece.length);
    }
    splitter.finish();

    assertThat(lines).containsExactly("short", "ä", "last");
  }

  @Test
  void choosesTheSummaryFileThenTheLastSummaryHeadingThenTheTrimmedResult() {
    assertThat(Summaries.choose(Optional.of("  from the file \n"), "## Summary\nignored"))
        .isEqualTo("from the file");
    assertThat(
            Summaries.choose(Optional.empty(), "text\n## Summary\nfirst\n## summary  \nsecond\n"))
        .isEqualTo("second");
    assertThat(Summaries.choose(Optional.empty(), "no heading here")).isEqualTo("no heading here");
    assertThat(Summaries.choose(Optional.empty(), "y".repeat(5_000))).hasSize(Summaries.MAX_CHARS);
    assertThat(Summaries.choose(Optional.empty(), null)).isNull();
  }

  private static ClaudeStream feed(String... lines) {
    ClaudeStream stream = new ClaudeStream();
    for (String line : lines) {
      stream.accept(line);
    }
    return stream;
  }
}
