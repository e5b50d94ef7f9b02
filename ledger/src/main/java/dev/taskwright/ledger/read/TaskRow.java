package dev.taskwright.ledger.read;

import java.time.Instant;
import java.util.List;

/** One task as the ledger holds it. Field meanings as in {@code TaskRecord}. */
public record TaskRow(
    String id,
    String parentId,
    String plan,
    String title,
    String repo,
    String baseRef,
    String branch,
    String agent,
    String model,
    String state,
    String reason,
    String question,
    String summary,
    List<String> commits,
    int turns,
    long inputTokens,
    long outputTokens,
    long cacheReadTokens,
    double costUsd,
    String error,
    Instant createdAt,
    Instant updatedAt,
    Instant finishedAt) {

  public long totalTokens() {
    return inputTokens + outputTokens + cacheReadTokens;
  }
}
