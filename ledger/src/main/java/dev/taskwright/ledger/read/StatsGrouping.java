package dev.taskwright.ledger.read;

/** What {@code stats} adds up by. */
public enum StatsGrouping {
  DAY,
  REPO,
  AGENT
}
