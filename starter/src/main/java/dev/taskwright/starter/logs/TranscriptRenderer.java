package dev.taskwright.starter.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns transcript lines (Claude Code stream-json, or the plain stdout of the {@code command}
 * driver) into events for people: assistant text as is, each tool call on one line, tool results
 * cut to their first line, errors on lines starting with {@code !}. Unknown fields and event types
 * are ignored; a line that is not JSON is shown as it is; blank lines are dropped.
 */
public final class TranscriptRenderer {

  /** How much of a tool's input or result one line shows. */
  static final int MAX_WIDTH = 120;

  /**
   * The most of a plain line shown. A command agent's own output is shown as it is, but a runaway
   * line (a tool dumping megabytes on one line) would bury everything else; the raw transcript
   * keeps it whole.
   */
  static final int MAX_PLAIN = 2_000;

  /**
   * The input field that says most about a call, by tool; other tools show their first text field.
   */
  private static final Map<String, String> TELLING_FIELD =
      Map.ofEntries(
          Map.entry("Write", "file_path"),
          Map.entry("Edit", "file_path"),
          Map.entry("MultiEdit", "file_path"),
          Map.entry("Read", "file_path"),
          Map.entry("NotebookEdit", "notebook_path"),
          Map.entry("Bash", "command"),
          Map.entry("Grep", "pattern"),
          Map.entry("Glob", "pattern"),
          Map.entry("WebFetch", "url"),
          Map.entry("WebSearch", "query"),
          Map.entry("Task", "description"));

  private final ObjectMapper json =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** The events of one transcript line; none for a blank line or an event people need not see. */
  public List<LogEvent> render(int run, String line) {
    if (line.isBlank()) {
      return List.of();
    }
    JsonNode event;
    try {
      event = json.readTree(line);
    } catch (JsonProcessingException notJson) {
      event = null;
    }
    List<LogEvent> events = new ArrayList<>();
    if (event == null || !event.isObject()) {
      events.add(new LogEvent(run, "plain", abridged(line)));
      return events;
    }
    String type = event.path("type").asText("");
    switch (type) {
      case "system" -> system(run, event, events);
      case "assistant" -> assistant(run, event, events);
      case "user" -> user(run, event, events);
      case "result" -> result(run, event, events);
      default -> {
        if (type.contains("rate_limit")) {
          events.add(new LogEvent(run, "error", "! rate limit: " + cut(event.toString())));
        }
      }
    }
    return events;
  }

  private static void system(int run, JsonNode event, List<LogEvent> events) {
    String subtype = event.path("subtype").asText("");
    switch (subtype) {
      case "init" ->
          events.add(
              new LogEvent(
                  run,
                  "init",
                  "# session "
                      + event.path("session_id").asText("?")
                      + ", model "
                      + event.path("model").asText("?")));
      case "api_retry" ->
          events.add(
              new LogEvent(
                  run,
                  "error",
                  "! api retry "
                      + event.path("attempt").asText("?")
                      + "/"
                      + event.path("max_retries").asText("?")
                      + " in "
                      + event.path("retry_delay_ms").asText("?")
                      + " ms: "
                      + event.path("error").asText("unknown")));
      default ->
          events.add(new LogEvent(run, "system", "# " + (subtype.isEmpty() ? "system" : subtype)));
    }
  }

  private static void assistant(int run, JsonNode event, List<LogEvent> events) {
    String error = event.path("error").asText("");
    for (JsonNode block : event.path("message").path("content")) {
      switch (block.path("type").asText("")) {
        case "text" -> {
          String text = block.path("text").asText("");
          if (!error.isEmpty()) {
            events.add(new LogEvent(run, "error", "! " + error + ": " + firstLine(text)));
          } else if (!text.isBlank()) {
            events.add(new LogEvent(run, "text", text.strip()));
          }
        }
        case "tool_use" -> events.add(new LogEvent(run, "tool_use", toolCall(block)));
        default -> {}
      }
    }
  }

  private static void user(int run, JsonNode event, List<LogEvent> events) {
    for (JsonNode block : event.path("message").path("content")) {
      if (block.path("type").asText("").equals("tool_result")) {
        String text = firstLine(resultText(block.path("content")));
        if (block.path("is_error").asBoolean(false)) {
          events.add(new LogEvent(run, "error", "! ← " + text));
        } else {
          events.add(new LogEvent(run, "tool_result", "← " + text));
        }
      }
    }
  }

  private static void result(int run, JsonNode event, List<LogEvent> events) {
    JsonNode usage = event.path("usage");
    StringBuilder line =
        new StringBuilder("= ").append(event.path("subtype").asText("result")).append(": ");
    line.append(event.path("num_turns").asText("?")).append(" turns");
    JsonNode cost = event.path("total_cost_usd");
    if (cost.isNumber()) {
      // Six decimals: sums of float costs carry noise (0.00028000000000000003) that people need not
      // read.
      line.append(", cost $")
          .append(
              cost.decimalValue()
                  .setScale(6, java.math.RoundingMode.HALF_UP)
                  .stripTrailingZeros()
                  .toPlainString());
    }
    if (usage.isObject()) {
      line.append(", tokens ")
          .append(usage.path("input_tokens").asLong())
          .append(" in / ")
          .append(usage.path("output_tokens").asLong())
          .append(" out");
    }
    events.add(new LogEvent(run, "result", line.toString()));
    if (event.path("is_error").asBoolean(false)) {
      String error = event.path("result").asText("");
      if (error.isBlank()) {
        error = event.path("terminal_reason").asText("error");
      }
      events.add(new LogEvent(run, "error", "! " + firstLine(error)));
    }
  }

  /** {@code → Write /path/file.txt}: the tool and its most telling input. */
  static String toolCall(JsonNode block) {
    String name = block.path("name").asText("?");
    JsonNode input = block.path("input");
    String field = TELLING_FIELD.get(name);
    String shown =
        field != null && input.path(field).isValueNode() ? input.path(field).asText() : null;
    if (shown == null) {
      for (JsonNode value : input) {
        if (value.isTextual()) {
          shown = value.asText();
          break;
        }
      }
    }
    return shown == null ? "→ " + name : cut("→ " + name + " " + oneLine(shown));
  }

  /** A tool result's content: a string, or text blocks. */
  private static String resultText(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode block : content) {
      if (block.path("type").asText("").equals("text")) {
        text.append(block.path("text").asText("")).append('\n');
      }
    }
    return text.toString();
  }

  /** The first non-blank line, cut to {@link #MAX_WIDTH}. */
  static String firstLine(String text) {
    for (String line : text.split("\\R")) {
      if (!line.isBlank()) {
        return cut(line.strip());
      }
    }
    return "";
  }

  private static String oneLine(String text) {
    return text.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  static String abridged(String line) {
    return line.length() <= MAX_PLAIN
        ? line
        : line.substring(0, MAX_PLAIN)
            + "… ("
            + (line.length() - MAX_PLAIN)
            + " more characters; the raw transcript has the whole line)";
  }

  static String cut(String text) {
    return text.length() <= MAX_WIDTH ? text : text.substring(0, MAX_WIDTH - 1) + "…";
  }
}
