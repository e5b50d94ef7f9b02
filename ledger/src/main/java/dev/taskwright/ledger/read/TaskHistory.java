package dev.taskwright.ledger.read;

import java.util.List;

/** Everything the ledger knows about one task: its row, its runs and its transitions, oldest first. */
public record TaskHistory(TaskRow task, List<RunRow> runs, List<TransitionRow> transitions) {}
