package dev.taskwright.bench;

import static dev.taskwright.bench.BenchFigures.format;
import static dev.taskwright.bench.BenchFigures.percentile;

import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.Worktrees;
import dev.taskwright.testing.ClaudeCli;
import dev.taskwright.testing.ModelReply;
import dev.taskwright.testing.ModelRequest;
import dev.taskwright.testing.ScriptedModelServer;
import io.temporal.api.history.v1.HistoryEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What taskwright adds to a task, against the physical floor: the same steps (worktree add, the
 * agent, commit) done per task by {@code bench/baseline-task.sh} with no orchestration, at the same
 * concurrency, in the same run. For each server ({@code dev --temporal embedded} and {@code
 * --temporal cli}, i.e. {@code temporal server start-dev}) and each concurrency, it runs the
 * baseline, then taskwright, on fresh repositories, each after a warm-up that is not counted.
 *
 * <p>Arguments, as {@code key=value}: {@code driver=claude|command} (the real Claude Code CLI
 * against the scripted model, one Write then done; or a command agent that edits one file), {@code
 * tasks=200}, {@code concurrency=1,8,32} ({@code serial} runs one task at a time, each submitted
 * when the last has committed), {@code servers=embedded,cli}, {@code output=FILE}.
 *
 * <p>"Submit" is the moment the batch is handed over: the baseline's thread pool receiving it, or
 * {@code taskwright run -f plan.yaml} being invoked (in this JVM, warm, as {@code Main} runs it).
 * "Commit" is the baseline's commit returning, or the task's Commit activity completing in its
 * history. CPU is the whole machine's busy time over the batch, so both sides pay for the scripted
 * model in this JVM alike.
 */
public final class OverheadBench {

  private static final Pattern TASK_IN_PROMPT =
      Pattern.compile("/runs/([a-z0-9][a-z0-9.-]*)/question\\.json");

  /** One measured batch. */
  /**
   * @param seconds from handing over the batch to its last commit: the work is done then; a
   *     taskwright task's workflow closes a little later, after removing its worktree
   */
  record Batch(
      String who,
      int tasks,
      double seconds,
      double cpuSeconds,
      List<Long> submitToCommit,
      String detail) {
    double tasksPerSecond() {
      return tasks / seconds;
    }
  }

  /** The steps of a task between the marks OverheadBench reads from its history. */
  private static final String[] PHASES = {
    "submit->started",
    "->Prepare picked up",
    "Prepare",
    "->Run picked up",
    "Run",
    "->Commit picked up",
    "Commit",
    "commit->closed"
  };

  private final Path work;
  private final Path root;
  private final String driver;
  private final Path editScript;
  private final ScriptedModelServer model;
  private final Map<String, String> modelEnvironment;
  private final Map<String, Path> baselineWorktrees =
      new java.util.concurrent.ConcurrentHashMap<>();
  private volatile Path currentHome;
  private int batchNumber;
  private int warmUp;

  private OverheadBench(Path work, Path root, String driver) throws IOException {
    this.work = work;
    this.root = root;
    this.driver = driver;
    this.editScript = work.resolve("edit.sh");
    Files.writeString(
        editScript,
        """
        #!/bin/sh
        # A trivial agent: one small edit in its working directory.
        echo edited > edit.txt
        """);
    editScript.toFile().setExecutable(true);
    this.model = ScriptedModelServer.startForBenchmarks(this::reply);
    this.modelEnvironment = model.cliEnvironment(work.resolve("claude-home"));
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options =
        BenchArguments.parse(
            args,
            Map.of(
                "driver",
                "claude",
                "tasks",
                "200",
                "concurrency",
                "1,8,32",
                "servers",
                "embedded,cli",
                "warmup",
                "10"));
    Path root = Path.of(System.getProperty("taskwright.root", ".")).toAbsolutePath().normalize();
    Path output = Path.of(options.getOrDefault("output", "starter/target/bench/overhead.txt"));
    int tasks = Integer.parseInt(options.get("tasks"));
    OverheadBench bench =
        new OverheadBench(
            Files.createTempDirectory("taskwright-overhead-"), root, options.get("driver"));
    bench.warmUp = Integer.parseInt(options.get("warmup"));
    StringBuilder figures = new StringBuilder();
    try {
      for (String server : options.get("servers").split(",")) {
        for (String concurrency : options.get("concurrency").split(",")) {
          String section = bench.compare(server, concurrency, tasks);
          System.out.print(section);
          figures.append(section);
        }
      }
    } finally {
      bench.model.close();
    }
    Files.createDirectories(output.toAbsolutePath().getParent());
    Files.writeString(output, figures.toString());
  }

  /** Baseline then taskwright at one concurrency on one server; returns the figures. */
  private String compare(String server, String concurrency, int tasks) throws Exception {
    boolean serial = concurrency.equals("serial");
    int threads = serial ? 1 : Integer.parseInt(concurrency);
    baseline(warmUp, threads, serial);
    Batch baseline = baseline(tasks, threads, serial);
    Batch taskwright;
    try (DevProcess dev =
        DevProcess.start(server, work.resolve("dev-" + ++batchNumber), threads, modelEnvironment)) {
      currentHome = dev.home();
      taskwright(dev, warmUp, serial);
      taskwright = taskwright(dev, tasks, serial);
    }
    return report(server, concurrency, baseline, taskwright);
  }

  private Batch baseline(int tasks, int threads, boolean serial) throws Exception {
    Path repo = GitRepos.create(work.resolve("baseline-repo-" + ++batchNumber));
    List<String> ids = ids("base-" + batchNumber, tasks);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    double cpu = BenchFigures.machineBusySeconds();
    long submitted = System.currentTimeMillis();
    List<Long> latencies = new ArrayList<>();
    try {
      List<Future<Long>> done = new ArrayList<>();
      for (String id : ids) {
        long submit = serial ? System.currentTimeMillis() : submitted;
        Future<Long> task = pool.submit(() -> baselineTask(repo, id) - submit);
        if (serial) {
          latencies.add(task.get());
        } else {
          done.add(task);
        }
      }
      for (Future<Long> task : done) {
        latencies.add(task.get());
      }
    } finally {
      pool.shutdown();
    }
    double seconds = (System.currentTimeMillis() - submitted) / 1000.0;
    return new Batch(
        "baseline", tasks, seconds, BenchFigures.machineBusySeconds() - cpu, latencies, "");
  }

  /** One baseline task; returns the wall-clock millisecond its commit returned. */
  private long baselineTask(Path repo, String id) throws IOException, InterruptedException {
    Path worktree = work.resolve("baseline-worktrees").resolve(id);
    Files.createDirectories(worktree.getParent());
    baselineWorktrees.put(id, worktree);
    List<String> command =
        new ArrayList<>(
            List.of(
                root.resolve("bench/baseline-task.sh").toString(),
                repo.toString(),
                worktree.toString(),
                "baseline/" + id));
    if (driver.equals("command")) {
      command.add(editScript.toString());
    } else {
      Path runDir = work.resolve("runs").resolve(id);
      Files.createDirectories(runDir);
      // The prompt comes first: --add-dir takes every word after it.
      command.addAll(
          List.of(
              ClaudeCli.locate().toString(),
              "-p",
              "Write hello.txt",
              "--output-format",
              "stream-json",
              "--verbose",
              "--session-id",
              UUID.randomUUID().toString(),
              "--permission-mode",
              "acceptEdits",
              "--append-system-prompt",
              "If you need to ask a person, write " + runDir.resolve("question.json") + ".",
              "--add-dir",
              runDir.toString()));
    }
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().putAll(modelEnvironment);
    Process process = builder.start();
    if (process.waitFor() != 0) {
      throw new IllegalStateException(
          "baseline task " + id + " exited " + process.exitValue() + "; see " + worktree + ".out");
    }
    return System.currentTimeMillis();
  }

  private Batch taskwright(DevProcess dev, int tasks, boolean serial) throws Exception {
    Path repo = GitRepos.create(work.resolve("taskwright-repo-" + ++batchNumber));
    List<String> ids = ids("tw-" + batchNumber, tasks);
    CliRun cli = CliRun.with().in(repo);
    dev.environment().forEach(cli::env);
    double cpu = BenchFigures.machineBusySeconds();
    double devCpu = BenchFigures.ownCpuSeconds(dev.pid());
    double agentCpu = BenchFigures.childrenCpuSeconds(dev.pid());
    double serverCpu = dev.serverCpuSeconds();
    double postgresCpu = dev.postgresCpuSeconds();
    long submitted = System.currentTimeMillis();
    Map<String, Long> submitTimes = new LinkedHashMap<>();
    if (serial) {
      for (String id : ids) {
        submitTimes.put(id, System.currentTimeMillis());
        check(cli.run(runArguments(repo, id)));
        Histories.awaitClose(dev.service(), id);
      }
    } else {
      Path plan = work.resolve("plan-" + batchNumber + ".yaml");
      Files.writeString(plan, plan(repo, ids));
      check(cli.run("run", "-f", plan.toString()));
      for (String id : ids) {
        submitTimes.put(id, submitted);
        Histories.awaitClose(dev.service(), id);
      }
    }
    long finished = System.currentTimeMillis();
    double cpuUsed = BenchFigures.machineBusySeconds() - cpu;
    String detail =
        format(
            "worker JVM %.2f s, agents and git (its children) %.2f s, Temporal CLI server %.2f s,"
                + " PostgreSQL %.2f s",
            BenchFigures.ownCpuSeconds(dev.pid()) - devCpu,
            BenchFigures.childrenCpuSeconds(dev.pid()) - agentCpu,
            dev.serverCpuSeconds() - serverCpu,
            dev.postgresCpuSeconds() - postgresCpu);
    List<Long> latencies = new ArrayList<>();
    Map<String, List<Long>> phases = new LinkedHashMap<>();
    long lastCommit = 0;
    for (String id : ids) {
      List<HistoryEvent> history = Histories.history(dev.service(), id);
      if (!Histories.completed(history)) {
        throw new IllegalStateException(
            id + " did not complete: " + history.get(history.size() - 1));
      }
      long commit = Histories.activityCompleted(history, "Commit").orElseThrow();
      lastCommit = Math.max(lastCommit, commit);
      latencies.add(commit - submitTimes.get(id));
      long[] marks = {
        submitTimes.get(id),
        Histories.startMillis(history),
        Histories.activityStarted(history, "Prepare").orElseThrow(),
        Histories.activityCompleted(history, "Prepare").orElseThrow(),
        Histories.activityStarted(history, "Run").orElseThrow(),
        Histories.activityCompleted(history, "Run").orElseThrow(),
        Histories.activityStarted(history, "Commit").orElseThrow(),
        commit,
        Histories.closeMillis(history)
      };
      for (int i = 1; i < marks.length; i++) {
        phases
            .computeIfAbsent(PHASES[i - 1], name -> new ArrayList<>())
            .add(marks[i] - marks[i - 1]);
      }
    }
    StringBuilder phaseFigures = new StringBuilder("\n  taskwright phases, p50 ms:");
    phases.forEach(
        (name, values) -> phaseFigures.append(format(" %s %.0f;", name, percentile(values, 50))));
    return new Batch(
        "taskwright",
        tasks,
        (lastCommit - submitted) / 1000.0,
        cpuUsed,
        latencies,
        detail
            + format("; every workflow closed %.2f s after submit", (finished - submitted) / 1000.0)
            + phaseFigures);
  }

  private String[] runArguments(Path repo, String id) {
    List<String> args =
        new ArrayList<>(List.of("run", "--repo", repo.toString(), "--id", id, "--auto-accept"));
    if (driver.equals("command")) {
      args.addAll(List.of("--command", editScript.toString()));
    }
    args.add("Write hello.txt");
    return args.toArray(String[]::new);
  }

  private String plan(Path repo, List<String> ids) {
    StringBuilder plan =
        new StringBuilder(
            "plan: overhead-" + batchNumber + "\nrepo: " + repo + "\nautoAccept: true\n");
    if (driver.equals("command")) {
      plan.append("command: ").append(editScript).append('\n');
    }
    plan.append("tasks:\n");
    for (String id : ids) {
      plan.append("  - {id: ").append(id).append(", prompt: Write hello.txt}\n");
    }
    return plan.toString();
  }

  private static List<String> ids(String prefix, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      ids.add(prefix + "-" + i);
    }
    return ids;
  }

  private static void check(CliRun.Result result) {
    if (result.exitCode() != 0) {
      throw new IllegalStateException(result.toString());
    }
  }

  /** The scripted model: one Write of hello.txt into the task's worktree, then done. */
  private ModelReply reply(ModelRequest request) {
    if (request.assistantTurns() > 0) {
      return ModelReply.text("Done.\n\n## Summary\nWrote hello.txt");
    }
    Matcher task = TASK_IN_PROMPT.matcher(request.systemPrompt());
    if (!task.find()) {
      return ModelReply.text("no task in the system prompt");
    }
    String id = task.group(1);
    Path worktree =
        id.startsWith("base-") ? baselineWorktrees.get(id) : Worktrees.find(currentHome, id);
    return ModelReply.write(worktree.resolve("hello.txt"), "hello\n");
  }

  private String report(String server, String concurrency, Batch baseline, Batch taskwright) {
    StringBuilder out = new StringBuilder();
    out.append(
        format(
            "%s, %s driver, concurrency %s, %d tasks:%n",
            server.equals("cli") ? "temporal server start-dev" : "embedded Temporal",
            driver,
            concurrency,
            taskwright.tasks()));
    for (Batch batch : List.of(baseline, taskwright)) {
      out.append(
          format(
              "  %-10s %6.2f tasks/s  to last commit %7.2f s  submit->commit p50 %7.0f ms p95 %7.0f"
                  + " ms  CPU %6.3f s/task%n",
              batch.who(),
              batch.tasksPerSecond(),
              batch.seconds(),
              percentile(batch.submitToCommit(), 50),
              percentile(batch.submitToCommit(), 95),
              batch.cpuSeconds() / batch.tasks()));
    }
    out.append(
        format(
            "  ratio taskwright/baseline: time to last commit %.3f, p50 %.3f; added per task: %.1f"
                + " ms wall (time / tasks), %.1f ms CPU%n",
            taskwright.seconds() / baseline.seconds(),
            percentile(taskwright.submitToCommit(), 50) / percentile(baseline.submitToCommit(), 50),
            (taskwright.seconds() - baseline.seconds()) * 1000 / taskwright.tasks(),
            (taskwright.cpuSeconds() - baseline.cpuSeconds()) * 1000 / taskwright.tasks()));
    if (concurrency.equals("serial")) {
      out.append(
          format(
              "  one at a time: added p50 %.1f ms per task (taskwright p50 - baseline p50)%n",
              percentile(taskwright.submitToCommit(), 50)
                  - percentile(baseline.submitToCommit(), 50)));
    }
    out.append("  taskwright CPU: ").append(taskwright.detail()).append('\n');
    return out.toString();
  }
}
