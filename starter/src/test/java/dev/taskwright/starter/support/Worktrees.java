package dev.taskwright.starter.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Where a worker made a task's worktree, for tests whose scripted model writes into it. */
public final class Worktrees {
  private Worktrees() {}

  /**
   * The worktree of {@code taskId} under {@code home}: {@code <home>/worktrees/<repo folder>/<id>}.
   * The repository folder's name carries a hash, so it is found rather than computed.
   */
  public static Path find(Path home, String taskId) {
    Path root = home.resolve("worktrees");
    try (Stream<Path> repos = Files.list(root)) {
      return repos
          .map(repo -> repo.resolve(taskId))
          .filter(Files::isDirectory)
          .findFirst()
          .orElseThrow(() -> new AssertionError("no worktree for " + taskId + " under " + root));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
