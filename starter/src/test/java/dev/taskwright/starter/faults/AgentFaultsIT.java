package dev.taskwright.starter.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskwright.starter.CliEnvironment;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.FaultSandbox;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.TaskInvariants;
import dev.taskwright.testing.ClaudeCli;
import dev.taskwright.testing.ModelReply;
import dev.taskwright.testing.ModelRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent misbehaves while a real worker runs it against a real server: it hangs printing
 * nothing, it crashes, it prints malformed and 10 MB lines. Each time the task still completes
 * once, in its one session, with one commit, and no agent process is left behind.
 */
class AgentFaultsIT {

  private static final Duration WITHIN = Duration.ofMinutes(4);
  private static final String TASK = "agent-fault";
  private static final String FILE = TASK + ".txt";
  private static final String CONTENT = "written by the agent\n";

  @RegisterExtension final FaultSandbox sandbox = new FaultSandbox();

  @Test
  void anAgentThatPrintsNothingIsStoppedByTheIdleWatchdogAndItsSessionResumed() throws Exception {
    AtomicBoolean hung = new AtomicBoolean();
    sandbox
        .model()
        .script(
            request ->
                hung.compareAndSet(false, true) ? ModelReply.hang() : writeThenSumUp(request));
    sandbox.startWorker();
    String base = head();

    run("--idle-timeout", "8s");
    JsonNode status = sandbox.awaitState(TASK, "COMPLETED", WITHIN);

    TaskInvariants.assertFinishedOnce(sandbox, TASK, "COMPLETED", base, FILE, CONTENT);
    assertThat(status.path("attempts").asInt()).isEqualTo(2);
    assertThat(runErrors())
        .first()
        .asString()
        .contains("printed nothing for PT8S", "idle watchdog");
  }

  @Test
  void anAgentThatCrashesMidRunIsRetriedInItsSession() throws Exception {
    CountDownLatch asked = new CountDownLatch(1);
    CountDownLatch crashed = new CountDownLatch(1);
    AtomicBoolean first = new AtomicBoolean(true);
    sandbox
        .model()
        .script(
            request -> {
              if (first.compareAndSet(true, false)) {
                asked.countDown();
                await(crashed);
                return ModelReply.text("too late: the agent is gone");
              }
              return writeThenSumUp(request);
            });
    sandbox.startWorker();
    String base = head();

    run();
    assertThat(asked.await(2, TimeUnit.MINUTES)).isTrue();
    long agent = sandbox.recordedAgentPid(TASK).orElseThrow();
    ProcessHandle.of(agent).orElseThrow().destroyForcibly();
    crashed.countDown();
    JsonNode status = sandbox.awaitState(TASK, "COMPLETED", WITHIN);

    TaskInvariants.assertFinishedOnce(sandbox, TASK, "COMPLETED", base, FILE, CONTENT);
    assertThat(status.path("attempts").asInt()).isEqualTo(2);
    assertThat(runErrors()).first().asString().isNotBlank();
  }

  @Test
  void malformedAndTenMegabyteLinesFromTheAgentAreSkippedAndTheRunCompletes() throws Exception {
    // The real CLI behind a wrapper that first prints a broken JSON line and two 10 MB lines, one
    // JSON and one not, as an agent with a runaway tool output might.
    Path wrapper = sandbox.folder().resolve("noisy-claude");
    Files.writeString(
        wrapper,
        String.join(
            "\n",
            "#!/bin/sh",
            "echo '{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",'",
            "printf '{\"type\":\"noise\",\"data\":\"'; head -c 10485760 /dev/zero | tr '\\0' 'x';"
                + " printf '\"}\\n"
                + "'",
            "head -c 10485760 /dev/zero | tr '\\0' 'y'; echo",
            "exec '" + ClaudeCli.locate() + "' \"$@\"",
            ""));
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    sandbox.env(CliEnvironment.CLAUDE_BIN, wrapper.toString());
    sandbox.model().script(this::writeThenSumUp);
    sandbox.startWorker();
    String base = head();

    run();
    JsonNode status = sandbox.awaitState(TASK, "COMPLETED", WITHIN);

    TaskInvariants.assertFinishedOnce(sandbox, TASK, "COMPLETED", base, FILE, CONTENT);
    assertThat(status.path("attempts").asInt()).as("the noise cost no extra run").isEqualTo(1);
    assertThat(status.path("summary").asText()).isEqualTo("Wrote " + FILE + ".");
    var logs = sandbox.cli().run("logs", TASK);
    assertThat(logs.exitCode()).as(logs.toString()).isZero();
    assertThat(logs.out()).contains("Wrote " + FILE).hasSizeLessThan(1_000_000);
  }

  private void run(String... options) {
    List<String> command = new java.util.ArrayList<>(List.of("run", "--id", TASK, "--auto-accept"));
    command.addAll(List.of(options));
    command.add("Task " + TASK + ": write " + FILE);
    var run = sandbox.cli().run(command.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
  }

  private String head() throws Exception {
    return GitRepos.git(sandbox.repo(), "rev-parse", "HEAD");
  }

  private List<String> runErrors() throws Exception {
    JsonNode shown =
        new ObjectMapper().readTree(sandbox.cli().run("show", TASK, "--output", "json").out());
    List<String> errors = new java.util.ArrayList<>();
    shown.path("runs").forEach(run -> errors.add(run.path("error").asText("")));
    return errors;
  }

  private ModelReply writeThenSumUp(ModelRequest request) {
    if (!request.conversationContains("File created successfully")) {
      return ModelReply.write(sandbox.worktree(TASK).resolve(FILE), CONTENT);
    }
    return HeldAgent.summingUp(FILE);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(2, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
