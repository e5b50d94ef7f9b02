package dev.taskwright.activities.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.taskwright.workflows.model.AgentProgress;
import dev.taskwright.workflows.model.Question;
import dev.taskwright.workflows.model.Usage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Claude Code's {@code --output-format stream-json} told us so far. One line at a time goes in
 * through {@link #accept}; the progress for heartbeats and the facts the outcome is decided on come
 * out. The CLI adds fields and event types from version to version, and a crashing agent can print
 * anything, so unknown fields and types are ignored and lines that are not JSON objects are counted
 * and skipped.
 *
 * <p>Thread-safe: the reader thread writes while the activity thread reads progress.
 */
final class ClaudeStream {
  private static final Logger log = LoggerFactory.getLogger(ClaudeStream.class);

  /**
   * The tool a model calls to ask the user; missing in headless mode, but a clear sign it wants to
   * ask.
   */
  static final String ASK_USER_QUESTION = "AskUserQuestion";

  private String sessionId;
  private int turns;
  private long tokens;
  private double costUsd;
  private String lastEvent = "started";
  private int malformedLines;
  private Question askedQuestion;
  private Instant rateLimitResetAt;
  private boolean rateLimitedMessage;
  private Result result;

  /**
   * The CLI's final {@code result} line, the facts the outcome is decided on.
   *
   * @param isError {@code is_error}: the only reliable failure flag ({@code subtype} says "success"
   *     on a 429)
   * @param subtype e.g. {@code success}, {@code error_max_budget_usd}, {@code
   *     error_during_execution}
   * @param terminalReason why the CLI's loop ended, e.g. {@code completed}, {@code api_error},
   *     {@code budget_exhausted}
   * @param apiErrorStatus the HTTP status of a failed model call, or null
   * @param apiErrorType the API's error type, e.g. {@code rate_limit_error}, or null
   * @param text {@code result}: the final assistant text, or the error message
   * @param errors {@code errors}: messages the CLI gives instead of a result text
   * @param usage turns, tokens and cost of the run
   */
  record Result(
      boolean isError,
      String subtype,
      String terminalReason,
      Integer apiErrorStatus,
      String apiErrorType,
      String text,
      List<String> errors,
      Usage usage) {

    boolean rateLimited() {
      return Integer.valueOf(429).equals(apiErrorStatus) || "rate_limit_error".equals(apiErrorType);
    }

    boolean budgetExceeded() {
      return "budget_exhausted".equals(terminalReason) || "error_max_budget_usd".equals(subtype);
    }

    /**
     * The error text for a failed run: the result text, else the listed errors, else what is known.
     */
    String errorText() {
      if (text != null && !text.isBlank()) {
        return text.strip();
      }
      if (!errors.isEmpty()) {
        return String.join("; ", errors);
      }
      return "Claude Code reported an error ("
          + subtype
          + ", "
          + terminalReason
          + ") without a message";
    }
  }

  synchronized void accept(String line) {
    if (line == null || line.isBlank()) {
      return;
    }
    JsonNode event;
    try {
      event = Json.MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      countMalformed(line);
      return;
    }
    if (event == null || !event.isObject()) {
      countMalformed(line);
      return;
    }
    String sid = text(event, "session_id");
    if (sid != null) {
      sessionId = sid;
    }
    String type = text(event, "type");
    if (type == null) {
      return;
    }
    switch (type) {
      case "system" -> onSystem(event);
      case "assistant" -> onAssistant(event);
      case "user" -> lastEvent = "tool result";
      case "rate_limit_event" -> onRateLimit(event.path("rate_limit_info"));
      case "result" -> onResult(event);
      default -> lastEvent = type;
    }
  }

  private void onSystem(JsonNode event) {
    String subtype = text(event, "subtype");
    lastEvent = subtype == null ? "system" : "system " + subtype;
    if ("api_retry".equals(subtype)) {
      lastEvent =
          "retrying the model API (attempt "
              + event.path("attempt").asInt()
              + ", "
              + text(event, "error")
              + ")";
    }
  }

  private void onAssistant(JsonNode event) {
    turns++;
    JsonNode message = event.path("message");
    JsonNode usage = message.path("usage");
    tokens +=
        usage.path("input_tokens").asLong()
            + usage.path("output_tokens").asLong()
            + usage.path("cache_read_input_tokens").asLong();
    if ("rate_limit".equals(text(event, "error"))
        || event.path("api_error_status").asInt() == 429) {
      rateLimitedMessage = true;
    }
    String described = "assistant message";
    for (JsonNode block : message.path("content")) {
      String blockType = text(block, "type");
      if ("tool_use".equals(blockType)) {
        String tool = text(block, "name");
        described = "tool " + tool;
        if (ASK_USER_QUESTION.equals(tool) && askedQuestion == null) {
          askedQuestion = questionFromToolInput(block.path("input"));
        }
      } else if ("text".equals(blockType)) {
        described = "assistant text";
      }
    }
    lastEvent = described;
  }

  private void onRateLimit(JsonNode info) {
    lastEvent = "rate limit " + info.path("status").asText("");
    if (info.path("resetsAt").canConvertToLong() && info.path("resetsAt").asLong() > 0) {
      rateLimitResetAt = Instant.ofEpochSecond(info.path("resetsAt").asLong());
    }
    if ("rejected".equals(text(info, "status"))) {
      rateLimitedMessage = true;
    }
  }

  private void onResult(JsonNode event) {
    JsonNode usage = event.path("usage");
    long input = usage.path("input_tokens").asLong();
    long output = usage.path("output_tokens").asLong();
    long cacheRead = usage.path("cache_read_input_tokens").asLong();
    long cacheCreation = usage.path("cache_creation_input_tokens").asLong();
    if (input + output + cacheRead + cacheCreation == 0) {
      // A run stopped by --max-budget-usd reports zero usage but keeps the per-model counts.
      for (JsonNode model : event.path("modelUsage")) {
        input += model.path("inputTokens").asLong();
        output += model.path("outputTokens").asLong();
        cacheRead += model.path("cacheReadInputTokens").asLong();
        cacheCreation += model.path("cacheCreationInputTokens").asLong();
      }
    }
    Usage total =
        new Usage(
            event.path("num_turns").asInt(turns),
            input,
            output,
            cacheRead,
            cacheCreation,
            event.path("total_cost_usd").asDouble(costUsd));
    List<String> errors = new ArrayList<>();
    event.path("errors").forEach(e -> errors.add(e.isTextual() ? e.asText() : e.toString()));
    JsonNode status = event.path("api_error_status");
    result =
        new Result(
            event.path("is_error").asBoolean(false),
            text(event, "subtype"),
            text(event, "terminal_reason"),
            status.canConvertToInt() && !status.isNull() ? status.asInt() : null,
            text(event, "api_error_type"),
            text(event, "result"),
            List.copyOf(errors),
            total);
    JsonNode resetsAt = event.path("api_error_params").path("rate_limit_info").path("resetsAt");
    if (resetsAt.canConvertToLong() && resetsAt.asLong() > 0) {
      rateLimitResetAt = Instant.ofEpochSecond(resetsAt.asLong());
    }
    costUsd = total.costUsd();
    tokens = Math.max(tokens, total.totalTokens());
    lastEvent = result.isError() ? "result: error" : "result: success";
  }

  /**
   * The question of an {@code AskUserQuestion} call: {@code {"questions": [{"question": ...,
   * "options": [{"label": ...}]}]}}. Only the first question is taken; a person answers one at a
   * time.
   */
  static Question questionFromToolInput(JsonNode input) {
    JsonNode first = input.path("questions").path(0);
    JsonNode source = first.isMissingNode() ? input : first;
    String question = text(source, "question");
    if (question == null) {
      question = input.toString();
    }
    List<String> options = new ArrayList<>();
    for (JsonNode option : source.path("options")) {
      String label = option.isTextual() ? option.asText() : text(option, "label");
      if (label != null) {
        options.add(label);
      }
    }
    return new Question(question, options);
  }

  private void countMalformed(String line) {
    malformedLines++;
    if (malformedLines <= 3) {
      log.warn("Skipping a line of agent output that is not a JSON object: {}", abbreviate(line));
    }
  }

  private static String abbreviate(String line) {
    return line.length() <= 200 ? line : line.substring(0, 200) + "… (" + line.length() + " chars)";
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  synchronized AgentProgress progress() {
    return new AgentProgress(sessionId, turns, tokens, costUsd, lastEvent);
  }

  synchronized Optional<String> sessionId() {
    return Optional.ofNullable(sessionId);
  }

  synchronized Optional<Result> result() {
    return Optional.ofNullable(result);
  }

  synchronized Optional<Question> askedQuestion() {
    return Optional.ofNullable(askedQuestion);
  }

  synchronized Optional<Instant> rateLimitResetAt() {
    return Optional.ofNullable(rateLimitResetAt);
  }

  /**
   * True when the stream said the model API refused for rate limiting, even without a result line.
   */
  synchronized boolean sawRateLimit() {
    return rateLimitedMessage || (result != null && result.rateLimited());
  }

  synchronized int malformedLines() {
    return malformedLines;
  }

  /** Usage from the result line, else what the assistant messages added up to. */
  synchronized Usage usage() {
    return result != null ? result.usage() : new Usage(turns, tokens, 0, 0, 0, costUsd);
  }
}
