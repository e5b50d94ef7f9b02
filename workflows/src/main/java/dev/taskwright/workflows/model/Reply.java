package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a person sends a task: an answer, review feedback, retry guidance or a reason to abandon.
 * One record for all of them, so the Temporal Web UI can send any of these signals either as a
 * bare JSON string ({@code "use PostgreSQL"}) or as an object ({@code {"text": "use PostgreSQL"}}).
 *
 * @param text the words, or null/empty where they are optional (accept, retry without guidance)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Reply(String text) {

  /** Longest text a task accepts, so a pasted log cannot bloat the workflow history. */
  public static final int MAX_LENGTH = 100_000;

  public static Reply empty() {
    return new Reply(null);
  }

  @JsonIgnore
  public boolean isBlank() {
    return text == null || text.isBlank();
  }

  /** Accepts {@code "text"}, {@code {"text": "..."}}, or null, as the Web UI may send any of them. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Reply fromJson(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return empty();
    }
    if (node.isTextual()) {
      return new Reply(node.textValue());
    }
    if (node.isObject() && node.has("text") && (node.get("text").isTextual() || node.get("text").isNull())) {
      return new Reply(node.get("text").isNull() ? null : node.get("text").textValue());
    }
    throw new IllegalArgumentException("expected a JSON string or {\"text\": \"...\"}, got " + node.getNodeType());
  }
}
