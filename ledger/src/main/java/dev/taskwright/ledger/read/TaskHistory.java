package dev.taskwright.ledger.read;

import dev.taskwright.workflows.model.RunRecord;
import dev.taskwright.workflows.model.TaskRecord;
import dev.taskwright.workflows.model.TransitionRecord;
import java.util.List;

/**
 * Everything the ledger knows about one task, read back as the records the worker wrote: its row,
 * its runs and its transitions, oldest first.
 */
public record TaskHistory(
    TaskRecord task, List<RunRecord> runs, List<TransitionRecord> transitions) {}
