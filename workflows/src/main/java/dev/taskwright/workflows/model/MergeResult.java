package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * How merging a task branch into its target went.
 *
 * @param status how the merge ended
 * @param mergeCommit the merge commit's SHA when MERGED, else null
 * @param conflictFiles the conflicting paths when CONFLICT, else empty
 * @param message one line for people: what happened and, when not merged, what to do
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MergeResult(
    MergeStatus status, String mergeCommit, List<String> conflictFiles, String message) {
  public MergeResult {
    conflictFiles = conflictFiles == null ? List.of() : List.copyOf(conflictFiles);
  }
}
