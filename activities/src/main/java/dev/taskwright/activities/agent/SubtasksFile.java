package dev.taskwright.activities.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.taskwright.workflows.Limits;
import dev.taskwright.workflows.model.SubtaskRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the subtasks an agent wrote to its subtasks file: a JSON array of {@code {name, title,
 * prompt, dependsOn}} objects (other fields are ignored, so an agent that adds a note does no
 * harm).
 *
 * <p>The file is checked as strictly as a task file, because its subtasks start as child workflows
 * whose IDs come from the names: names unique and safe as an ID segment, dependencies among the
 * siblings and free of cycles, every prompt given, at most {@link #MAX_SUBTASKS}. A file that
 * breaks a rule is rejected whole, with every problem found and the format spelled out, since the
 * text goes back to the agent, which then writes the file again.
 */
final class SubtasksFile {

  /** More subtasks than this is a plan for a person to review, not a split an agent makes alone. */
  static final int MAX_SUBTASKS = 50;

  /**
   * Prompts travel in workflow history; a subtask that needs more should read a file in the
   * repository.
   */
  static final int MAX_PROMPT_CHARS = 10_000;

  /** Titles become commit subjects. */
  static final int MAX_TITLE_CHARS = 200;

  /**
   * The same rule as a task ID (DESIGN §3), since a name becomes the last segment of the child's
   * ID.
   */
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /** The format, as the agent is told it in its system prompt and again in every error. */
  static final String FORMAT =
      "a JSON array with one object per subtask: {\"name\": \"parser\", \"title\": \"one line\","
          + " \"prompt\": \"what the subtask's agent must do\", \"dependsOn\": [\"lexer\"]}."
          + " \"name\" is lower-case letters, digits and dashes, at most 63 characters, starting"
          + " with a letter or digit, and unique; leave it out to name a subtask by its position"
          + " (1, 2, ...). \"prompt\" is required and must stand on its own. \"dependsOn\" lists"
          + " the names of sibling subtasks that must finish first (no cycles); leave it out when"
          + " there are none. At most "
          + MAX_SUBTASKS
          + " subtasks.";

  /** The file breaks the format; the message says how and what to write instead. */
  static final class Malformed extends Exception {
    Malformed(String message) {
      super(message);
    }
  }

  private SubtasksFile() {}

  /** A file this much larger than {@link Limits#SUBTASKS_BYTES} is refused before it is read. */
  static final int MAX_FILE_BYTES = 4 * Limits.SUBTASKS_BYTES;

  /** Refuses, without reading it, a subtasks file far larger than all the subtasks may be. */
  static void checkFileSize(Path file) throws Malformed {
    try {
      if (Files.isRegularFile(file) && Files.size(file) > MAX_FILE_BYTES) {
        throw malformed(
            file.toString(),
            List.of(
                "it is "
                    + Files.size(file)
                    + " bytes, and all the subtasks together may take at"
                    + " most "
                    + Limits.SUBTASKS_BYTES
                    + " bytes; split the work into fewer, shorter subtasks and put long"
                    + " instructions in files in the repository that the prompts name"));
      }
    } catch (IOException e) {
      // Unreadable now: reading it says so.
    }
  }

  /**
   * The subtasks in {@code content}, with every name filled in (a missing name becomes the
   * subtask's 1-based position) and every title (a missing title becomes the prompt's first line).
   *
   * @param where the file's path, for the error message
   * @throws Malformed when the content is not such an array, with every problem found
   */
  static List<SubtaskRequest> parse(String content, String where) throws Malformed {
    if (content.isBlank()) {
      return List.of();
    }
    JsonNode root;
    try {
      // Trailing text after the array would otherwise be ignored, and with it whatever the agent
      // meant by it.
      root =
          Json.MAPPER
              .reader()
              .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
              .readTree(content);
    } catch (JsonProcessingException e) {
      String at =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw malformed(where, List.of("it is not valid JSON (" + e.getOriginalMessage() + at + ")"));
    }
    if (root == null || !root.isArray()) {
      throw malformed(where, List.of("it holds " + kind(root) + ", not a JSON array"));
    }
    if (root.size() > MAX_SUBTASKS) {
      throw malformed(
          where,
          List.of(
              "it lists " + root.size() + " subtasks; at most " + MAX_SUBTASKS + " are allowed"));
    }
    List<String> problems = new ArrayList<>();
    List<SubtaskRequest> subtasks = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      subtasks.add(subtask(root.get(i), i + 1, problems));
    }
    checkNames(subtasks, problems);
    if (problems.isEmpty()) {
      checkDependencies(subtasks, problems);
    }
    if (problems.isEmpty()) {
      checkTotal(subtasks, problems);
    }
    if (!problems.isEmpty()) {
      throw malformed(where, problems);
    }
    return List.copyOf(subtasks);
  }

  /**
   * The subtasks travel in the run's outcome, in workflow history: all of them together stay under
   * the limit.
   */
  private static void checkTotal(List<SubtaskRequest> subtasks, List<String> problems) {
    int bytes;
    try {
      bytes = Json.MAPPER.writeValueAsBytes(subtasks).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot measure the subtasks", e);
    }
    if (bytes > Limits.SUBTASKS_BYTES) {
      problems.add(
          "the subtasks take "
              + bytes
              + " bytes in all, and at most "
              + Limits.SUBTASKS_BYTES
              + " are allowed; make the prompts shorter and put long instructions in files in the"
              + " repository that the prompts name");
    }
  }

  private static SubtaskRequest subtask(JsonNode node, int position, List<String> problems) {
    String label = "subtask " + position;
    if (!node.isObject()) {
      problems.add(label + " is " + kind(node) + ", not an object");
      return new SubtaskRequest(String.valueOf(position), "", "", List.of());
    }
    String name = text(node, "name", label, problems);
    name = name == null || name.isBlank() ? String.valueOf(position) : name.strip();
    label = "subtask " + position + " (" + name + ")";
    String prompt = text(node, "prompt", label, problems);
    if (prompt == null || prompt.isBlank()) {
      problems.add(label + " has no \"prompt\"; say what its agent must do");
      prompt = "";
    } else if (prompt.length() > MAX_PROMPT_CHARS) {
      problems.add(
          label
              + " has a prompt of "
              + prompt.length()
              + " characters; keep it under "
              + MAX_PROMPT_CHARS
              + " and put longer instructions in a file in the repository that the prompt names");
    }
    String title = text(node, "title", label, problems);
    if (title == null || title.isBlank()) {
      title = firstLine(prompt);
    } else if (title.length() > MAX_TITLE_CHARS) {
      problems.add(
          label
              + " has a title of "
              + title.length()
              + " characters; keep it to one line under "
              + MAX_TITLE_CHARS);
    }
    // Each sibling counts once, however often it is listed: the list travels in workflow history.
    List<String> dependsOn =
        List.copyOf(new LinkedHashSet<>(names(node.get("dependsOn"), label, problems)));
    return new SubtaskRequest(name, title.strip().replaceAll("\\s+", " "), prompt, dependsOn);
  }

  /** A string field, or null when absent or null; anything else is a problem. */
  private static String text(JsonNode node, String field, String label, List<String> problems) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      problems.add(label + " has a \"" + field + "\" that is " + kind(value) + ", not a string");
      return null;
    }
    return value.asText();
  }

  private static List<String> names(JsonNode value, String label, List<String> problems) {
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      problems.add(
          label + " has a \"dependsOn\" that is " + kind(value) + ", not an array of names");
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (JsonNode element : value) {
      if (element.isTextual()) {
        names.add(element.asText().strip());
      } else if (element.isIntegralNumber()) {
        // A subtask without a name is named by its position, and a number is the natural way to
        // write that.
        names.add(element.asText());
      } else {
        problems.add(
            label + " lists " + kind(element) + " in \"dependsOn\"; list names as strings");
      }
    }
    return names;
  }

  private static void checkNames(List<SubtaskRequest> subtasks, List<String> problems) {
    Map<String, Integer> firstPosition = new HashMap<>();
    for (int i = 0; i < subtasks.size(); i++) {
      String name = subtasks.get(i).name();
      if (!NAME.matcher(name).matches()) {
        problems.add(
            "subtask "
                + (i + 1)
                + " has the name \""
                + name
                + "\"; use lower-case letters, digits and dashes,"
                + " starting with a letter or digit, at most 63 characters");
      }
      Integer earlier = firstPosition.putIfAbsent(name, i + 1);
      if (earlier != null) {
        problems.add(
            "subtasks "
                + earlier
                + " and "
                + (i + 1)
                + " are both named \""
                + name
                + "\"; give each a name of its own");
      }
    }
  }

  private static void checkDependencies(List<SubtaskRequest> subtasks, List<String> problems) {
    Map<String, SubtaskRequest> byName = new LinkedHashMap<>();
    subtasks.forEach(subtask -> byName.put(subtask.name(), subtask));
    for (SubtaskRequest subtask : subtasks) {
      for (String dependency : subtask.dependsOn()) {
        if (dependency.equals(subtask.name())) {
          problems.add(
              "subtask \""
                  + subtask.name()
                  + "\" depends on itself; remove it from its own \"dependsOn\"");
        } else if (!byName.containsKey(dependency)) {
          problems.add(
              "subtask \""
                  + subtask.name()
                  + "\" depends on \""
                  + dependency
                  + "\", which is not one of the"
                  + " subtasks ("
                  + String.join(", ", byName.keySet())
                  + ")");
        }
      }
    }
    if (problems.isEmpty()) {
      List<String> cycle = findCycle(byName);
      if (!cycle.isEmpty()) {
        problems.add(
            "the subtasks depend on each other in a cycle ("
                + String.join(" -> ", cycle)
                + "), so none of them could start; remove one of these dependencies");
      }
    }
  }

  /** One cycle, as names from a subtask back to itself, or empty when there is none. */
  private static List<String> findCycle(Map<String, SubtaskRequest> byName) {
    Set<String> done = new LinkedHashSet<>();
    for (String start : byName.keySet()) {
      List<String> path = new ArrayList<>();
      List<String> cycle = visit(start, byName, path, done);
      if (!cycle.isEmpty()) {
        return cycle;
      }
    }
    return List.of();
  }

  /**
   * Depth-first: {@code path} holds the names being visited, so meeting one of them again closes a
   * cycle.
   */
  private static List<String> visit(
      String name, Map<String, SubtaskRequest> byName, List<String> path, Set<String> done) {
    int onPath = path.indexOf(name);
    if (onPath >= 0) {
      List<String> cycle = new ArrayList<>(path.subList(onPath, path.size()));
      cycle.add(name);
      return cycle;
    }
    if (done.contains(name)) {
      return List.of();
    }
    path.add(name);
    for (String dependency : byName.get(name).dependsOn()) {
      List<String> cycle = visit(dependency, byName, path, done);
      if (!cycle.isEmpty()) {
        return cycle;
      }
    }
    path.remove(path.size() - 1);
    done.add(name);
    return List.of();
  }

  private static Malformed malformed(String where, List<String> problems) {
    return new Malformed(
        "The subtasks file "
            + where
            + " is not valid: "
            + String.join("; ", problems)
            + ". Write the whole file again as "
            + FORMAT
            + " If the work should not be split after all, delete the file.");
  }

  private static String firstLine(String text) {
    String stripped = text.strip();
    int newline = stripped.indexOf('\n');
    String line = newline < 0 ? stripped : stripped.substring(0, newline);
    return line.length() <= 72 ? line : line.substring(0, 71) + "…";
  }

  private static String kind(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }
}
