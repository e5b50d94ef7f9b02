package dev.taskwright.bench;

import static dev.taskwright.bench.BenchFigures.format;

import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.DevServer;
import dev.taskwright.starter.support.FaultSandbox;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.WorkerProcess;
import dev.taskwright.starter.support.Worktrees;
import dev.taskwright.testing.ClaudeCli;
import dev.taskwright.testing.ModelReply;
import dev.taskwright.testing.ModelRequest;
import dev.taskwright.testing.ScriptedModelServer;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One agent run of two hours, on {@code temporal server start-dev} with a worker process: the real
 * Claude Code CLI against a scripted model that streams every reply slowly (a delta every two
 * seconds, about a minute a turn, a Write of {@code progress.txt} at the end of each turn, so the
 * agent keeps working and printing). Time is not skipped. Every minute it samples the task's
 * history length, the Run activity's last heartbeat and the worker's and agent's resident memory. A
 * short task with the same script but one turn, first, gives the history of a simple task to
 * compare with: heartbeats must add no events. Run it with {@code bench/long-run.sh [MINUTES]}.
 */
public final class LongRunBench {

  private static final Pattern TASK_IN_PROMPT =
      Pattern.compile("/runs/([a-z0-9][a-z0-9.-]*)/question\\.json");
  private static final Duration DELTA_EVERY = Duration.ofSeconds(2);
  private static final int DELTAS_PER_TURN = 28;

  private LongRunBench() {}

  public static void main(String[] args) throws Exception {
    int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 120;
    Path output = Path.of(args.length > 1 ? args[1] : "target/bench/long-run.txt");
    // About a minute a turn: 28 text deltas and a few for the Write, two seconds apart.
    int turns = Math.max(1, minutes);
    Path work = Files.createTempDirectory("taskwright-long-run-");
    Path home = work.resolve("home");
    Path repo = GitRepos.create(work.resolve("repo"));
    String filler =
        "Working through the long task, one careful step at a time. "
            .repeat(20)
            .substring(0, DELTAS_PER_TURN * 24);

    try (ScriptedModelServer model =
            ScriptedModelServer.start(request -> reply(home, request, turns, filler));
        DevServer server = DevServer.start(work.resolve("temporal"))) {
      Map<String, String> env = new TreeMap<>(model.cliEnvironment(work.resolve("claude-home")));
      env.put("TEMPORAL_ADDRESS", server.address());
      env.put("TASKWRIGHT_HOME", home.toString());
      env.put("TASKWRIGHT_CLAUDE_BIN", ClaudeCli.locate().toString());
      env.put(
          "TASKWRIGHT_CACHE", dev.taskwright.ledger.testing.TestDatabase.binaryCache().toString());
      CliRun cli = CliRun.with().in(repo);
      env.forEach(cli::env);
      WorkflowServiceStubs service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(server.address()).build());
      try (WorkerProcess worker = WorkerProcess.start(env, work.resolve("worker.log"))) {
        check(
            cli.run(
                "run",
                "--id",
                "short-run",
                "--auto-accept",
                "--idle-timeout",
                "10m",
                "Write progress.txt"));
        cli.awaitState("short-run", "COMPLETED", Duration.ofMinutes(3));
        List<HistoryEvent> shortHistory = Histories.history(service, "short-run");

        long started = System.nanoTime();
        // One agent run for the whole time: the default limit of a run (1 h) would stop it halfway.
        check(
            cli.run(
                "run",
                "--id",
                "long-run",
                "--auto-accept",
                "--idle-timeout",
                "10m",
                "--timeout",
                (minutes + 60) + "m",
                "Write progress.txt, slowly"));
        List<String> samples = new ArrayList<>();
        List<Long> workerRss = new ArrayList<>();
        List<Long> lengths = new ArrayList<>();
        samples.add(
            "minute  history  run attempt  last heartbeat ago  worker RSS MiB  agent RSS MiB");
        int minute = 0;
        while (true) {
          Thread.sleep(Duration.ofMinutes(1).toMillis());
          minute++;
          DescribeWorkflowExecutionResponse description = Histories.describe(service, "long-run");
          if (description.getWorkflowExecutionInfo().hasCloseTime()) {
            break;
          }
          long length = description.getWorkflowExecutionInfo().getHistoryLength();
          String attempt = "-";
          String heartbeatAgo = "-";
          if (description.getPendingActivitiesCount() > 0) {
            var activity = description.getPendingActivities(0);
            attempt = activity.getActivityType().getName() + " #" + activity.getAttempt();
            if (activity.hasLastHeartbeatTime()) {
              heartbeatAgo =
                  (System.currentTimeMillis() / 1000 - activity.getLastHeartbeatTime().getSeconds())
                      + " s";
            }
          }
          long rss = BenchFigures.rssMiB(worker.pid());
          // This task's agent only: the processes working in this bench's worktrees.
          long agentRss =
              FaultSandbox.processesWorkingUnder(home.resolve("worktrees")).stream()
                  .mapToLong(p -> BenchFigures.rssMiB(p.pid()))
                  .sum();
          workerRss.add(rss);
          lengths.add(length);
          samples.add(
              format(
                  "%6d  %7d  %-11s  %18s  %14d  %13d",
                  minute, length, attempt, heartbeatAgo, rss, agentRss));
          System.out.println(samples.get(samples.size() - 1));
          if (minute > minutes + 30) {
            throw new IllegalStateException(
                "the long task did not finish within " + (minutes + 30) + " minutes");
          }
        }
        long took = System.nanoTime() - started;
        List<HistoryEvent> longHistory = Histories.history(service, "long-run");
        String state = cli.statusJson("long-run").path("state").asText();
        String figures =
            format(
                    "long task: %s after %.1f minutes, %d model turns, one Run activity attempt:"
                        + " %s%n",
                    state,
                    took / 60e9,
                    model.requests().stream()
                        .filter(request -> request.systemPrompt().contains("/runs/long-run/"))
                        .count(),
                    attempts(longHistory))
                + format(
                    "history events: long task %d, simple one-turn task %d (difference %d)%n",
                    longHistory.size(),
                    shortHistory.size(),
                    longHistory.size() - shortHistory.size())
                + format("events by type, long task:   %s%n", byType(longHistory))
                + format("events by type, simple task: %s%n", byType(shortHistory))
                + format(
                    "history length while the agent ran: min %d, max %d (sampled each minute)%n",
                    lengths.stream().mapToLong(Long::longValue).min().orElse(0),
                    lengths.stream().mapToLong(Long::longValue).max().orElse(0))
                + format(
                    "worker RSS: first sample %d MiB, median %.0f MiB, max %.0f MiB, last %d MiB%n",
                    workerRss.get(0),
                    BenchFigures.median(workerRss),
                    BenchFigures.max(workerRss),
                    workerRss.get(workerRss.size() - 1))
                + String.join("\n", samples)
                + "\n";
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, figures);
        System.out.print(figures);
      }
    }
  }

  private static ModelReply reply(Path home, ModelRequest request, int turns, String filler) {
    Matcher task = TASK_IN_PROMPT.matcher(request.systemPrompt());
    if (!task.find()) {
      return ModelReply.text("no task in the system prompt");
    }
    String id = task.group(1);
    int limit = id.equals("long-run") ? turns : 1;
    int turn = request.assistantTurns();
    if (turn >= limit) {
      return ModelReply.text("Done.\n\n## Summary\nWrote progress.txt over " + limit + " turns.");
    }
    Path progress = Worktrees.find(home, id).resolve("progress.txt");
    return ModelReply.text(filler)
        .andToolUse(
            "Write",
            Map.of(
                "file_path",
                progress.toString(),
                "content",
                "turn " + (turn + 1) + " of " + limit + "\n"))
        .slowly(id.equals("long-run") ? DELTA_EVERY : Duration.ZERO);
  }

  private static void check(CliRun.Result result) {
    if (result.exitCode() != 0) {
      throw new IllegalStateException(result.toString());
    }
  }

  private static String attempts(List<HistoryEvent> history) {
    return history.stream()
        .filter(event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
        .map(event -> Integer.toString(event.getActivityTaskStartedEventAttributes().getAttempt()))
        .toList()
        .toString();
  }

  static String byType(List<HistoryEvent> history) {
    Map<String, Integer> counts = new TreeMap<>();
    for (HistoryEvent event : history) {
      counts.merge(event.getEventType().name().replace("EVENT_TYPE_", ""), 1, Integer::sum);
    }
    return counts.toString();
  }
}
