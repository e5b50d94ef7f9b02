package dev.taskwright.workflows.model;

import java.util.List;

/**
 * What the task branch holds after committing.
 *
 * @param commits SHAs of {@code baseCommit..HEAD}, oldest first
 * @param head the branch's head SHA
 */
public record CommitResult(List<String> commits, String head) {
  public CommitResult {
    commits = commits == null ? List.of() : List.copyOf(commits);
  }
}
