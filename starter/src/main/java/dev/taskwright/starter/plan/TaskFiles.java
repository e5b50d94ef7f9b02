package dev.taskwright.starter.plan;

import dev.taskwright.starter.CliEnvironment;
import dev.taskwright.starter.CliException;
import dev.taskwright.starter.task.PlannedTask;
import dev.taskwright.starter.task.TaskPlanner;
import dev.taskwright.workflows.model.AgentConfig;
import dev.taskwright.workflows.model.TaskSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Loads a task file ({@code taskwright run -f plan.yaml}) into a {@link Plan}, checking all of it
 * before anything starts. The format is in {@code docs/task-files.md}.
 */
public final class TaskFiles {
  private TaskFiles() {}

  /**
   * The largest task file read: 1 MB holds dozens of tasks with long prompts, and keeps each task's
   * workflow input (its prompt and its subtasks') under the Temporal server's payload limit.
   */
  static final int MAX_BYTES = 1024 * 1024;

  /**
   * The plan in {@code typed} (a path as the user typed it, relative to the working directory).
   *
   * @throws TaskFileException with every problem found, one line each (exit 2)
   * @throws CliException when the file cannot be read (exit 2), git fails (exit 1) or a task's
   *     agent is not installed (exit 5)
   */
  public static Plan load(String typed, CliEnvironment environment) {
    Path file;
    try {
      file = environment.workingDirectory().resolve(typed).normalize();
    } catch (InvalidPathException e) {
      throw CliException.badInput(
          "'" + typed + "' is not a valid path; give -f the path of a task file (.yaml)");
    }
    String text = read(typed, file);
    Problems problems = new Problems(typed);
    Plan plan = null;
    try {
      TaskFileReader.TaskFileDraft draft = new TaskFileReader(problems).read(YamlNode.read(text));
      if (draft != null) {
        plan =
            new PlanBuilder(file.getParent(), home(environment), problems)
                .build(draft, file.getFileName().toString(), true);
      }
    } catch (YamlNode.SyntaxError e) {
      if (e.refused) {
        problems.syntax(e.line, e.column, e.getMessage());
      } else {
        problems.syntax(
            e.line,
            e.column,
            "this is not valid YAML: "
                + e.getMessage()
                + "; fix the syntax there (indentation, a missing ':' or quote)");
      }
    }
    if (!problems.isEmpty()) {
      throw new TaskFileException(problems);
    }
    TaskPlanner.requireWritableHome(environment);
    // Last, as for run: a missing agent is exit 5, and every input mistake should be reported
    // first.
    if (plan.tasks().stream().anyMatch(task -> usesClaude(task.spec()))) {
      TaskPlanner.requireClaude(environment);
    }
    return plan;
  }

  private static boolean usesClaude(TaskSpec spec) {
    return spec.agent().type().equals(AgentConfig.CLAUDE)
        || spec.subtasks().stream().anyMatch(TaskFiles::usesClaude);
  }

  /** How many subtasks, at any depth, a top-level task brings with it. */
  public static int subtaskCount(PlannedTask task) {
    return count(task.spec()) - 1;
  }

  private static int count(TaskSpec spec) {
    return 1 + spec.subtasks().stream().mapToInt(TaskFiles::count).sum();
  }

  private static String read(String typed, Path file) {
    if (Files.isDirectory(file)) {
      throw CliException.badInput(
          "task file " + typed + " is a folder; give -f the path of a task file (.yaml)");
    }
    // A FIFO would block the read until a writer comes, and a device (/dev/zero) never ends: only
    // regular files.
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw CliException.badInput(
          "task file "
              + typed
              + " is not a regular file (a pipe, a device or a socket); save the tasks in a .yaml"
              + " file and give -f its path");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      // Only as far as the limit: a huge file (or -f /dev/zero) is refused without filling memory.
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw CliException.badInput(
          "task file " + typed + " does not exist (looked for " + file + ")");
    } catch (AccessDeniedException e) {
      throw CliException.badInput("task file " + typed + " cannot be read: permission denied");
    } catch (IOException e) {
      throw CliException.badInput("cannot read task file " + typed + ": " + e.getMessage());
    }
    if (bytes.length > MAX_BYTES) {
      throw CliException.badInput(
          "task file "
              + typed
              + " is larger than "
              + MAX_BYTES / (1024 * 1024)
              + " MB, the most a task file may be; split it into several files, or move long"
              + " prompts into files in the repository that the prompts refer to");
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw CliException.badInput("task file " + typed + " is not UTF-8 text; save it as UTF-8");
    }
  }

  private static Path home(CliEnvironment environment) {
    String home = environment.get("HOME");
    return Path.of(home != null ? home : System.getProperty("user.home"));
  }
}
