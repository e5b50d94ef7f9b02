package dev.taskwright.starter.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.FaultSandbox;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.TaskInvariants;
import dev.taskwright.starter.support.WorkerProcess;
import dev.taskwright.testing.ModelReply;
import dev.taskwright.testing.ModelRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * kill -9 of the worker process at chosen points of a task run by the real Claude Code CLI, then a
 * new worker: the task still completes once, with one commit, in the same agent session, and the
 * new worker kills the agent the dead one left running before it resumes the session.
 *
 * <p>{@link #randomKillPoints} is the soak: {@code bench/worker-kill-soak.sh} sets {@code
 * taskwright.killRuns} (default 1) and {@code taskwright.killSeed} (default: the clock).
 */
class WorkerKillIT {

  /**
   * Long enough for a worker restart, the agent heartbeat timeout and the rest of the task, on a
   * loaded machine.
   */
  private static final Duration WITHIN = Duration.ofMinutes(4);

  /** One soak run's limit: the task's limit and the sandbox's start and stop. */
  private static final Duration ONE_RUN = Duration.ofMinutes(6);

  private static final String TASK = "kill-1";
  private static final String FILE = "kill-1.txt";
  private static final String CONTENT = "written by the agent of kill-1\n";

  @RegisterExtension final FaultSandbox sandbox = new FaultSandbox();

  /** Where the worker dies. */
  enum KillPoint {
    /** The agent waits on the model's first reply: it is mid-run, has done nothing yet. */
    WAITING_FOR_THE_MODEL,
    /** The agent has written the file and waits on the model for what to do next. */
    AFTER_ITS_FIRST_TOOL,
    /**
     * The model has given its last reply: the agent is finishing, then come the commit and the
     * summary.
     */
    AS_THE_AGENT_FINISHES
  }

  @ParameterizedTest
  @EnumSource(
      value = KillPoint.class,
      names = {"WAITING_FOR_THE_MODEL", "AS_THE_AGENT_FINISHES"})
  void aWorkerKilledAtThisPointIsReplacedAndTheTaskCompletesOnce(KillPoint point) throws Exception {
    killAndRecover(sandbox, point, Duration.ZERO);
  }

  /**
   * Kill points and delays after them drawn at random, each run in a fresh sandbox; prints {@code
   * passed N of N} and fails if any run failed.
   */
  @Test
  @Timeout(value = 3, unit = TimeUnit.HOURS)
  void randomKillPoints() throws Exception {
    int runs = Integer.getInteger("taskwright.killRuns", 1);
    String configured = System.getProperty("taskwright.killSeed");
    long seed =
        configured == null || configured.isBlank() ? System.nanoTime() : Long.parseLong(configured);
    Random random = new Random(seed);
    List<String> failures = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      KillPoint point = KillPoint.values()[random.nextInt(KillPoint.values().length)];
      Duration delay = Duration.ofMillis(random.nextInt(3000));
      String name =
          "run "
              + run
              + " (seed "
              + seed
              + "): kill at "
              + point
              + " + "
              + delay.toMillis()
              + " ms";
      long started = System.nanoTime();
      try {
        FaultSandbox own = new FaultSandbox();
        assertTimeoutPreemptively(
            ONE_RUN, () -> inSandbox(own, () -> killAndRecover(own, point, delay)));
        System.out.printf(
            "%s: passed in %d s%n",
            name, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
      } catch (AssertionError | Exception e) {
        failures.add(name + ": " + e);
        System.out.printf("%s: FAILED: %s%n", name, e);
        e.printStackTrace(System.out);
      }
    }
    System.out.printf("passed %d of %d%n", runs - failures.size(), runs);
    assertThat(failures).as("soak runs that failed").isEmpty();
  }

  private interface Body {
    void run() throws Exception;
  }

  // The sandbox's own cleanup failure is thrown only when the test itself passed.
  @SuppressWarnings("Finally")
  private static void inSandbox(FaultSandbox own, Body body) throws Exception {
    own.beforeEach(null);
    Throwable failure = null;
    try {
      body.run();
    } catch (Throwable e) {
      failure = e;
      throw e;
    } finally {
      try {
        own.afterEach(null);
      } catch (Throwable cleanup) {
        if (failure == null) {
          throw cleanup;
        }
        failure.addSuppressed(cleanup);
      }
    }
  }

  private static void killAndRecover(FaultSandbox sandbox, KillPoint point, Duration delay)
      throws Exception {
    HeldModel model = new HeldModel(sandbox, point);
    sandbox.model().script(model::reply);
    WorkerProcess first = sandbox.startWorker();
    String base = GitRepos.git(sandbox.repo(), "rev-parse", "HEAD");

    var run =
        sandbox.cli().run("run", "--id", TASK, "--auto-accept", "Task " + TASK + ": write " + FILE);
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    assertThat(model.reached.await(2, TimeUnit.MINUTES))
        .as("the task reached " + point + "\n" + sandbox.workerLogs())
        .isTrue();
    Thread.sleep(delay.toMillis());
    Optional<Long> orphan =
        sandbox
            .recordedAgentPid(TASK)
            .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    first.kill();
    boolean orphanOutlivedTheWorker =
        orphan.flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);

    WorkerProcess second = sandbox.startWorker();
    sandbox.awaitState(TASK, "COMPLETED", WITHIN);

    TaskInvariants.assertFinishedOnce(sandbox, TASK, "COMPLETED", base, FILE, CONTENT);
    if (point != KillPoint.AS_THE_AGENT_FINISHES) {
      // Held by the model, the agent could not have finished by itself: the new worker killed it.
      assertThat(orphanOutlivedTheWorker)
          .as("the agent was still running when its worker died")
          .isTrue();
      assertThat(second.log())
          .as("the new worker killed the agent the dead one left")
          .contains("still running from an earlier attempt; killing it");
    }
    orphan.ifPresent(
        pid ->
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("the orphaned agent %s", pid)
                .isFalse());
  }

  /**
   * Writes the file, then sums up; at the kill point the model holds its reply until the agent is
   * killed.
   */
  private static final class HeldModel {
    private final FaultSandbox sandbox;
    private final KillPoint point;
    private final AtomicBoolean held = new AtomicBoolean();
    private final CountDownLatch reached = new CountDownLatch(1);

    HeldModel(FaultSandbox sandbox, KillPoint point) {
      this.sandbox = sandbox;
      this.point = point;
    }

    ModelReply reply(ModelRequest request) {
      boolean written = !request.toolResults().isEmpty();
      KillPoint here = written ? KillPoint.AFTER_ITS_FIRST_TOOL : KillPoint.WAITING_FOR_THE_MODEL;
      if (point == here && held.compareAndSet(false, true)) {
        reached.countDown();
        return ModelReply.hang();
      }
      if (!written) {
        return ModelReply.write(sandbox.worktree(TASK).resolve(FILE), CONTENT);
      }
      if (point == KillPoint.AS_THE_AGENT_FINISHES && held.compareAndSet(false, true)) {
        reached.countDown();
      }
      return HeldAgent.summingUp(FILE);
    }
  }
}
