package dev.taskwright.starter.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskwright.ledger.testing.TestDatabase;
import dev.taskwright.starter.Cli;
import dev.taskwright.starter.CliEnvironment;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.StopSignal;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/** Runs the taskwright CLI in-process, the way {@code Main} does, with captured output. */
public final class CliRun {

  private final Map<String, String> environment = new HashMap<>(System.getenv());
  private Path workingDirectory = Path.of(System.getProperty("user.dir"));
  private StopSignal stopSignal = new StopSignal();
  private byte[] stdin = new byte[0];

  /**
   * Every run shares the tests' unpacked PostgreSQL binaries instead of unpacking them into each
   * home.
   */
  private CliRun() {
    environment.put("TASKWRIGHT_CACHE", TestDatabase.binaryCache().toString());
  }

  public static CliRun with() {
    return new CliRun();
  }

  public CliRun env(String name, String value) {
    if (value == null) {
      environment.remove(name);
    } else {
      environment.put(name, value);
    }
    return this;
  }

  public CliRun home(Path home) {
    return env("TASKWRIGHT_HOME", home.toString());
  }

  public CliRun temporal(String address) {
    return env("TEMPORAL_ADDRESS", address);
  }

  public CliRun in(Path directory) {
    this.workingDirectory = directory;
    return this;
  }

  /** What the command reads as its standard input. */
  public CliRun stdin(String text) {
    this.stdin = text.getBytes(StandardCharsets.UTF_8);
    return this;
  }

  public CliRun stopSignal(StopSignal signal) {
    this.stopSignal = signal;
    return this;
  }

  public Result run(String... args) {
    return execution(args).get();
  }

  /**
   * The command line with captured writers, ready to execute; {@code err} can be read while it
   * runs.
   */
  private Execution execution(String... args) {
    CommandLine commandLine =
        Cli.commandLine(
            new CliEnvironment(environment, workingDirectory, new ByteArrayInputStream(stdin)),
            stopSignal);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return new Execution(commandLine, List.of(args), out, err);
  }

  private record Execution(
      CommandLine commandLine, List<String> args, StringWriter out, StringWriter err)
      implements java.util.function.Supplier<Result> {
    @Override
    public Result get() {
      long started = System.nanoTime();
      int exitCode = commandLine.execute(args.toArray(String[]::new));
      return new Result(
          exitCode, out.toString(), err.toString(), Duration.ofNanos(System.nanoTime() - started));
    }
  }

  /** {@code taskwright status ID --output json}, which must succeed. */
  public JsonNode statusJson(String taskId) throws IOException {
    Result status = run("status", taskId, "--output", "json");
    if (status.exitCode() != 0) {
      throw new AssertionError("status failed: " + status);
    }
    return new ObjectMapper().readTree(status.out());
  }

  /**
   * Reads {@code status} until the task exists and is in {@code state}, and returns that status.
   * The limit only keeps a broken test from hanging; it is not what the test checks.
   */
  public JsonNode awaitState(String taskId, String state, Duration limit)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      Result status = run("status", taskId, "--output", "json");
      if (status.exitCode() == 0) {
        JsonNode json = new ObjectMapper().readTree(status.out());
        if (json.path("state").asText().equals(state)) {
          return json;
        }
      } else if (status.exitCode() != ExitCodes.NOT_FOUND) {
        throw new AssertionError("status failed: " + status);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            taskId + " did not reach " + state + " within " + limit + "; last status: " + status);
      }
      Thread.sleep(100);
    }
  }

  /**
   * Starts a long-running command (worker, dev) on its own thread; its output can be read while it
   * runs, and {@link Background#stop()} stops it the way SIGTERM would.
   */
  public Background start(String... args) {
    StopSignal signal = new StopSignal();
    this.stopSignal = signal;
    Execution execution = execution(args);
    return new Background(
        signal, CompletableFuture.supplyAsync(execution), execution.out(), execution.err());
  }

  /** A command running in the background. */
  public record Background(
      StopSignal signal, CompletableFuture<Result> result, StringWriter out, StringWriter err) {

    /** Waits until stderr contains {@code text}, or fails after {@code timeout}. */
    public void awaitErr(String text, Duration timeout) throws InterruptedException {
      await(err, "stderr", text, timeout);
    }

    /** Waits until stdout contains {@code text}, or fails after {@code timeout}. */
    public void awaitOut(String text, Duration timeout) throws InterruptedException {
      await(out, "stdout", text, timeout);
    }

    private void await(StringWriter writer, String name, String text, Duration timeout)
        throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!writer.toString().contains(text)) {
        if (result.isDone() || System.nanoTime() > deadline) {
          throw new AssertionError(
              "never printed '"
                  + text
                  + "'; "
                  + name
                  + " so far:\n"
                  + writer
                  + (result.isDone() ? "\n" + result.join() : ""));
        }
        Thread.sleep(50);
      }
    }

    /** Requests a stop, as SIGTERM does, and returns how the command ended. */
    public Result stop() throws Exception {
      signal.stop();
      Result ended = result.get(60, TimeUnit.SECONDS);
      if (!signal.awaitStopped(Duration.ofSeconds(1))) {
        throw new AssertionError("the command never said it had stopped");
      }
      return ended;
    }
  }

  /** What one CLI run did. */
  public record Result(int exitCode, String out, String err, Duration took) {
    @Override
    public String toString() {
      return "exit "
          + exitCode
          + " after "
          + took.toMillis()
          + " ms\n--- stdout\n"
          + out
          + "--- stderr\n"
          + err;
    }
  }
}
