package dev.taskwright.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One {@code POST /v1/messages} the CLI sent to the {@link ScriptedModelServer}, with helpers for
 * the questions a script asks: how far is the conversation, what did the tools answer, what did the
 * user say.
 *
 * @param index position among all model requests of the server (0-based)
 * @param body the JSON request body
 * @param headers request headers, names lower-cased
 */
public record ModelRequest(int index, JsonNode body, Map<String, List<String>> headers) {

  public String model() {
    return body.path("model").asText(null);
  }

  public boolean streaming() {
    return body.path("stream").asBoolean(false);
  }

  /**
   * The system prompt, its blocks joined by newlines (it carries {@code --append-system-prompt}).
   */
  public String systemPrompt() {
    JsonNode system = body.path("system");
    if (system.isTextual()) {
      return system.asText();
    }
    List<String> parts = new ArrayList<>();
    system.forEach(block -> parts.add(block.path("text").asText("")));
    return String.join("\n", parts);
  }

  public List<String> toolNames() {
    List<String> names = new ArrayList<>();
    body.path("tools").forEach(tool -> names.add(tool.path("name").asText()));
    return names;
  }

  public List<JsonNode> messages() {
    List<JsonNode> messages = new ArrayList<>();
    body.path("messages").forEach(messages::add);
    return messages;
  }

  /** How many times the model has answered in this conversation so far: 0 for a fresh prompt. */
  public int assistantTurns() {
    return (int)
        messages().stream().filter(m -> "assistant".equals(m.path("role").asText())).count();
  }

  /**
   * How many times the model has answered since the newest user message that contains {@code text}
   * (0 for the request that message starts), or -1 when no user message contains it. Scripts use it
   * to play a sequence of replies from a prompt given mid-conversation, e.g. a resumed session's.
   */
  public int assistantTurnsSince(String text) {
    List<JsonNode> messages = messages();
    int turns = 0;
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonNode message = messages.get(i);
      if ("assistant".equals(message.path("role").asText())) {
        turns++;
      } else if (contentText(message.path("content")).contains(text)) {
        return turns;
      }
    }
    return -1;
  }

  /** Every {@code tool_result} block of the conversation, oldest first. */
  public List<JsonNode> toolResults() {
    List<JsonNode> results = new ArrayList<>();
    for (JsonNode message : messages()) {
      for (JsonNode block : message.path("content")) {
        if ("tool_result".equals(block.path("type").asText())) {
          results.add(block);
        }
      }
    }
    return results;
  }

  /** The text of the newest tool result, or null when no tool ran yet. */
  public String lastToolResultText() {
    List<JsonNode> results = toolResults();
    return results.isEmpty() ? null : contentText(results.get(results.size() - 1).path("content"));
  }

  /**
   * What the user typed (the prompts given on stdin), oldest first, without the {@code
   * <system-reminder>} blocks the CLI adds.
   */
  public List<String> userTexts() {
    List<String> texts = new ArrayList<>();
    for (JsonNode message : messages()) {
      if (!"user".equals(message.path("role").asText())) {
        continue;
      }
      JsonNode content = message.path("content");
      if (content.isTextual()) {
        addUserText(texts, content.asText());
      }
      for (JsonNode block : content) {
        if ("text".equals(block.path("type").asText())) {
          addUserText(texts, block.path("text").asText());
        }
      }
    }
    return texts;
  }

  private static void addUserText(List<String> texts, String text) {
    if (!text.startsWith("<system-reminder>") && !text.isBlank()) {
      texts.add(text.strip());
    }
  }

  /** The newest user prompt, or null. */
  public String lastUserText() {
    List<String> texts = userTexts();
    return texts.isEmpty() ? null : texts.get(texts.size() - 1);
  }

  /** True when any message of the conversation (any role, any block) contains {@code text}. */
  public boolean conversationContains(String text) {
    return body.path("messages").toString().contains(text) || messagesText().contains(text);
  }

  private String messagesText() {
    StringBuilder all = new StringBuilder();
    for (JsonNode message : messages()) {
      all.append(contentText(message.path("content"))).append('\n');
    }
    return all.toString();
  }

  /** The session the CLI says this request belongs to. */
  public String sessionId() {
    List<String> values = headers.get("x-claude-code-session-id");
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /**
   * True for requests that are not the agent's conversation: calls without tools (titles, topics,
   * summaries on a small model) and one-token quota probes. The server answers them itself.
   */
  public boolean isSideRequest() {
    return toolNames().isEmpty() || body.path("max_tokens").asInt(Integer.MAX_VALUE) <= 1;
  }

  private static String contentText(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode block : content) {
      if (block.has("text")) {
        text.append(block.path("text").asText());
      } else if (block.has("content")) {
        text.append(contentText(block.path("content")));
      } else if (block.has("input")) {
        text.append(block.path("input").toString());
      }
    }
    return text.toString();
  }

  @Override
  public String toString() {
    return "ModelRequest#"
        + index
        + "(turns="
        + assistantTurns()
        + ", last user text="
        + lastUserText()
        + ")";
  }
}
