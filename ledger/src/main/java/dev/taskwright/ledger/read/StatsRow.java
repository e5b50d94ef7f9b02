package dev.taskwright.ledger.read;

/**
 * Totals for one day, repository or agent.
 *
 * @param key the day (yyyy-MM-dd, local time), the repository or the agent
 */
public record StatsRow(
    String key, long tasks, long runs, long inputTokens, long outputTokens, long cacheReadTokens, double costUsd) {

  public long totalTokens() {
    return inputTokens + outputTokens + cacheReadTokens;
  }
}
