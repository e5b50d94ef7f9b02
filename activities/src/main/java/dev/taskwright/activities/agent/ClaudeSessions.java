package dev.taskwright.activities.agent;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where Claude Code keeps its sessions: {@code <config>/projects/<cwd with every character that is
 * not a letter or digit replaced by '-'>/<session-id>.jsonl}, where {@code <config>} is {@code
 * $CLAUDE_CONFIG_DIR}, else {@code $HOME/.claude} (checked with Claude Code 2.1.329: the file
 * appears as soon as the CLI has taken the prompt, before the model answers).
 */
final class ClaudeSessions {
  private ClaudeSessions() {}

  /** The agent's configuration folder, as the CLI will see it in {@code environment}. */
  static Path configDir(Map<String, String> environment) {
    String configured = environment.get("CLAUDE_CONFIG_DIR");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    String home = environment.getOrDefault("HOME", System.getProperty("user.home"));
    return Path.of(home, ".claude");
  }

  static String projectFolderName(Path workingDirectory) {
    return workingDirectory.toString().replaceAll("[^A-Za-z0-9]", "-");
  }

  /**
   * True when the CLI created {@code sessionId}. Looks in the working directory's project folder
   * first, then in every project folder, since the CLI shortens very long folder names.
   */
  static boolean exists(Path configDir, Path workingDirectory, String sessionId) {
    if (sessionId == null) {
      return false;
    }
    String fileName = sessionId + ".jsonl";
    Path projects = configDir.resolve("projects");
    for (Path cwd : new Path[] {workingDirectory, realPath(workingDirectory)}) {
      if (Files.isRegularFile(projects.resolve(projectFolderName(cwd)).resolve(fileName))) {
        return true;
      }
    }
    if (!Files.isDirectory(projects)) {
      return false;
    }
    try (DirectoryStream<Path> folders = Files.newDirectoryStream(projects, Files::isDirectory)) {
      for (Path folder : folders) {
        if (Files.isRegularFile(folder.resolve(fileName))) {
          return true;
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  private static Path realPath(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path;
    }
  }
}
