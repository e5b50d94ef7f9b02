package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What the task branch holds after committing.
 *
 * @param commits SHAs of {@code baseCommit..HEAD}, oldest first
 * @param head the branch's head SHA
 * @param outsideLinks symbolic links in the task's commits that point outside the worktree, as
 *     {@code path -> target}; empty when none (a warning for status and the review)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CommitResult(List<String> commits, String head, List<String> outsideLinks) {
  public CommitResult {
    outsideLinks = outsideLinks == null ? List.of() : List.copyOf(outsideLinks);
    commits = commits == null ? List.of() : List.copyOf(commits);
  }
}
