package dev.taskwright.starter.temporal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A child process that leads a process group of its own, and is stopped together with everything
 * it started: by its owner, or, should the JVM end first, by a shutdown hook.
 *
 * <p>Its own group keeps it out of reach of the terminal's Ctrl-C, which signals the whole
 * foreground group: a server sharing the group would stop at the same instant as the worker that
 * talks to it, in the middle of that worker's graceful shutdown. Apart, only we stop it, after the
 * worker; the group also lets {@link #close()} reach children the process may have orphaned.
 */
final class GroupedProcess implements AutoCloseable {

  /** How long the process gets after SIGTERM to write its state out before it is killed. */
  static final Duration STOP_GRACE = Duration.ofSeconds(10);

  /** How long to wait for a killed process to be gone; SIGKILL is not refused, so only a hung kernel exceeds it. */
  static final Duration KILL_WAIT = Duration.ofSeconds(5);

  /**
   * How long the JVM's shutdown hook leaves the stopping of a running process to its owner, which
   * stops it after the worker's graceful shutdown (up to 30 s). Past it, the hook stops it itself.
   */
  static final Duration HOOK_PATIENCE = Duration.ofSeconds(60);

  /** {@code setsid} starts the process as the leader of a new group; absent on some systems. */
  private static final Path SETSID = findSetsid();

  private final Process process;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread shutdownHook = new Thread(this::stopUnlessOwnerDoes, "taskwright-child-process-stop");
  private volatile boolean running;

  private GroupedProcess(Process process) {
    this.process = process;
  }

  /**
   * Starts {@code command} in its own process group with its output (stdout and stderr) appended
   * to {@code output} and nothing on its stdin.
   */
  static GroupedProcess start(List<String> command, Path output) throws IOException {
    List<String> grouped = new ArrayList<>();
    if (SETSID != null) {
      // -w: should setsid need to fork, it still waits, so the Process lives as long as the command.
      grouped.addAll(List.of(SETSID.toString(), "-w"));
    }
    grouped.addAll(command);
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

  boolean isAlive() {
    return process.isAlive();
  }

  int exitValue() {
    return process.exitValue();
  }

  /**
   * Says the process is up and its owner will stop it: from now on the shutdown hook gives the
   * owner {@link #HOOK_PATIENCE} to do so. Before, there is nothing to be graceful for (Ctrl-C while
   * waiting for the process to come up), and the hook stops it at once.
   */
  void running() {
    running = true;
  }

  /**
   * Stops the process and whatever it started: SIGTERM to its group and to each descendant,
   * SIGKILL after {@link #STOP_GRACE}, then waits until they are gone. A second call waits for the
   * first.
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

  private void killTree() {
    Set<ProcessHandle> tree = new LinkedHashSet<>();
    tree.add(process.toHandle());
    process.descendants().forEach(tree::add);
    signalGroup("TERM");
    tree.forEach(ProcessHandle::destroy);
    if (!awaitGone(tree, STOP_GRACE)) {
      process.descendants().forEach(tree::add);
      signalGroup("KILL");
      tree.forEach(ProcessHandle::destroyForcibly);
      awaitGone(tree, KILL_WAIT);
    }
    // Anything that left the tree but stayed in the group.
    signalGroup("KILL");
  }

  private static boolean awaitGone(Set<ProcessHandle> processes, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ProcessHandle process : processes) {
      try {
        process.onExit().get(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (Exception timedOutOrGone) {
        if (process.isAlive()) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Signals the whole process group. Java has no API for that, so it runs {@code kill}; a group
   * that is already gone makes {@code kill} fail quietly, which is fine.
   */
  private void signalGroup(String signal) {
    if (SETSID == null) {
      return;
    }
    try {
      Process kill =
          new ProcessBuilder("kill", "-s", signal, "--", "-" + process.pid())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!kill.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        kill.destroyForcibly();
      }
    } catch (IOException e) {
      // The direct signals to each process of the tree still go out.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Path findSetsid() {
    for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
      Path path = Path.of(candidate);
      if (Files.isExecutable(path)) {
        return path;
      }
    }
    return null;
  }
}
