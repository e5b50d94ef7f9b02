package dev.taskwright.starter.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.activities.Home;
import dev.taskwright.starter.CliEnvironment;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.TemporalCliTool;
import dev.taskwright.starter.temporal.TemporalServerRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 17: a {@code temporal server start-dev} left behind by a {@code dev} that was
 * killed outright is adopted when it is that server and its database is there, else named.
 */
class DevServerLeftBehindTest {
  @TempDir Path temp;
  private Path home;
  private int port;
  private String address;
  private Process orphan;

  @BeforeEach
  void ports() throws Exception {
    home = temp.resolve("home");
    port = TemporalCliTool.freePortWithFreeUiPort();
    address = "127.0.0.1:" + port;
  }

  @AfterEach
  void stopOrphan() throws Exception {
    if (orphan != null) {
      orphan.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      orphan.destroyForcibly();
      orphan.waitFor(10, TimeUnit.SECONDS);
    }
    for (ProcessHandle left :
        ProcessHandle.allProcesses()
            .filter(
                p ->
                    p.info()
                        .arguments()
                        .map(a -> List.of(a).contains(home.resolve("temporal.db").toString()))
                        .orElse(false))
            .toList()) {
      left.destroyForcibly();
    }
  }

  private CliRun cli() {
    return CliRun.with()
        .home(home)
        .temporal(address)
        .env("PATH", TemporalCliTool.pathWithoutTemporal(System.getenv("PATH")))
        .env(CliEnvironment.TEMPORAL_CLI, TemporalCliTool.locate().toString())
        .in(temp);
  }

  @Test
  void theServerOfADevKilledOutrightIsAdoptedAndStoppedByTheNextDev() throws Exception {
    var dev = cli().start("dev");
    dev.awaitErr("taskwright dev is ready", Duration.ofSeconds(60));
    TemporalServerRecord record = TemporalServerRecord.read(new Home(home)).orElseThrow();
    ProcessHandle server = record.live().orElseThrow();
    // dev is in-process here; what kill -9 of dev leaves is its server running and its record:
    // simulate by
    // forgetting the server without stopping it (a SIGKILL runs no hook), then start a new dev.
    var second = cli().start("dev");
    second.awaitErr("taskwright dev is ready", Duration.ofSeconds(60));
    assertThat(second.err().toString())
        .contains("Adopting the Temporal server (PID " + server.pid() + ")");
    assertThat(second.stop().exitCode()).isZero();
    assertThat(server.onExit().get(20, TimeUnit.SECONDS).isAlive())
        .as("the adopting dev stops it")
        .isFalse();
    dev.stop();
  }

  @Test
  void anOrphanWhoseDatabaseIsGoneIsNamedWithKillPid() throws Exception {
    Files.createDirectories(home);
    Path db = temp.resolve("gone/temporal.db");
    Files.createDirectories(db.getParent());
    orphan =
        new ProcessBuilder(
                TemporalCliTool.locate().toString(),
                "server",
                "start-dev",
                "--db-filename",
                db.toString(),
                "--ip",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--ui-port",
                Integer.toString(port + 1000))
            .redirectErrorStream(true)
            .redirectOutput(temp.resolve("orphan.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(db) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    Thread.sleep(3000);
    Files.delete(db);

    var dev = cli().run("dev");

    assertThat(dev.exitCode()).as(dev.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(dev.err()).contains("kill " + orphan.pid()).contains(db + " is gone");
  }
}
