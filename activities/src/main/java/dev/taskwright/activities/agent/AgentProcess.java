package dev.taskwright.activities.agent;

import dev.taskwright.workflows.model.AgentProgress;
import io.temporal.client.ActivityCompletionException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one agent process and watches it: the machinery both drivers share. It records the PID,
 * feeds the prompt on stdin, copies stdout and stderr to the run's log files, hands each stdout
 * line to the driver's {@link OutputWatcher}, heartbeats, and kills the whole process tree on
 * timeout, idleness, cancellation and worker shutdown.
 */
final class AgentProcess {
  private static final Logger log = LoggerFactory.getLogger(AgentProcess.class);

  /**
   * Lines longer than this are kept in the log but not parsed, so one runaway line (a huge tool
   * result) cannot exhaust the worker's memory.
   */
  static final int MAX_PARSED_LINE_BYTES = 32 * 1024 * 1024;

  /** How much of stderr is kept for the error text of a crashed agent. */
  private static final int STDERR_TAIL_CHARS = 4_000;

  /**
   * Agents alive in this JVM. A shutdown hook kills them, so stopping the worker never leaves an
   * agent working in a worktree with nobody watching it.
   */
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () ->
                    LIVE.forEach(
                        p -> ProcessTree.kill(p.toHandle(), Set.of(), Duration.ofSeconds(2))),
                "taskwright-agent-shutdown"));
  }

  /**
   * What to run.
   *
   * @param command executable and arguments, never through a shell
   * @param workingDirectory the worktree
   * @param environment variables added to the worker's own environment
   * @param stdin the prompt
   * @param stdoutLog where stdout goes, appended to when the same run is retried
   * @param stderrLog where stderr goes, appended likewise
   * @param pidRecord the {@code agent.pid} file
   * @param runNumber the task's run number, for the PID record
   * @param timeout how long the run may take, or null for no limit
   * @param idleTimeout how long the agent may print nothing before it is killed
   */
  record Spec(
      List<String> command,
      Path workingDirectory,
      Map<String, String> environment,
      String stdin,
      Path stdoutLog,
      Path stderrLog,
      Path pidRecord,
      int runNumber,
      Duration timeout,
      Duration idleTimeout) {}

  /** How the process ended. */
  enum Ending {
    /** The process exited by itself. */
    EXITED,
    /** The run's timeout passed and the tree was killed. */
    TIMED_OUT,
    /** The agent printed nothing for the idle timeout and the tree was killed. */
    IDLE,
    /** The driver's watcher asked to stop (the agent asked a question) and the tree was killed. */
    STOPPED
  }

  /** The end of a run: how it ended, the exit code (-1 when killed) and the last of stderr. */
  record Result(Ending ending, int exitCode, String stderrTail) {}

  /** The driver's view of the agent's stdout. Called from the reader thread, one line at a time. */
  interface OutputWatcher {
    void onLine(String line);

    /** The progress to heartbeat with; called from the activity thread. */
    AgentProgress progress();

    /** True when the driver has seen enough and wants the agent stopped now. */
    default boolean wantsStop() {
      return false;
    }
  }

  private final ProcessTimings timings;

  AgentProcess(ProcessTimings timings) {
    this.timings = timings;
  }

  /**
   * Runs the process to its end. If {@code heartbeat} throws (Temporal's way of saying the activity
   * was cancelled or the worker is shutting down), the tree is killed and the exception passed on.
   *
   * @throws IOException when the process cannot be started
   */
  Result run(Spec spec, OutputWatcher watcher, ProgressListener heartbeat) throws IOException {
    dev.taskwright.activities.OwnerOnly.createDirectories(spec.stdoutLog().getParent());
    dev.taskwright.activities.OwnerOnly.createDirectories(spec.stderrLog().getParent());
    // Two agents must never work in one worktree: stop what an earlier attempt left behind first.
    PidRecords.killLeftover(spec.pidRecord(), timings.killGrace());

    ProcessBuilder builder =
        new ProcessBuilder(ProcessTree.inOwnProcessGroup(spec.command()))
            .directory(spec.workingDirectory().toFile());
    builder.environment().putAll(spec.environment());
    Process process = builder.start();
    LIVE.add(process);
    log.info(
        "Started agent {} (run {}): {}", process.pid(), spec.runNumber(), spec.command().get(0));
    Set<ProcessHandle> seenDescendants = ConcurrentHashMap.newKeySet();
    AtomicLong lastOutput = new AtomicLong(System.nanoTime());
    StringBuilder stderrTail = new StringBuilder();
    Thread stdinWriter = null;
    Thread stdoutReader = null;
    Thread stderrReader = null;
    try {
      PidRecords.write(
          spec.pidRecord(), process.toHandle(), spec.runNumber(), spec.command().get(0));
      stdinWriter = daemon("agent-stdin-" + process.pid(), () -> writeStdin(process, spec.stdin()));
      stdoutReader =
          daemon(
              "agent-stdout-" + process.pid(),
              () -> pumpStdout(process.getInputStream(), spec.stdoutLog(), watcher, lastOutput));
      stderrReader =
          daemon(
              "agent-stderr-" + process.pid(),
              () -> pumpStderr(process.getErrorStream(), spec.stderrLog(), stderrTail, lastOutput));
      Ending ending = watch(process, spec, watcher, heartbeat, lastOutput, seenDescendants);
      int exitCode = ending == Ending.EXITED ? process.exitValue() : -1;
      // Background jobs the agent left behind still hold its output pipes and may still touch the
      // worktree.
      ProcessTree.killGroup(process.pid());
      seenDescendants.forEach(ProcessHandle::destroyForcibly);
      join(stdoutReader);
      join(stderrReader);
      synchronized (stderrTail) {
        return new Result(ending, exitCode, stderrTail.toString().strip());
      }
    } finally {
      if (process.isAlive()) {
        ProcessTree.kill(process.toHandle(), seenDescendants, timings.killGrace());
      }
      LIVE.remove(process);
      PidRecords.delete(spec.pidRecord());
      if (stdinWriter != null) {
        stdinWriter.interrupt();
      }
    }
  }

  private Ending watch(
      Process process,
      Spec spec,
      OutputWatcher watcher,
      ProgressListener heartbeat,
      AtomicLong lastOutput,
      Set<ProcessHandle> seenDescendants) {
    long started = System.nanoTime();
    long deadline = spec.timeout() == null ? Long.MAX_VALUE : started + spec.timeout().toNanos();
    long idleNanos = spec.idleTimeout().toNanos();
    long heartbeatNanos = timings.heartbeatInterval().toNanos();
    long lastHeartbeat = Long.MIN_VALUE;
    while (true) {
      long now = System.nanoTime();
      if (lastHeartbeat == Long.MIN_VALUE || now - lastHeartbeat >= heartbeatNanos) {
        // Heartbeat even while the agent is silent: a live agent must never miss the heartbeat
        // timeout.
        lastHeartbeat = now;
        try {
          heartbeat.heartbeat(watcher.progress());
        } catch (ActivityCompletionException stop) {
          log.info("Agent {} stops: {}", process.pid(), stop.getClass().getSimpleName());
          ProcessTree.kill(process.toHandle(), seenDescendants, timings.killGrace());
          throw stop;
        }
      }
      try {
        if (process.waitFor(timings.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
          return Ending.EXITED;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ProcessTree.kill(process.toHandle(), seenDescendants, timings.killGrace());
        throw new IllegalStateException(
            "Interrupted while agent " + process.pid() + " ran; it was killed", e);
      }
      process.descendants().forEach(seenDescendants::add);
      now = System.nanoTime();
      Ending reason = null;
      if (now - deadline >= 0) {
        reason = Ending.TIMED_OUT;
      } else if (now - lastOutput.get() >= idleNanos) {
        reason = Ending.IDLE;
      } else if (watcher.wantsStop()) {
        reason = Ending.STOPPED;
      }
      if (reason != null) {
        log.info("Killing agent {}: {}", process.pid(), reason);
        ProcessTree.kill(process.toHandle(), seenDescendants, timings.killGrace());
        return reason;
      }
    }
  }

  private static void writeStdin(Process process, String stdin) {
    try (OutputStream in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // An agent that exits without reading its prompt closes the pipe; its exit code tells the
      // story.
      log.debug("Agent {} did not take its whole prompt: {}", process.pid(), e.getMessage());
    }
  }

  private static void pumpStdout(
      InputStream out, Path logFile, OutputWatcher watcher, AtomicLong lastOutput) {
    LineSplitter lines = new LineSplitter(MAX_PARSED_LINE_BYTES, line -> deliver(watcher, line));
    copyToLog(out, logFile, lastOutput, lines::accept);
    lines.finish();
  }

  private static void deliver(OutputWatcher watcher, String line) {
    try {
      watcher.onLine(line);
    } catch (RuntimeException e) {
      // A line the driver cannot digest must not stop the reader: the agent would block on a full
      // pipe.
      log.warn("Ignoring agent output line the driver could not handle: {}", e.toString());
    }
  }

  private static void pumpStderr(
      InputStream err, Path logFile, StringBuilder tail, AtomicLong lastOutput) {
    copyToLog(
        err,
        logFile,
        lastOutput,
        (bytes, length) -> {
          synchronized (tail) {
            tail.append(new String(bytes, 0, length, StandardCharsets.UTF_8));
            if (tail.length() > STDERR_TAIL_CHARS) {
              tail.delete(0, tail.length() - STDERR_TAIL_CHARS);
            }
          }
        });
  }

  /** Receives each chunk read from an agent's output pipe. */
  private interface ChunkConsumer {
    void accept(byte[] bytes, int length);
  }

  /**
   * Copies an output pipe of the agent to its log file (appending, so a retried run keeps both
   * attempts) until the pipe closes, noting the time of every chunk for the idle watchdog.
   */
  private static void copyToLog(
      InputStream pipe, Path logFile, AtomicLong lastOutput, ChunkConsumer onChunk) {
    try (pipe;
        OutputStream log = dev.taskwright.activities.OwnerOnly.append(logFile)) {
      byte[] buffer = new byte[64 * 1024];
      int read;
      while ((read = pipe.read(buffer)) >= 0) {
        lastOutput.set(System.nanoTime());
        log.write(buffer, 0, read);
        log.flush();
        onChunk.accept(buffer, read);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not copy the agent's output to " + logFile, e);
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void join(Thread thread) {
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
      if (thread.isAlive()) {
        log.warn("{} still running 10 s after the agent ended", thread.getName());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Splits a byte stream into UTF-8 lines, dropping (but counting) lines over the limit. */
  static final class LineSplitter {
    private final int maxLineBytes;
    private final java.util.function.Consumer<String> sink;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean overLimit;

    LineSplitter(int maxLineBytes, java.util.function.Consumer<String> sink) {
      this.maxLineBytes = maxLineBytes;
      this.sink = sink;
    }

    void accept(byte[] bytes, int length) {
      int start = 0;
      for (int i = 0; i < length; i++) {
        if (bytes[i] == '\n') {
          append(bytes, start, i - start);
          emit();
          start = i + 1;
        }
      }
      append(bytes, start, length - start);
    }

    void finish() {
      if (line.size() > 0 || overLimit) {
        emit();
      }
    }

    private void append(byte[] bytes, int from, int count) {
      if (overLimit || count == 0) {
        return;
      }
      if (line.size() + count > maxLineBytes) {
        overLimit = true;
        line.reset();
        return;
      }
      line.write(bytes, from, count);
    }

    private void emit() {
      if (overLimit) {
        log.warn(
            "Skipped an agent output line longer than {} bytes (it is in the log file)",
            maxLineBytes);
      } else {
        sink.accept(line.toString(StandardCharsets.UTF_8));
      }
      line.reset();
      overLimit = false;
    }
  }
}
