package dev.taskwright.ledger.read;

import java.time.Instant;

/** One agent run of a task. Field meanings as in {@code RunRecord}. */
public record RunRow(
    int number,
    String kind,
    String sessionId,
    Instant startedAt,
    Instant endedAt,
    String outcome,
    int turns,
    long inputTokens,
    long outputTokens,
    long cacheReadTokens,
    double costUsd,
    String logPath,
    String error) {}
