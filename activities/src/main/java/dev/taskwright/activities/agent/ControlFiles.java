package dev.taskwright.activities.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskwright.activities.Home;
import dev.taskwright.workflows.model.Question;
import dev.taskwright.workflows.model.SubtaskRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files an agent writes to talk back to taskwright, in the task's run folder outside the
 * worktree (so they are never committed): its question, its summary, its subtasks.
 */
record ControlFiles(String taskId, Path runDir, Path question, Path summary, Path subtasks) {
  private static final Logger log = LoggerFactory.getLogger(ControlFiles.class);

  static ControlFiles of(Home home, String taskId) {
    Path dir = home.runDir(taskId);
    return new ControlFiles(
        taskId,
        dir,
        dir.resolve("question.json"),
        dir.resolve("summary.md"),
        dir.resolve("subtasks.json"));
  }

  /**
   * Creates the run folder and removes the question, summary and subtasks of an earlier run, so
   * that what is read after this run was written by this run: the subtasks travel in the run's
   * outcome, and a later run that wrote none must not start them a second time.
   */
  void prepare() {
    try {
      dev.taskwright.activities.OwnerOnly.createDirectories(runDir);
      Files.deleteIfExists(question);
      Files.deleteIfExists(summary);
      Files.deleteIfExists(subtasks);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not prepare the run folder " + runDir, e);
    }
  }

  /** The same paths for agents that use a shell. */
  Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("TASKWRIGHT_TASK_ID", taskId);
    env.put("TASKWRIGHT_QUESTION_FILE", question.toString());
    env.put("TASKWRIGHT_SUMMARY_FILE", summary.toString());
    env.put("TASKWRIGHT_SUBTASKS_FILE", subtasks.toString());
    return env;
  }

  /**
   * The agent's question: {@code {"question": "...", "options": [...]}}. Options may be strings or
   * objects with a {@code label}. A file that is not such JSON is still a question: its text is.
   */
  Optional<Question> readQuestion() {
    Optional<String> content = read(question);
    if (content.isEmpty() || content.get().isBlank()) {
      return Optional.empty();
    }
    try {
      JsonNode node = Json.MAPPER.readTree(content.get());
      if (node != null && node.isObject() && node.hasNonNull("question")) {
        List<String> options = new ArrayList<>();
        for (JsonNode option : node.path("options")) {
          options.add(
              option.isTextual()
                  ? option.asText()
                  : option.path("label").asText(option.toString()));
        }
        return Optional.of(new Question(node.get("question").asText(), options));
      }
      if (node != null && node.has("questions")) {
        return Optional.of(ClaudeStream.questionFromToolInput(node));
      }
    } catch (IOException notJson) {
      log.warn("Question file {} is not JSON; taking its text as the question", question);
    }
    return Optional.of(new Question(content.get().strip(), List.of()));
  }

  Optional<String> readSummary() {
    return read(summary).map(String::strip).filter(s -> !s.isEmpty());
  }

  /**
   * The subtasks the agent wrote during this run, empty when it wrote none.
   *
   * @throws SubtasksFile.Malformed when the file breaks the format; the message is for the agent
   */
  List<SubtaskRequest> readSubtasks() throws SubtasksFile.Malformed {
    SubtasksFile.checkFileSize(subtasks);
    Optional<String> content = read(subtasks);
    return content.isEmpty() ? List.of() : SubtasksFile.parse(content.get(), subtasks.toString());
  }

  /**
   * The most of one control file that is read: far more than any limit keeps, so that what was cut
   * can be counted, and little enough that a runaway agent cannot exhaust the worker's memory.
   */
  static final int MAX_READ_BYTES = 64 * 1024 * 1024;

  /**
   * The file's text, or empty when there is none. Bytes that are not UTF-8 and NUL characters
   * (which git and PostgreSQL cannot store) become U+FFFD rather than losing the whole file.
   */
  private static Optional<String> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try (var in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_READ_BYTES);
      if (in.read() >= 0) {
        log.warn("{} is larger than {} bytes; only its beginning is read", file, MAX_READ_BYTES);
      }
      return Optional.of(
          dev.taskwright.workflows.StorableText.replacingWhatCannotBeStored(
              new String(bytes, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      log.warn("Could not read {}: {}", file, e.getMessage());
      return Optional.empty();
    }
  }
}
