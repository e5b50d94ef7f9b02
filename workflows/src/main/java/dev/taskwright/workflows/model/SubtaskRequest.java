package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A subtask as an agent writes it to its subtasks file: a JSON list of these.
 *
 * @param name short name, unique among its siblings; the child's ID is {@code <parent>.<name>} (or
 *     {@code <parent>.<n>}, its 1-based position, when no name is given)
 * @param title one line
 * @param prompt what the child's agent is asked to do
 * @param dependsOn names of sibling subtasks that must complete first
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SubtaskRequest(String name, String title, String prompt, List<String> dependsOn) {
  public SubtaskRequest {
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
  }
}
