package dev.taskwright.starter.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.RealClaudeSandbox;
import dev.taskwright.testing.ModelReply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How long after {@code taskwright answer} returns the agent runs again, on the in-process Temporal
 * server with the real Claude Code CLI and the scripted model. Not part of the test suite (the name
 * matches no Surefire include); {@code bench/answer-latency.sh} runs it and records the figures.
 *
 * <p>Two figures per answer, both from the moment the {@code answer} command returned:
 *
 * <ul>
 *   <li><b>agent process started</b>: when the worker's {@code <home>/logs/<id>/agent.pid} record
 *       of the resumed run appears (the driver writes it as soon as the process has started),
 *       polled every millisecond. The record's own {@code startedAt} comes from the OS with a boot
 *       time rounded to the second on Linux, too coarse to subtract from a wall-clock instant.
 *   <li><b>first model request</b>: when the scripted server received the resumed run's first
 *       request, i.e. after the CLI itself has started up and sent the conversation.
 * </ul>
 */
class AnswerLatencyBench {

  static final int ROUNDS = 10;
  static final String ANSWER = "Use ahoy.";
  static final Path RESULT = Path.of("target", "bench", "answer-latency.txt");

  @RegisterExtension final RealClaudeSandbox sandbox = new RealClaudeSandbox();

  /**
   * Per task: System.nanoTime() when the scripted server got the first request that carries the
   * answer.
   */
  private final Map<String, Long> firstAnsweredRequest = new ConcurrentHashMap<>();

  @Test
  void answerToAgentLatency() throws Exception {
    sandbox
        .model()
        .script(
            request -> {
              String id =
                  request.systemPrompt().replaceAll("(?s).*taskwright task (\\S+)\\..*", "$1");
              if (request.conversationContains(ANSWER)) {
                firstAnsweredRequest.putIfAbsent(id, System.nanoTime());
                return ModelReply.text("Done.\n\n## Summary\nNothing to change.");
              }
              return request.assistantTurns() == 0
                  ? ModelReply.write(
                      sandbox.questionFile(id), "{\"question\": \"Which greeting?\"}")
                  : ModelReply.text("I asked.");
            });
    List<Long> toProcess = new ArrayList<>();
    List<Long> toRequest = new ArrayList<>();
    for (int round = 0; round < ROUNDS + 1; round++) {
      String id = "bench-" + round;
      CliRun.Result run =
          sandbox.cli().run("run", "--id", id, "--auto-accept", "--wait", "Greet the crew");
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.TASK_NOT_SUCCESSFUL);
      Path pidRecord = sandbox.home().resolve("logs").resolve(id).resolve("agent.pid");
      assertThat(pidRecord).as("the first run's record is gone").doesNotExist();

      CliRun.Result answer = sandbox.cli().run("answer", id, ANSWER);
      long answered = System.nanoTime();
      assertThat(answer.exitCode()).as(answer.toString()).isZero();
      long started = awaitFile(pidRecord);
      sandbox.cli().awaitState(id, "COMPLETED", Duration.ofSeconds(60));
      // Round 0 warms up the JIT, the CLI's caches and the worker's pollers; it is not counted.
      if (round > 0) {
        toProcess.add(started - answered);
        toRequest.add(firstAnsweredRequest.get(id) - answered);
      }
    }
    String figures =
        String.format(
            Locale.ROOT,
            "agent process started: median %d ms, p95 %d ms%nfirst model request:   median %d ms,"
                + " p95 %d ms%nrounds: %d (after one warm-up)%nagent process started, each (ms):"
                + " %s%nfirst model request, each (ms): %s%n",
            millis(median(toProcess)),
            millis(percentile(toProcess, 95)),
            millis(median(toRequest)),
            millis(percentile(toRequest, 95)),
            ROUNDS,
            toProcess.stream().map(AnswerLatencyBench::millis).toList(),
            toRequest.stream().map(AnswerLatencyBench::millis).toList());
    Files.createDirectories(RESULT.getParent());
    Files.writeString(RESULT, figures);
    System.out.print(figures);
  }

  /**
   * System.nanoTime() when {@code file} first exists, polling every millisecond; fails after 30 s.
   */
  private static long awaitFile(Path file) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!Files.exists(file)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(file + " never appeared");
      }
      Thread.sleep(1);
    }
    return System.nanoTime();
  }

  static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1
        ? sorted.get(middle)
        : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }

  /** Nearest-rank percentile: of 10 values, p95 is the largest. */
  static long percentile(List<Long> values, int percent) {
    List<Long> sorted = values.stream().sorted().toList();
    int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  private static long millis(long nanos) {
    return Math.round(nanos / 1_000_000.0);
  }
}
