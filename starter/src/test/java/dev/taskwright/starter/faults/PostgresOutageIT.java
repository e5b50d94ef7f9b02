package dev.taskwright.starter.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.ledger.EmbeddedPostgres;
import dev.taskwright.ledger.testing.TestDatabase;
import dev.taskwright.starter.CliEnvironment;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.FaultSandbox;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.TaskInvariants;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ledger's PostgreSQL stopped for 30 s while an agent runs: the task does not wait for it and
 * completes; once the database is back, the ledger catches up with every run and state change, each
 * once.
 */
class PostgresOutageIT {

  private static final Duration OUTAGE = Duration.ofSeconds(30);
  private static final Duration WITHIN = Duration.ofMinutes(4);

  @RegisterExtension final FaultSandbox sandbox = new FaultSandbox();
  private Path postgresRoot;
  private EmbeddedPostgres postgres;

  @AfterEach
  void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void aLedgerDownForThirtySecondsMidRunCatchesUpWithEveryRow() throws Exception {
    // A server of the test's own, outside the workers' home, that the test stops and starts.
    postgresRoot = sandbox.folder().resolve("ledger-postgres");
    postgres =
        EmbeddedPostgres.startOrAttach(
            postgresRoot, TestDatabase.binaryCache(), EmbeddedPostgres.Stop.ON_CLOSE);
    sandbox
        .env(CliEnvironment.DATABASE_URL, postgres.jdbcUrl("postgres"))
        .env(CliEnvironment.DATABASE_USER, EmbeddedPostgres.SUPERUSER)
        .env(CliEnvironment.DATABASE_PASSWORD, postgres.superuserPassword());
    HeldAgent agent = new HeldAgent(sandbox, "ledger-down");
    sandbox.model().script(agent);
    sandbox.startWorker();
    String base = GitRepos.git(sandbox.repo(), "rev-parse", "HEAD");

    var run = sandbox.cli().run("run", "--id", "ledger-down", "--auto-accept", agent.prompt());
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    agent.awaitHeld(Duration.ofMinutes(2));

    postgres.close();
    long stopped = System.nanoTime();
    agent.release();
    // The task finishes its work with the ledger down: only closing the workflow waits for it.
    sandbox.awaitState("ledger-down", "COMPLETED", WITHIN);
    var list = sandbox.cli().run("list");
    assertThat(list.exitCode())
        .as("list with the ledger down: " + list)
        .isEqualTo(ExitCodes.UNREACHABLE);
    Thread.sleep(Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - stopped) / 1_000_000));

    postgres =
        EmbeddedPostgres.startOrAttach(
            postgresRoot, TestDatabase.binaryCache(), EmbeddedPostgres.Stop.ON_CLOSE);
    // The invariants wait for the workflow to close, which it does once its ledger writes land.
    TaskInvariants.assertFinishedOnce(
        sandbox, "ledger-down", "COMPLETED", base, agent.file(), agent.content());
  }
}
