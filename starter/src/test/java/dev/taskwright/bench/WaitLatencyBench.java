package dev.taskwright.bench;

import static dev.taskwright.bench.BenchFigures.format;
import static dev.taskwright.bench.BenchFigures.percentile;

import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.GitRepos;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The latency of taskwright's waits, on {@code taskwright dev --temporal cli|embedded}, with
 * command agents that stamp the moment they start ({@code date +%s%N}, the agent process's own
 * first act) into a file per task:
 *
 * <ul>
 *   <li><b>submit → agent started</b>: from invoking {@code run} (in this warm JVM, as {@code Main}
 *       runs it: connect, check the repository, start the workflow) to the agent's stamp; also from
 *       the workflow's start event (server time) to the stamp;
 *   <li><b>dependency satisfied → dependent's agent started</b>: A → B pairs; from A's last
 *       search-attribute upsert (the workflow task that decided COMPLETED and signalled B) to B's
 *       stamp;
 *   <li><b>answer returned → agent running again</b>: the agent asks (writes its question file) and
 *       ends; from {@code answer} returning to the resumed run's stamp.
 * </ul>
 *
 * Arguments: {@code rounds=30 servers=cli,embedded output=FILE}.
 */
public final class WaitLatencyBench {

  private WaitLatencyBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options =
        BenchArguments.parse(args, Map.of("rounds", "30", "servers", "cli,embedded"));
    int rounds = Integer.parseInt(options.get("rounds"));
    Path work = Files.createTempDirectory("taskwright-waits-");
    Path stamps = Files.createDirectories(work.resolve("stamps"));
    Path agent = work.resolve("agent.sh");
    Files.writeString(
        agent,
        "#!/bin/sh\n"
            + "date +%s%N >> "
            + stamps
            + "/$TASKWRIGHT_TASK_ID\n"
            + "prompt=$(cat)\n"
            + "case \"$TASKWRIGHT_TASK_ID\" in\n"
            + "  ask-*) case \"$prompt\" in *Blue*) ;; *) echo '{\"question\": \"Which colour?\"}'"
            + " > \"$TASKWRIGHT_QUESTION_FILE\"; exit 0;; esac;;\n"
            + "  dep-a-*) sleep 1;;\n"
            + "esac\n"
            + "echo edited > edit.txt\n");
    agent.toFile().setExecutable(true);
    StringBuilder figures = new StringBuilder();
    for (String server : options.get("servers").split(",")) {
      try (DevProcess dev = DevProcess.start(server, work.resolve("dev-" + server), 8, Map.of())) {
        Path repo = GitRepos.create(work.resolve("repo-" + server));
        CliRun cli = CliRun.with().in(repo);
        dev.environment().forEach(cli::env);
        String prefix = server.substring(0, 3);
        List<Long> submitToAgent = new ArrayList<>();
        List<Long> startToAgent = new ArrayList<>();
        List<Long> dependencyToAgent = new ArrayList<>();
        List<Long> answerToAgent = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
          // Submit -> agent started.
          String id = "sub-" + prefix + "-" + round;
          long submitted = System.currentTimeMillis();
          check(cli.run("run", "--id", id, "--auto-accept", "--command", agent.toString(), "Edit"));
          Histories.awaitClose(dev.service(), id);
          long stamp = firstStamp(stamps, id);
          // Dependency satisfied -> dependent's agent started.
          String a = "dep-a-" + prefix + "-" + round;
          String b = "dep-b-" + prefix + "-" + round;
          check(
              cli.run(
                  "run", "--id", a, "--auto-accept", "--command", agent.toString(), "Edit first"));
          check(
              cli.run(
                  "run",
                  "--id",
                  b,
                  "--auto-accept",
                  "--depends-on",
                  a,
                  "--command",
                  agent.toString(),
                  "Edit second"));
          Histories.awaitClose(dev.service(), b);
          long satisfied = lastUpsert(Histories.history(dev.service(), a));
          // Answer returned -> agent running again.
          String asker = "ask-" + prefix + "-" + round;
          check(
              cli.run(
                  "run",
                  "--id",
                  asker,
                  "--auto-accept",
                  "--command",
                  agent.toString(),
                  "Ask, then edit"));
          cli.awaitState(asker, "BLOCKED", java.time.Duration.ofSeconds(60));
          check(cli.run("answer", asker, "Blue"));
          long answered = System.currentTimeMillis();
          Histories.awaitClose(dev.service(), asker);
          // Round 0 warms the JIT, the pollers and the caches; it is not counted.
          if (round > 0) {
            submitToAgent.add(stamp - submitted);
            startToAgent.add(stamp - Histories.startMillis(Histories.history(dev.service(), id)));
            dependencyToAgent.add(firstStamp(stamps, b) - satisfied);
            answerToAgent.add(stamps(stamps, asker).get(1) - answered);
          }
        }
        String section =
            format(
                    "%s, %d rounds after one warm-up (ms):%n",
                    server.equals("cli") ? "temporal server start-dev" : "embedded Temporal",
                    rounds)
                + line("submit (run invoked) -> agent started", submitToAgent)
                + line("  of which workflow started -> agent started", startToAgent)
                + line("dependency satisfied -> dependent's agent started", dependencyToAgent)
                + line("answer returned -> agent running again", answerToAgent);
        System.out.print(section);
        figures.append(section);
      }
    }
    Path output = Path.of(options.getOrDefault("output", "starter/target/bench/wait-latency.txt"));
    Files.createDirectories(output.toAbsolutePath().getParent());
    Files.writeString(output, figures.toString());
  }

  private static String line(String what, List<Long> values) {
    return format(
        "  %-52s p50 %5.0f  p95 %5.0f  max %5.0f%n",
        what, percentile(values, 50), percentile(values, 95), BenchFigures.max(values));
  }

  private static long lastUpsert(List<HistoryEvent> history) {
    long last = 0;
    for (HistoryEvent event : history) {
      if (event.getEventType() == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES) {
        last = Histories.millis(event.getEventTime());
      }
    }
    return last;
  }

  private static long firstStamp(Path stamps, String id) throws IOException {
    return stamps(stamps, id).get(0);
  }

  /** The agent's start stamps for one task, in wall-clock milliseconds, one per run. */
  private static List<Long> stamps(Path stamps, String id) throws IOException {
    return Files.readAllLines(stamps.resolve(id)).stream()
        .map(line -> Long.parseLong(line.trim()) / 1_000_000)
        .toList();
  }

  private static void check(CliRun.Result result) {
    if (result.exitCode() != 0) {
      throw new IllegalStateException(result.toString());
    }
  }
}
