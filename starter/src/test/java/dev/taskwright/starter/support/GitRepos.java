package dev.taskwright.starter.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real git repositories for tests, with their own identity so no global configuration is needed.
 */
public final class GitRepos {
  private GitRepos() {}

  /** A repository on branch main with one commit holding README.md. */
  public static Path create(Path directory) throws IOException, InterruptedException {
    Files.createDirectories(directory);
    git(directory, "init", "-q");
    git(directory, "symbolic-ref", "HEAD", "refs/heads/main");
    git(directory, "config", "user.name", "Test User");
    git(directory, "config", "user.email", "test@example.invalid");
    Files.writeString(directory.resolve("README.md"), "# test repository\n");
    git(directory, "add", "-A");
    git(directory, "commit", "-q", "-m", "first commit");
    return directory;
  }

  public static String git(Path directory, String... args)
      throws IOException, InterruptedException {
    return run(true, directory, args);
  }

  /** Like {@link #git}, for a command whose exit code does not tell whether it did its work. */
  public static String tryGit(Path directory, String... args)
      throws IOException, InterruptedException {
    return run(false, directory, args);
  }

  private static String run(boolean mustSucceed, Path directory, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git", "-C", directory.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0 && mustSucceed) {
      throw new IOException(String.join(" ", command) + " failed: " + output);
    }
    return output.strip();
  }
}
