package dev.taskwright.activities.agent;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** Finds an executable the way a shell would, without a shell: a path, or a name on {@code PATH}. */
final class Executables {
  private Executables() {}

  static Optional<Path> resolve(String executable, String searchPath) {
    if (executable == null || executable.isBlank()) {
      return Optional.empty();
    }
    try {
      if (executable.contains(File.separator)) {
        Path path = Path.of(executable).toAbsolutePath();
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
