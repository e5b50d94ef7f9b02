package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Turns, tokens and cost of one run, or of a whole task when added up.
 *
 * @param turns model turns
 * @param inputTokens uncached input tokens
 * @param outputTokens output tokens
 * @param cacheReadTokens input tokens read from the prompt cache
 * @param cacheCreationTokens input tokens written to the prompt cache; absent (0) in histories
 *     recorded before it was counted
 * @param costUsd what the run cost, as the agent reported it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Usage(
    int turns,
    long inputTokens,
    long outputTokens,
    long cacheReadTokens,
    long cacheCreationTokens,
    double costUsd) {

  public static final Usage NONE = new Usage(0, 0, 0, 0, 0, 0.0);

  /**
   * Input, output and cache-read tokens, as {@code status} has always shown them; cache writes are
   * counted apart.
   */
  public long totalTokens() {
    return inputTokens + outputTokens + cacheReadTokens;
  }

  public Usage plus(Usage other) {
    return new Usage(
        turns + other.turns,
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        cacheReadTokens + other.cacheReadTokens,
        cacheCreationTokens + other.cacheCreationTokens,
        costUsd + other.costUsd);
  }
}
