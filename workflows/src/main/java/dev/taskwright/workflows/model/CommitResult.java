package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What the task branch holds after committing.
 *
 * @param commits SHAs of {@code baseCommit..HEAD}, oldest first
 * @param head the branch's head SHA
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CommitResult(List<String> commits, String head) {
  public CommitResult {
    commits = commits == null ? List.of() : List.copyOf(commits);
  }
}
