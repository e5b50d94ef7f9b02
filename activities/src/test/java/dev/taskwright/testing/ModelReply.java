package dev.taskwright.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@link ScriptedModelServer} answers to one model request: a message (text and tool
 * calls, streamed as the real API streams them, optionally slowly and with chosen usage), an HTTP
 * error, or nothing at all (a hang). Immutable; the {@code with...} methods return changed copies.
 *
 * <pre>{@code
 * ModelReply.write(worktree.resolve("hello.txt"), "hello\n")       // the CLI's Write tool writes it
 * ModelReply.text("Done.\n\n## Summary\nWrote hello.txt")           // ends the turn
 * ModelReply.rateLimited()                                           // 429 rate_limit_error
 * ModelReply.text("slow").slowly(Duration.ofMillis(200))             // a delay between deltas
 * }</pre>
 */
public final class ModelReply {

  /** A content block of a message reply: text, or a tool call with its input. */
  public record Block(String type, String text, String toolName, Map<String, Object> input) {
    static Block text(String text) {
      return new Block("text", text, null, null);
    }

    static Block toolUse(String name, Map<String, Object> input) {
      return new Block("tool_use", null, name, Map.copyOf(input));
    }
  }

  enum Kind {
    MESSAGE,
    HTTP_ERROR,
    HANG
  }

  private final Kind kind;
  private final List<Block> blocks;
  private final Duration delayBetweenDeltas;
  private final long inputTokens;
  private final long outputTokens;
  private final int httpStatus;
  private final String errorType;
  private final String errorMessage;
  private final Map<String, String> headers;

  private ModelReply(
      Kind kind,
      List<Block> blocks,
      Duration delayBetweenDeltas,
      long inputTokens,
      long outputTokens,
      int httpStatus,
      String errorType,
      String errorMessage,
      Map<String, String> headers) {
    this.kind = kind;
    this.blocks = List.copyOf(blocks);
    this.delayBetweenDeltas = delayBetweenDeltas;
    this.inputTokens = inputTokens;
    this.outputTokens = outputTokens;
    this.httpStatus = httpStatus;
    this.errorType = errorType;
    this.errorMessage = errorMessage;
    this.headers = Map.copyOf(headers);
  }

  private static ModelReply message(List<Block> blocks) {
    return new ModelReply(Kind.MESSAGE, blocks, Duration.ZERO, 10, 5, 200, null, null, Map.of());
  }

  /** A text answer that ends the turn ({@code stop_reason: end_turn}). */
  public static ModelReply text(String text) {
    return message(List.of(Block.text(text)));
  }

  /** A call of any tool; the CLI runs it and sends the result in its next request. */
  public static ModelReply toolUse(String toolName, Map<String, Object> input) {
    return message(List.of(Block.toolUse(toolName, input)));
  }

  /** The Write tool: creates or overwrites {@code file} (an absolute path) with {@code content}. */
  public static ModelReply write(Path file, String content) {
    return toolUse(
        "Write", ordered("file_path", file.toAbsolutePath().toString(), "content", content));
  }

  /**
   * The Edit tool: replaces {@code oldString} by {@code newString} in {@code file}. The CLI refuses
   * to edit a file the model has not read or written in this session.
   */
  public static ModelReply edit(Path file, String oldString, String newString) {
    return toolUse(
        "Edit",
        ordered(
            "file_path",
            file.toAbsolutePath().toString(),
            "old_string",
            oldString,
            "new_string",
            newString));
  }

  /** The Read tool. */
  public static ModelReply read(Path file) {
    return toolUse("Read", ordered("file_path", file.toAbsolutePath().toString()));
  }

  /** The Bash tool (permission modes other than acceptEdits/bypass may refuse it). */
  public static ModelReply bash(String command) {
    return toolUse("Bash", ordered("command", command, "description", "scripted command"));
  }

  /** An {@code AskUserQuestion} call, as a model that wants to ask a person makes it. */
  public static ModelReply askUserQuestion(String question, String... options) {
    List<Map<String, Object>> optionList = new ArrayList<>();
    for (String option : options) {
      optionList.add(ordered("label", option, "description", option));
    }
    Map<String, Object> entry =
        ordered(
            "question",
            question,
            "header",
            "Question",
            "options",
            optionList,
            "multiSelect",
            false);
    return toolUse("AskUserQuestion", ordered("questions", List.of(entry)));
  }

  /**
   * An HTTP error with the API's error body {@code
   * {"type":"error","error":{"type":..,"message":..}}}. It carries {@code x-should-retry: false},
   * so the CLI reports it at once instead of retrying with backoff (which it does for a 429 or 5xx
   * without that header).
   */
  public static ModelReply error(int status, String errorType, String message) {
    return new ModelReply(
        Kind.HTTP_ERROR,
        List.of(),
        Duration.ZERO,
        0,
        0,
        status,
        errorType,
        message,
        Map.of("x-should-retry", "false"));
  }

  /** 429 {@code rate_limit_error}: the CLI ends the run with {@code api_error_status: 429}. */
  public static ModelReply rateLimited() {
    return error(429, "rate_limit_error", "Rate limited");
  }

  /** Never answers (until the server closes): for idle watchdogs and timeouts. */
  public static ModelReply hang() {
    return new ModelReply(Kind.HANG, List.of(), Duration.ZERO, 0, 0, 0, null, null, Map.of());
  }

  /** This reply followed, in the same message, by a text block. */
  public ModelReply andText(String text) {
    return withBlock(Block.text(text));
  }

  /** This reply followed, in the same message, by another tool call. */
  public ModelReply andToolUse(String toolName, Map<String, Object> input) {
    return withBlock(Block.toolUse(toolName, input));
  }

  private ModelReply withBlock(Block block) {
    requireMessage();
    List<Block> more = new ArrayList<>(blocks);
    more.add(block);
    return new ModelReply(
        kind,
        more,
        delayBetweenDeltas,
        inputTokens,
        outputTokens,
        httpStatus,
        errorType,
        errorMessage,
        headers);
  }

  /** Streams with {@code delay} before each delta, like a slow model. */
  public ModelReply slowly(Duration delay) {
    requireMessage();
    return new ModelReply(
        kind,
        blocks,
        delay,
        inputTokens,
        outputTokens,
        httpStatus,
        errorType,
        errorMessage,
        headers);
  }

  /** Reports this usage (a huge input makes {@code --max-budget-usd} trip). */
  public ModelReply withUsage(long inputTokens, long outputTokens) {
    requireMessage();
    return new ModelReply(
        kind,
        blocks,
        delayBetweenDeltas,
        inputTokens,
        outputTokens,
        httpStatus,
        errorType,
        errorMessage,
        headers);
  }

  /**
   * An extra response header, e.g. to drop {@code x-should-retry} and let the CLI retry an error.
   */
  public ModelReply withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    if (value == null) {
      more.remove(name);
    } else {
      more.put(name, value);
    }
    return new ModelReply(
        kind,
        blocks,
        delayBetweenDeltas,
        inputTokens,
        outputTokens,
        httpStatus,
        errorType,
        errorMessage,
        more);
  }

  private void requireMessage() {
    if (kind != Kind.MESSAGE) {
      throw new IllegalStateException("Only message replies have content, speed and usage");
    }
  }

  Kind kind() {
    return kind;
  }

  List<Block> blocks() {
    return blocks;
  }

  Duration delayBetweenDeltas() {
    return delayBetweenDeltas;
  }

  long inputTokens() {
    return inputTokens;
  }

  long outputTokens() {
    return outputTokens;
  }

  int httpStatus() {
    return httpStatus;
  }

  String errorType() {
    return errorType;
  }

  String errorMessage() {
    return errorMessage;
  }

  Map<String, String> headers() {
    return headers;
  }

  /** The stop reason the real API gives such a message. */
  String stopReason() {
    return blocks.stream().anyMatch(b -> b.type().equals("tool_use")) ? "tool_use" : "end_turn";
  }

  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case MESSAGE -> "message" + blocks;
      case HTTP_ERROR -> "HTTP " + httpStatus + " " + errorType;
      case HANG -> "hang";
    };
  }
}
