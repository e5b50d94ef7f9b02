package dev.taskwright.activities.agent;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds an executable the way a shell would, without a shell: a path, or a name on {@code PATH}.
 * The worker uses it to start agents and the CLI to check, before a task starts, that the worker on
 * this machine will find Claude Code.
 */
public final class Executables {
  private Executables() {}

  static Optional<Path> resolve(String executable, String searchPath) {
    return resolve(executable, searchPath, Path.of("").toAbsolutePath());
  }

  /**
   * As {@link #resolve(String, String)}, with a relative path taken from {@code workingDirectory}.
   */
  public static Optional<Path> resolve(
      String executable, String searchPath, Path workingDirectory) {
    if (executable == null || executable.isBlank()) {
      return Optional.empty();
    }
    try {
      if (executable.contains(File.separator)) {
        Path path = workingDirectory.resolve(executable).toAbsolutePath();
        return isExecutableFile(path) ? Optional.of(path) : Optional.empty();
      }
      if (searchPath == null) {
        return Optional.empty();
      }
      for (String dir : searchPath.split(File.pathSeparator)) {
        if (!dir.isEmpty()) {
          Path candidate = Path.of(dir, executable);
          if (isExecutableFile(candidate)) {
            return Optional.of(candidate.toAbsolutePath());
          }
        }
      }
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static boolean isExecutableFile(Path path) {
    return Files.isRegularFile(path) && Files.isExecutable(path);
  }
}
