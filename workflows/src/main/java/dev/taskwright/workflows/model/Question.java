package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** A question the agent asked a person, with the options it offered (may be empty). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Question(String text, List<String> options) {
  public Question {
    options = options == null ? List.of() : List.copyOf(options);
  }
}
