package dev.taskwright.activities.workspace;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the git CLI: one process per command, arguments as a list and never through a shell, so no
 * path, ref or commit title can be read as shell syntax.
 *
 * <p>The environment is the worker's own, so the user's git configuration (identity, signing, safe
 * directories) applies, with these changes: git must never wait for a person (no terminal prompt,
 * no editor, no pager), its messages are in English so that they read the same in every log, and
 * the variables that point git at another repository ({@code GIT_DIR} and friends, set when the
 * worker itself runs inside a git hook) are removed so each command works on the folder it is given
 * with {@code -C}.
 */
final class Git {

  private static final Logger log = LoggerFactory.getLogger(Git.class);

  /**
   * Below the workspace activities' five-minute start-to-close timeout, so a stuck git command
   * comes back as a {@code GIT_FAILED} with its stderr instead of an anonymous activity timeout.
   */
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(4);

  /**
   * Variables that would make git work on some other repository than the one named by {@code -C}.
   */
  private static final List<String> REPOSITORY_VARIABLES =
      List.of(
          "GIT_DIR",
          "GIT_WORK_TREE",
          "GIT_INDEX_FILE",
          "GIT_OBJECT_DIRECTORY",
          "GIT_ALTERNATE_OBJECT_DIRECTORIES",
          "GIT_COMMON_DIR",
          "GIT_NAMESPACE",
          "GIT_PREFIX");

  /** Values that keep git from ever waiting for a person who is not there. */
  private static final Map<String, String> UNATTENDED =
      Map.of(
          "GIT_TERMINAL_PROMPT", "0",
          "GIT_EDITOR", "true",
          "GIT_SEQUENCE_EDITOR", "true",
          "GIT_PAGER", "cat",
          "PAGER", "cat",
          "LC_ALL", "C");

  /**
   * Stream readers are daemon threads, so a git child that never closes its output cannot keep the
   * JVM alive.
   */
  private static final ExecutorService STREAM_READERS =
      Executors.newCachedThreadPool(
          runnable -> {
            Thread thread = new Thread(runnable, "git-output");
            thread.setDaemon(true);
            return thread;
          });

  private final Map<String, String> environment;
  private final Duration timeout;

  /** Git as the worker runs it: the worker's environment, made unattended. */
  static Git standard() {
    return withOverrides(Map.of(), DEFAULT_TIMEOUT);
  }

  /**
   * @param overrides variables set on top of the worker's environment (tests use it to give git a
   *     configuration of their own)
   */
  static Git withOverrides(Map<String, String> overrides, Duration timeout) {
    Map<String, String> env = new HashMap<>(System.getenv());
    REPOSITORY_VARIABLES.forEach(env::remove);
    env.putAll(UNATTENDED);
    env.putAll(overrides);
    return new Git(env, timeout);
  }

  private Git(Map<String, String> environment, Duration timeout) {
    this.environment = Map.copyOf(environment);
    this.timeout = timeout;
  }

  /**
   * The same git, but one that never looks above {@code worktree} for a repository. Commands that
   * change a task's worktree use it, so that a worktree folder that lost its {@code .git} file can
   * never lead git to an enclosing repository (a home folder kept in git, say) and change that.
   */
  Git confinedTo(Path worktree) {
    Map<String, String> env = new HashMap<>(environment);
    env.put("GIT_CEILING_DIRECTORIES", worktree.toAbsolutePath().getParent().toString());
    return new Git(env, timeout);
  }

  /** What one git command did. */
  record Result(List<String> command, int exitCode, String stdout, String stderr) {

    boolean succeeded() {
      return exitCode == 0;
    }

    /** Standard output without its trailing newline, as most plumbing commands print one value. */
    String out() {
      return stdout.strip();
    }

    /** The command line as a person would type it, for messages and logs. */
    String commandLine() {
      return String.join(" ", command);
    }
  }

  /**
   * Runs {@code git -C dir args...} and returns its result; throws only when git did not finish.
   */
  Result tryRun(Path dir, List<String> args) {
    return tryRun(dir, args, null);
  }

  /**
   * Runs {@code git -C dir args...} with {@code input} as its standard input. Text that may hold
   * any character (a commit message) goes this way, as UTF-8 bytes: arguments are encoded in the
   * JVM's platform charset, which turns every non-ASCII character into '?' when the worker runs in
   * the POSIX locale (as it does in many containers).
   *
   * @param input the text to send, or null to send nothing
   */
  Result tryRun(Path dir, List<String> args, String input) {
    List<String> command = new ArrayList<>(List.of("git", "--no-pager", "-C", dir.toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new GitCommandException(
          command,
          -1,
          "git could not be started ("
              + e.getMessage()
              + "); install git on this host and put it on PATH");
    }
    try {
      // Closing stdin after the input also makes anything that tries to ask a question fail at
      // once.
      try (var stdin = process.getOutputStream()) {
        if (input != null) {
          stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
      }
      CompletableFuture<String> stdout = readAll(process.getInputStream());
      CompletableFuture<String> stderr = readAll(process.getErrorStream());
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(process);
        throw new GitCommandException(
            command, -1, "timed out after " + timeout.toSeconds() + " s and was killed");
      }
      Result result =
          new Result(
              command,
              process.exitValue(),
              stdout.get(10, TimeUnit.SECONDS),
              stderr.get(10, TimeUnit.SECONDS));
      log.debug("{} -> exit {}", result.commandLine(), result.exitCode());
      return result;
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      throw new GitCommandException(command, -1, "interrupted and killed");
    } catch (IOException | ExecutionException | TimeoutException e) {
      kill(process);
      throw new GitCommandException(command, -1, "output could not be read: " + e);
    }
  }

  Result tryRun(Path dir, String... args) {
    return tryRun(dir, List.of(args));
  }

  /**
   * Runs {@code git -C dir args...} and returns its result, or throws {@link GitCommandException}
   * when it failed.
   */
  Result run(Path dir, List<String> args) {
    return run(dir, args, null);
  }

  /** Like {@link #run(Path, List)}, with {@code input} as standard input. */
  Result run(Path dir, List<String> args, String input) {
    Result result = tryRun(dir, args, input);
    if (!result.succeeded()) {
      throw new GitCommandException(result.command(), result.exitCode(), result.stderr());
    }
    return result;
  }

  Result run(Path dir, String... args) {
    return run(dir, List.of(args));
  }

  private static CompletableFuture<String> readAll(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        STREAM_READERS);
  }

  /** Kills git and whatever it started (hooks, filters, credential helpers), then waits for it. */
  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
