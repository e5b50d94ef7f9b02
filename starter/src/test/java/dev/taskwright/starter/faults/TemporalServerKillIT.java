package dev.taskwright.starter.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.FaultSandbox;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.TaskInvariants;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * kill -9 of the Temporal server while an agent runs, and a restart on the same database file: the
 * worker rides out the outage, the agent's work is reported once the server is back, and the task
 * completes once, with one commit, in one session.
 */
class TemporalServerKillIT {

  private static final Duration WITHIN = Duration.ofMinutes(4);

  @RegisterExtension final FaultSandbox sandbox = new FaultSandbox();

  @Test
  void theServerKilledMidRunAndRestartedOnItsDatabaseLosesNothing() throws Exception {
    HeldAgent agent = new HeldAgent(sandbox, "server-kill");
    sandbox.model().script(agent);
    sandbox.startWorker();
    String base = GitRepos.git(sandbox.repo(), "rev-parse", "HEAD");

    var run = sandbox.cli().run("run", "--id", "server-kill", "--auto-accept", agent.prompt());
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    agent.awaitHeld(Duration.ofMinutes(2));

    sandbox.server().kill();
    var unreachable = sandbox.cli().run("status", "server-kill");
    assertThat(unreachable.exitCode())
        .as("status with the server down: " + unreachable)
        .isEqualTo(ExitCodes.UNREACHABLE);
    // The agent carries on while the server is down, and finishes before it returns.
    agent.release();
    Thread.sleep(5_000);
    sandbox.server().restart();

    sandbox.awaitState("server-kill", "COMPLETED", WITHIN);
    TaskInvariants.assertFinishedOnce(
        sandbox, "server-kill", "COMPLETED", base, agent.file(), agent.content());
  }
}
