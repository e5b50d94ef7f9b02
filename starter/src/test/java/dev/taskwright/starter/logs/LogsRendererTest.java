package dev.taskwright.starter.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The transcript renderer, on a hand-written Claude Code stream-json transcript with a blank and a
 * malformed line.
 */
class LogsRendererTest {

  private final TranscriptRenderer renderer = new TranscriptRenderer();

  static String fixture() throws IOException {
    try (InputStream in = LogsRendererTest.class.getResourceAsStream("/logs/transcript.jsonl")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private List<LogEvent> renderAll(String transcript) {
    return transcript.lines().flatMap(line -> renderer.render(2, line).stream()).toList();
  }

  @Test
  void rendersEveryKindOfLineOfTheFixture() throws IOException {
    assertThat(renderAll(fixture()))
        .containsExactly(
            new LogEvent(
                2,
                "init",
                "# session fd30a1b2-0000-4000-8000-000000000001, model claude-sonnet-4-5"),
            new LogEvent(2, "text", "I'll create the file."),
            new LogEvent(2, "tool_use", "→ Write /home/dev/repo/hello.txt"),
            new LogEvent(
                2, "tool_result", "← File created successfully at: /home/dev/repo/hello.txt"),
            new LogEvent(2, "plain", "this line is not JSON {"),
            new LogEvent(2, "tool_use", "→ Bash git merge main git status"),
            new LogEvent(2, "error", "! ← CONFLICT (content): Merge conflict in hello.txt"),
            new LogEvent(2, "error", "! api retry 1/10 in 503 ms: unknown"),
            new LogEvent(2, "text", "Wrote the file.\n\n## Summary\nCreated hello.txt"),
            new LogEvent(
                2, "result", "= success: 3 turns, cost $0.00026, tokens 1200 in / 85 out"));
  }

  @Test
  void aRateLimitedRunEndsWithItsErrorHighlighted() {
    String assistant =
        "{\"type\":\"assistant\",\"error\":\"rate_limit\",\"api_error_status\":429,\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"API"
            + " Error: Request rejected (429) · Rate limited\"}]}}";
    String result =
        "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":true,\"terminal_reason\":\"api_error\",\"api_error_status\":429,\"result\":\"API"
            + " Error: Request rejected (429) · Rate"
            + " limited\",\"num_turns\":1,\"total_cost_usd\":0,"
            + "\"usage\":{\"input_tokens\":10,\"output_tokens\":0}}";

    assertThat(renderAll(assistant + "\n" + result).stream().map(LogEvent::text))
        .containsExactly(
            "! rate_limit: API Error: Request rejected (429) · Rate limited",
            "= success: 1 turns, cost $0, tokens 10 in / 0 out",
            "! API Error: Request rejected (429) · Rate limited");
  }

  @Test
  void aRunawayPlainLineIsAbridgedAndAShortOneShownWhole() {
    String huge = "y".repeat(10 * 1024 * 1024);

    List<String> shown =
        renderAll("{\"type\":\"assistant\", broken\n" + huge + "\nplain words").stream()
            .map(LogEvent::text)
            .toList();

    assertThat(shown).hasSize(3);
    assertThat(shown.get(0)).isEqualTo("{\"type\":\"assistant\", broken");
    assertThat(shown.get(1))
        .startsWith("y".repeat(TranscriptRenderer.MAX_PLAIN) + "… (")
        .endsWith(
            (huge.length() - TranscriptRenderer.MAX_PLAIN)
                + " more characters; the raw transcript has the whole line)");
    assertThat(shown.get(2)).isEqualTo("plain words");
  }

  @Test
  void aToolCallStaysOnOneLineOfAtMost120Characters() {
    String longCommand = "echo " + "x".repeat(300);
    String line =
        "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"tool_use\",\"name\":\"Bash\",\"input\":{\"command\":\""
            + longCommand
            + "\"}}]}}";

    String text = renderer.render(1, line).get(0).text();

    assertThat(text).hasSize(120).startsWith("→ Bash echo xxx").endsWith("x…");
  }

  @Test
  void anUnknownToolShowsItsFirstTextInputAndAToolWithoutInputOnlyItsName() {
    String line =
        "{\"type\":\"assistant\",\"message\":{\"content\":["
            + "{\"type\":\"tool_use\",\"name\":\"mcp__jira__lookup\",\"input\":{\"limit\":3,\"key\":\"PROJ-12\"}},"
            + "{\"type\":\"tool_use\",\"name\":\"TodoWrite\",\"input\":{\"todos\":[]}}]}}";

    assertThat(renderer.render(1, line).stream().map(LogEvent::text))
        .containsExactly("→ mcp__jira__lookup PROJ-12", "→ TodoWrite");
  }

  @Test
  void jsonThatIsNotAnEventIsShownAsItIsAndUnknownEventsAreSkipped() {
    assertThat(renderer.render(1, "42")).containsExactly(new LogEvent(1, "plain", "42"));
    assertThat(renderer.render(1, "{\"type\":\"stream_event\",\"event\":{}}")).isEmpty();
    assertThat(renderer.render(1, "   ")).isEmpty();
  }
}
