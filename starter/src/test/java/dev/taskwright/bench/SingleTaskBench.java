package dev.taskwright.bench;

import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.Worktrees;
import dev.taskwright.testing.ClaudeCli;
import dev.taskwright.testing.ModelReply;
import dev.taskwright.testing.ScriptedModelServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One task at a time through the real launcher, as a user runs it: {@code bin/taskwright dev}
 * (in-process Temporal and a worker) in the background, then {@code bin/taskwright run
 * --auto-accept --wait} N times, each task run by the real Claude Code CLI against the scripted
 * model (one Write, then done). Measures, per task, the time from invoking {@code run} to the agent
 * process existing (its PID record appearing, polled every 2 ms) and to {@code run} returning. Run
 * it with {@code bench/single-task.sh [N]}.
 */
public final class SingleTaskBench {

  /**
   * The control-file paths in the appended system prompt name the task: {@code
   * <home>/runs/<task-id>/}.
   */
  private static final Pattern TASK_IN_PROMPT =
      Pattern.compile("/runs/([a-z0-9][a-z0-9.-]*)/question\\.json");

  private SingleTaskBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    Path root = Path.of(System.getProperty("taskwright.root", ".")).toAbsolutePath().normalize();
    Path work = Files.createTempDirectory("taskwright-bench-");
    Path home = work.resolve("home");
    Path repo = GitRepos.create(work.resolve("repo"));

    try (ScriptedModelServer model = ScriptedModelServer.start(request -> reply(home, request))) {
      int port = freePort();
      Map<String, String> env = new HashMap<>(model.cliEnvironment(work.resolve("claude-home")));
      env.put("TASKWRIGHT_HOME", home.toString());
      env.put("TASKWRIGHT_CLAUDE_BIN", ClaudeCli.locate().toString());
      env.put("TEMPORAL_ADDRESS", "127.0.0.1:" + port);
      Process dev = start(root, env, work.resolve("dev.log"), "dev");
      try {
        awaitPort(port, dev);
        // The first task also warms the worker's pollers and the JIT; it is not counted.
        List<double[]> samples = new ArrayList<>();
        for (int i = 0; i <= runs; i++) {
          double[] sample = oneTask(root, env, home, repo, work, "bench-" + i);
          if (i > 0) {
            samples.add(sample);
            System.out.printf(
                Locale.ROOT,
                "task %2d: run -> agent started %6.0f ms, run -> returned %6.0f ms%n",
                i,
                sample[0],
                sample[1]);
          }
        }
        report(root, runs, samples);
      } finally {
        dev.destroy();
        if (!dev.waitFor(40, TimeUnit.SECONDS)) {
          dev.destroyForcibly();
        }
      }
    }
  }

  private static ModelReply reply(Path home, dev.taskwright.testing.ModelRequest request) {
    if (request.assistantTurns() > 0) {
      return ModelReply.text("Done.\n\n## Summary\nWrote hello.txt");
    }
    Matcher task = TASK_IN_PROMPT.matcher(request.systemPrompt());
    if (!task.find()) {
      return ModelReply.text("no task in the system prompt");
    }
    return ModelReply.write(worktree(home, task.group(1)).resolve("hello.txt"), "hello\n");
  }

  private static Path worktree(Path home, String taskId) {
    return Worktrees.find(home, taskId);
  }

  /** Returns {run → agent started, run → returned} in milliseconds. */
  private static double[] oneTask(
      Path root, Map<String, String> env, Path home, Path repo, Path work, String id)
      throws Exception {
    Path pidRecord = home.resolve("logs").resolve(id).resolve("agent.pid");
    long start = System.nanoTime();
    Process run =
        start(
            root,
            env,
            work.resolve(id + ".log"),
            "run",
            "--repo",
            repo.toString(),
            "--id",
            id,
            "--auto-accept",
            "--wait",
            "Write hello.txt");
    long agentStarted = -1;
    while (run.isAlive()) {
      if (agentStarted < 0 && Files.exists(pidRecord)) {
        agentStarted = System.nanoTime();
      }
      Thread.sleep(2);
    }
    long returned = System.nanoTime();
    if (run.exitValue() != 0) {
      throw new IllegalStateException(
          id + ": run exited " + run.exitValue() + "; see " + work.resolve(id + ".log"));
    }
    if (agentStarted < 0) {
      throw new IllegalStateException(id + ": never saw the agent's PID record " + pidRecord);
    }
    return new double[] {(agentStarted - start) / 1e6, (returned - start) / 1e6};
  }

  private static Process start(Path root, Map<String, String> env, Path log, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(root.resolve("bin/taskwright").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return builder.start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void awaitPort(int port, Process dev) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!dev.isAlive()) {
        throw new IllegalStateException("taskwright dev exited " + dev.exitValue());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("taskwright dev did not listen on " + port + " within 120 s");
  }

  private static void report(Path root, int runs, List<double[]> samples) throws IOException {
    String section =
        String.format(
            Locale.ROOT,
            "%n## Single task through the launcher, %s%n%n- Machine: %s%n- `bench/single-task.sh"
                + " %d`: `bin/taskwright run --auto-accept --wait` of a task whose agent is%n  the"
                + " real Claude Code CLI against the scripted model (one Write, then done); one"
                + " warm-up task.%n  \"Agent started\" is the task's `agent.pid` record appearing"
                + " (polled every 2 ms), measured from%n  invoking `run` (so it includes the CLI's"
                + " own JVM start-up); \"returned\" is `run` exiting with%n  the task"
                + " COMPLETED.%n%n```%nrun -> agent started: median %.0f ms, p95 %.0f ms%nrun ->"
                + " returned:      median %.0f ms, p95 %.0f ms%n```%n",
            java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")),
            machine(),
            runs,
            percentile(samples, 0, 50),
            percentile(samples, 0, 95),
            percentile(samples, 1, 50),
            percentile(samples, 1, 95));
    System.out.print(section);
    Files.writeString(
        root.resolve("bench/RESULTS.md"),
        section,
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  private static double percentile(List<double[]> samples, int column, int percent) {
    double[] values = samples.stream().mapToDouble(s -> s[column]).sorted().toArray();
    int index = (int) Math.ceil(percent / 100.0 * values.length) - 1;
    return values[Math.max(0, Math.min(values.length - 1, index))];
  }

  private static String machine() {
    Runtime runtime = Runtime.getRuntime();
    return runtime.availableProcessors()
        + " cores; Java "
        + System.getProperty("java.version")
        + ", Temporal SDK 1.38.0 (in-process server of `bin/taskwright dev`), Claude Code 2.1.329";
  }
}
