package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Turns, tokens and cost of one run, or of a whole task when added up. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Usage(int turns, long inputTokens, long outputTokens, long cacheReadTokens, double costUsd) {

  public static final Usage NONE = new Usage(0, 0, 0, 0, 0.0);

  public long totalTokens() {
    return inputTokens + outputTokens + cacheReadTokens;
  }

  public Usage plus(Usage other) {
    return new Usage(
        turns + other.turns,
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        cacheReadTokens + other.cacheReadTokens,
        costUsd + other.costUsd);
  }
}
