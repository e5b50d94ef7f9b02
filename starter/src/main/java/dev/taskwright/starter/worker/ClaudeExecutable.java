package dev.taskwright.starter.worker;

import dev.taskwright.starter.CliEnvironment;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the Claude Code CLI the way the worker will run it: {@code TASKWRIGHT_CLAUDE_BIN}, else {@code claude} on {@code PATH}. */
public final class ClaudeExecutable {
  private ClaudeExecutable() {}

  public static final String DEFAULT_NAME = "claude";

  /** The configured executable name or path, not yet looked up. */
  public static String configured(CliEnvironment environment) {
    String configured = environment.get(CliEnvironment.CLAUDE_BIN);
    return configured == null ? DEFAULT_NAME : configured;
  }

  /** The executable file the name resolves to, if there is one. */
  public static Optional<Path> find(CliEnvironment environment) {
    String name = configured(environment);
    if (name.contains(File.separator)) {
      Path path = environment.workingDirectory().resolve(name);
      return Files.isRegularFile(path) && Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
    }
    String searchPath = environment.get("PATH");
    if (searchPath == null) {
      return Optional.empty();
    }
    for (String directory : searchPath.split(File.pathSeparator)) {
      if (directory.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(directory, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
