package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What cleanup did with a task's worktree.
 *
 * @param removed true when the worktree is gone (now or already)
 * @param keptBecause why it was kept, when it was (for example uncommitted changes), else null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CleanupResult(boolean removed, String keptBecause) {}
