package dev.taskwright.bench;

import static dev.taskwright.bench.BenchFigures.format;
import static dev.taskwright.bench.BenchFigures.percentile;

import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.GitRepos;
import io.temporal.api.history.v1.HistoryEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * taskwright at scale, on {@code taskwright dev --temporal cli} (Temporal CLI server, embedded
 * PostgreSQL, one worker with 8 agents at once), every task a command agent that makes one edit:
 *
 * <ul>
 *   <li><b>queue</b>: 1,000 tasks from one task file;
 *   <li><b>dag</b>: a 500-task plan where each task depends on up to three earlier ones (seeded);
 *   <li><b>answers</b>: 200 tasks whose agent asks a question first; once all 200 are BLOCKED, all
 *       are answered at once (16 threads), and each resumes and completes.
 * </ul>
 *
 * For each: the completion time, every task's end state (any not COMPLETED is a failure), the
 * worker's and the server's CPU and peak resident memory (sampled every second), and the history
 * events per task. Arguments: {@code scenarios=queue,dag,answers tasks=1000 dag=500 answers=200
 * output=FILE}.
 */
public final class ScaleBench {

  private ScaleBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options =
        BenchArguments.parse(
            args,
            Map.of(
                "scenarios",
                "queue,dag,answers",
                "tasks",
                "1000",
                "dag",
                "500",
                "answers",
                "200",
                "server",
                "cli"));
    Path work = Files.createTempDirectory("taskwright-scale-");
    Path agent = work.resolve("agent.sh");
    Files.writeString(
        agent,
        """
        #!/bin/sh
        prompt=$(cat)
        case "$TASKWRIGHT_TASK_ID" in
          ask-*) case "$prompt" in *Blue*) ;; *) echo '{"question": "Which colour?"}' > "$TASKWRIGHT_QUESTION_FILE"; exit 0;; esac;;
        esac
        echo "$TASKWRIGHT_TASK_ID" > "edit-$TASKWRIGHT_TASK_ID.txt"
        """);
    agent.toFile().setExecutable(true);
    StringBuilder figures = new StringBuilder();
    for (String scenario : options.get("scenarios").split(",")) {
      try (DevProcess dev =
          DevProcess.start(options.get("server"), work.resolve(scenario), 8, Map.of())) {
        Path repo = GitRepos.create(work.resolve("repo-" + scenario));
        CliRun cli = CliRun.with().in(repo);
        dev.environment().forEach(cli::env);
        String section =
            switch (scenario) {
              case "queue" -> queue(dev, cli, repo, agent, Integer.parseInt(options.get("tasks")));
              case "dag" -> dag(dev, cli, repo, agent, Integer.parseInt(options.get("dag")));
              case "answers" ->
                  answers(dev, cli, repo, agent, Integer.parseInt(options.get("answers")));
              default -> throw new IllegalArgumentException("no scenario " + scenario);
            };
        System.out.print(section);
        figures.append(section);
      }
    }
    Path output = Path.of(options.getOrDefault("output", "starter/target/bench/scale.txt"));
    Files.createDirectories(output.toAbsolutePath().getParent());
    Files.writeString(output, figures.toString());
  }

  private static String queue(DevProcess dev, CliRun cli, Path repo, Path agent, int tasks)
      throws Exception {
    List<String> ids = new ArrayList<>();
    StringBuilder plan = header("queue", repo, agent);
    for (int i = 1; i <= tasks; i++) {
      ids.add("q-" + i);
      plan.append("  - {id: q-").append(i).append(", prompt: Edit}\n");
    }
    return measured(
        format("%d queued tasks, 8 agents at once", tasks), dev, ids, () -> submit(cli, plan, dev));
  }

  private static String dag(DevProcess dev, CliRun cli, Path repo, Path agent, int tasks)
      throws Exception {
    Random random = new Random(500);
    List<String> ids = new ArrayList<>();
    StringBuilder plan = header("dag", repo, agent);
    int edges = 0;
    for (int i = 1; i <= tasks; i++) {
      ids.add("d-" + i);
      List<String> dependsOn = new ArrayList<>();
      int count = i == 1 ? 0 : random.nextInt(Math.min(3, i - 1) + 1);
      while (dependsOn.size() < count) {
        String dependency = "d-" + (1 + random.nextInt(i - 1));
        if (!dependsOn.contains(dependency)) {
          dependsOn.add(dependency);
        }
      }
      edges += dependsOn.size();
      plan.append("  - {id: d-")
          .append(i)
          .append(", prompt: Edit")
          .append(dependsOn.isEmpty() ? "" : ", dependsOn: " + dependsOn)
          .append("}\n");
    }
    return measured(
        format(
            "%d-task dependency DAG (%d edges, each task on 0-3 earlier ones), 8 agents at once",
            tasks, edges),
        dev,
        ids,
        () -> submit(cli, plan, dev));
  }

  private static String answers(DevProcess dev, CliRun cli, Path repo, Path agent, int tasks)
      throws Exception {
    List<String> ids = new ArrayList<>();
    StringBuilder plan = header("answers", repo, agent);
    for (int i = 1; i <= tasks; i++) {
      ids.add("ask-" + i);
      plan.append("  - {id: ask-").append(i).append(", prompt: Ask then edit}\n");
    }
    submit(cli, plan, dev);
    long blockedBy = System.currentTimeMillis();
    for (String id : ids) {
      cli.awaitState(id, "BLOCKED", java.time.Duration.ofMinutes(10));
    }
    String blocked =
        format(
            "  all %d BLOCKED on their questions %.1f s after submitting%n",
            tasks, (System.currentTimeMillis() - blockedBy) / 1000.0);
    return measured(
            format("%d BLOCKED tasks answered at once (16 threads)", tasks),
            dev,
            ids,
            () -> {
              ExecutorService pool = Executors.newFixedThreadPool(16);
              try {
                List<Future<CliRun.Result>> answers = new ArrayList<>();
                for (String id : ids) {
                  answers.add(pool.submit(() -> cli.run("answer", id, "Blue")));
                }
                for (Future<CliRun.Result> answer : answers) {
                  check(answer.get());
                }
              } finally {
                pool.shutdown();
              }
            })
        + blocked;
  }

  private static StringBuilder header(String name, Path repo, Path agent) {
    return new StringBuilder(
        "plan: scale-"
            + name
            + "\nrepo: "
            + repo
            + "\nautoAccept: true\ncommand: "
            + agent
            + "\ntasks:\n");
  }

  private static void submit(CliRun cli, StringBuilder plan, DevProcess dev) throws Exception {
    Path file = dev.home().resolveSibling("plan.yaml");
    Files.writeString(file, plan);
    check(cli.run("run", "-f", file.toString()));
  }

  interface Step {
    void run() throws Exception;
  }

  /**
   * Runs {@code step}, waits for every task to close, and reports time, outcomes, CPU, memory and
   * history sizes.
   */
  private static String measured(String title, DevProcess dev, List<String> ids, Step step)
      throws Exception {
    double workerCpu = BenchFigures.ownCpuSeconds(dev.pid());
    double serverCpu = dev.serverCpuSeconds();
    double postgresCpu = dev.postgresCpuSeconds();
    double machineCpu = BenchFigures.machineBusySeconds();
    AtomicBoolean done = new AtomicBoolean();
    List<Long> workerRss = new ArrayList<>();
    List<Long> serverRss = new ArrayList<>();
    Thread sampler =
        new Thread(
            () -> {
              while (!done.get()) {
                workerRss.add(BenchFigures.rssMiB(dev.pid()));
                serverRss.add(dev.serverRssMiB());
                try {
                  Thread.sleep(1000);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    sampler.start();
    long started = System.currentTimeMillis();
    step.run();
    for (String id : ids) {
      Histories.awaitClose(dev.service(), id);
    }
    long seconds = System.currentTimeMillis() - started;
    done.set(true);
    sampler.join();
    List<Integer> events = new ArrayList<>();
    List<String> notCompleted = new ArrayList<>();
    for (String id : ids) {
      List<HistoryEvent> history = Histories.history(dev.service(), id);
      events.add(history.size());
      if (!Histories.completed(history)) {
        notCompleted.add(id);
      }
    }
    return format("%s:%n", title)
        + format(
            "  completed %d of %d in %.1f s (%.2f tasks/s); not completed: %s%n",
            ids.size() - notCompleted.size(),
            ids.size(),
            seconds / 1000.0,
            ids.size() * 1000.0 / seconds,
            notCompleted.isEmpty() ? "none" : notCompleted)
        + format(
            "  CPU: worker JVM %.1f s, Temporal server %.1f s, PostgreSQL %.1f s, whole machine"
                + " %.1f s (%.0f ms a task)%n",
            BenchFigures.ownCpuSeconds(dev.pid()) - workerCpu,
            dev.serverCpuSeconds() - serverCpu,
            dev.postgresCpuSeconds() - postgresCpu,
            BenchFigures.machineBusySeconds() - machineCpu,
            (BenchFigures.machineBusySeconds() - machineCpu) * 1000 / ids.size())
        + format(
            "  resident memory, peak: worker %.0f MiB, Temporal server %.0f MiB%n",
            BenchFigures.max(workerRss), BenchFigures.max(serverRss))
        + format(
            "  history events per task: median %.0f, p95 %.0f, max %.0f%n",
            percentile(events, 50), percentile(events, 95), BenchFigures.max(events));
  }

  private static void check(CliRun.Result result) {
    if (result.exitCode() != 0) {
      throw new IllegalStateException(result.toString());
    }
  }
}
