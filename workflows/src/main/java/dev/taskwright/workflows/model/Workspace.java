package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A task's git worktree, as prepared on one worker host.
 *
 * @param path absolute path of the worktree
 * @param branch the task branch, {@code taskwright/<task-id>}
 * @param baseCommit the SHA the branch started from
 * @param host the worker host whose disk holds the worktree; later activities run on its queues
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Workspace(String path, String branch, String baseCommit, String host) {}
