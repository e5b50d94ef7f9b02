package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a person sends a task: an answer, review feedback, retry guidance or a reason to abandon.
 * One record for all of them, so the Temporal Web UI can send any of these signals either as a bare
 * JSON string ({@code "use PostgreSQL"}) or as an object ({@code {"text": "use PostgreSQL"}}).
 *
 * @param text the words, or null/empty where they are optional (accept, retry without guidance)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Reply(String text) {

  /** Longest text a task accepts, so a pasted log cannot bloat the workflow history. */
  public static final int MAX_LENGTH = 100_000;

  /** What a payload that cannot be read is told: the two shapes a reply may have. */
  private static final String EXPECTED = "expected a JSON string or {\"text\": \"...\"}";

  public static Reply empty() {
    return new Reply(null);
  }

  @JsonIgnore
  public boolean isBlank() {
    return text == null || text.isBlank();
  }

  /**
   * Accepts {@code "text"}, {@code {"text": "..."}} (other fields ignored), or null, as the Web UI
   * may send any of them. Anything else ({@code {}}, a number, a list, a {@code text} that is not a
   * string) cannot be read: the SDK then refuses the update with this message, or drops the signal
   * and logs why, and the task goes on waiting. (An object without {@code text} stays unreadable,
   * as it always was: read as "no words" it would make an accept or abandon signal in a recorded
   * history act where it once did not.)
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Reply fromJson(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return empty();
    }
    if (node.isTextual()) {
      return new Reply(node.textValue());
    }
    if (node.isObject() && node.has("text")) {
      JsonNode text = node.get("text");
      if (text.isNull()) {
        return empty();
      }
      if (text.isTextual()) {
        return new Reply(text.textValue());
      }
      throw new IllegalArgumentException(EXPECTED + ", got {\"text\": " + describe(text) + "}");
    }
    throw new IllegalArgumentException(
        EXPECTED + ", got " + (node.isObject() ? "an object without \"text\"" : describe(node)));
  }

  private static String describe(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "a list";
      case OBJECT -> "an object";
      case NUMBER -> "a number";
      case BOOLEAN -> "true or false";
      default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
