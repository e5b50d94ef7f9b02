package dev.taskwright.starter.temporal;

import dev.taskwright.activities.agent.ProcessTree;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A child process that leads a process group of its own, and is stopped together with everything it
 * started: by its owner, or, should the JVM end first, by a shutdown hook.
 *
 * <p>Its own group keeps it out of reach of the terminal's Ctrl-C, which signals the whole
 * foreground group: a server sharing the group would stop at the same instant as the worker that
 * talks to it, in the middle of that worker's graceful shutdown. Apart, only we stop it, after the
 * worker; the group also lets {@link #close()} reach children the process may have orphaned.
 */
final class GroupedProcess implements AutoCloseable {

  /** How long the process gets after SIGTERM to write its state out before it is killed. */
  static final Duration STOP_GRACE = Duration.ofSeconds(10);

  /**
   * How long the JVM's shutdown hook leaves the stopping of a running process to its owner, which
   * stops it after the worker's graceful shutdown (up to 30 s). Past it, the hook stops it itself.
   */
  static final Duration HOOK_PATIENCE = Duration.ofSeconds(60);

  private final Process process;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread shutdownHook =
      new Thread(this::stopUnlessOwnerDoes, "taskwright-child-process-stop");
  private volatile boolean running;

  private GroupedProcess(Process process) {
    this.process = process;
  }

  /**
   * Starts {@code command} in its own process group with its output (stdout and stderr) appended to
   * {@code output} and nothing on its stdin.
   */
  static GroupedProcess start(List<String> command, Path output) throws IOException {
    // umask 077: what the process creates (the Temporal server's database) is readable by this user
    // only.
    List<String> grouped = ProcessTree.inOwnProcessGroup(umask077(command));
    Process process =
        new ProcessBuilder(grouped)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
            .start();
    // It reads nothing; an open pipe would only be a handle to leak.
    process.getOutputStream().close();
    GroupedProcess started = new GroupedProcess(process);
    Runtime.getRuntime().addShutdownHook(started.shutdownHook);
    return started;
  }

  /** {@code sh -c 'umask 077 && exec "$0" "$@"' command...}: the command, run with umask 077. */
  static List<String> umask077(List<String> command) {
    List<String> wrapped =
        new java.util.ArrayList<>(List.of("sh", "-c", "umask 077 && exec \"$0\" \"$@\""));
    wrapped.addAll(command);
    return wrapped;
  }

  /** The process's handle ({@code setsid} and {@code sh -c exec} keep the command's own PID). */
  ProcessHandle handle() {
    return process.toHandle();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  int exitValue() {
    return process.exitValue();
  }

  /**
   * Says the process is up and its owner will stop it: from now on the shutdown hook gives the
   * owner {@link #HOOK_PATIENCE} to do so. Before, there is nothing to be graceful for (Ctrl-C
   * while waiting for the process to come up), and the hook stops it at once.
   */
  void running() {
    running = true;
  }

  /**
   * Stops the process and whatever it started: SIGTERM to its group and to each descendant, SIGKILL
   * after {@link #STOP_GRACE}, then waits until they are gone. A second call waits for the first.
   */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to; it finds the process stopped and returns.
    }
  }

  private void stopUnlessOwnerDoes() {
    if (running) {
      try {
        if (stopped.await(HOOK_PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    stop();
  }

  private void stop() {
    if (!stopping.compareAndSet(false, true)) {
      awaitStopped();
      return;
    }
    try {
      killTree();
    } finally {
      stopped.countDown();
    }
  }

  /** Waits for a stop already under way; every wait in it is bounded, so this ends too. */
  private void awaitStopped() {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The agents' own process-tree killing: the same SIGTERM, grace, SIGKILL and wait. */
  private void killTree() {
    ProcessTree.kill(process.toHandle(), Set.of(), STOP_GRACE);
  }
}
