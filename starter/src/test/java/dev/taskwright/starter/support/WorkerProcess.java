package dev.taskwright.starter.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar taskwright.jar worker} as its own process, as users run it, so a test can kill
 * it with SIGKILL. Failsafe passes the packaged jar as {@code taskwright.jar}. Its output goes to a
 * log file, one per worker.
 */
public final class WorkerProcess implements AutoCloseable {

  /**
   * A JVM stopped by SIGTERM exits 128 + 15 once its shutdown hooks (the worker's clean stop) ran.
   */
  public static final int EXIT_ON_SIGTERM = 143;

  /** Printed by the worker command once it polls. */
  private static final String READY = "Worker running";

  /** A cold JVM with the SDK, a ledger check and a first poll; a loaded machine gets the rest. */
  private static final Duration START_LIMIT = Duration.ofSeconds(90);

  private final Process process;
  private final Path log;

  private WorkerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts a worker with {@code environment} added to this process's, and waits until it polls. */
  public static WorkerProcess start(Map<String, String> environment, Path log)
      throws IOException, InterruptedException {
    return start(environment, log, "worker", READY);
  }

  /**
   * Starts {@code taskwright <command>} (a long-running one: {@code worker}, {@code dev}) with
   * {@code environment} added to this process's, and waits until its output holds {@code ready}.
   */
  public static WorkerProcess start(
      Map<String, String> environment, Path log, String command, String ready)
      throws IOException, InterruptedException {
    Files.createDirectories(log.getParent());
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(javaExecutable().toString(), "-Xmx256m", "-jar", jar().toString(), command))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    WorkerProcess worker = new WorkerProcess(builder.start(), log);
    worker.awaitLog(ready, START_LIMIT);
    return worker;
  }

  /** The packaged jar; the integration tests run after {@code package}. */
  public static Path jar() {
    String configured = System.getProperty("taskwright.jar");
    if (configured == null || configured.isBlank() || !Files.isRegularFile(Path.of(configured))) {
      throw new AssertionError(
          "System property taskwright.jar does not name the packaged jar ("
              + configured
              + "): run the integration tests through `./mvnw verify`");
    }
    return Path.of(configured);
  }

  private static Path javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Kills the worker with SIGKILL: no shutdown hook runs, its agents are left where they are. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("worker " + pid() + " outlived SIGKILL by 30 s");
    }
  }

  /** Stops the worker as Ctrl-C would (SIGTERM) and returns its exit code. */
  public int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      kill();
      throw new AssertionError(
          "worker " + pid() + " did not stop within 60 s of SIGTERM:\n" + log());
    }
    return process.exitValue();
  }

  /**
   * Waits until the worker's output contains {@code text}; fails with the output when it does not.
   */
  public void awaitLog(String text, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!log().contains(text)) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "the worker exited with "
                + process.exitValue()
                + " before printing '"
                + text
                + "':\n"
                + log());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "the worker did not print '" + text + "' within " + limit + ":\n" + log());
      }
      Thread.sleep(100);
    }
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
