package dev.taskwright.ledger.read;

import java.time.Instant;

/** One state change of a task. */
public record TransitionRow(Instant at, String from, String to, String reason) {}
