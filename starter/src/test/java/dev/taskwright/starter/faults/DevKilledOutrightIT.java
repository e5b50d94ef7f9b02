package dev.taskwright.starter.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.activities.Home;
import dev.taskwright.ledger.testing.TestDatabase;
import dev.taskwright.starter.CliEnvironment;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.TemporalCliTool;
import dev.taskwright.starter.support.WorkerProcess;
import dev.taskwright.starter.temporal.TemporalServerRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 17, with a real SIGKILL: {@code java -jar taskwright.jar dev} is killed outright,
 * so no hook stops the {@code temporal server start-dev} it started. The next {@code dev} must not
 * take that server for an outside one: it adopts it (its record names it and its database is there)
 * and stops it when it ends, leaving nothing running.
 */
class DevKilledOutrightIT {

  private static final String READY = "taskwright dev is ready";

  @TempDir Path temp;
  private Path home;
  private final Map<String, String> environment = new LinkedHashMap<>();

  @BeforeEach
  void environment() throws Exception {
    home = temp.resolve("home");
    environment.put("TASKWRIGHT_HOME", home.toString());
    environment.put("TEMPORAL_ADDRESS", "127.0.0.1:" + TemporalCliTool.freePortWithFreeUiPort());
    environment.put("PATH", TemporalCliTool.pathWithoutTemporal(System.getenv("PATH")));
    environment.put(CliEnvironment.TEMPORAL_CLI, TemporalCliTool.locate().toString());
    environment.put(CliEnvironment.CACHE, TestDatabase.binaryCache().toString());
  }

  /** Whatever the test left running under its home: servers, the embedded PostgreSQL. */
  @AfterEach
  void stopWhatIsLeft() {
    List<ProcessHandle> left =
        ProcessHandle.allProcesses()
            .filter(
                process ->
                    process
                        .info()
                        .arguments()
                        .map(arguments -> String.join(" ", arguments).contains(home.toString()))
                        .orElse(false))
            .toList();
    left.forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * Issue 13, item 2, with the real server: nothing under the home (the Temporal CLI's database
   * with every prompt and answer, its log, the ledger's files) is open to other users.
   */
  private static void assertOwnerOnly(Path path) throws IOException {
    try (Stream<Path> all = Files.walk(path)) {
      List<String> open =
          all.filter(each -> !Files.isSymbolicLink(each))
              .filter(
                  each -> {
                    try {
                      return Files.getPosixFilePermissions(each).stream()
                          .anyMatch(permission -> !permission.name().startsWith("OWNER_"));
                    } catch (IOException gone) {
                      return false; // removed while walking (a journal file)
                    }
                  })
              .map(Path::toString)
              .toList();
      assertThat(open).as("readable by others").isEmpty();
    }
  }

  @Test
  void theServerOfADevKilledWithSigkillIsAdoptedAndStoppedByTheNextDev() throws Exception {
    WorkerProcess first = WorkerProcess.start(environment, temp.resolve("dev-1.log"), "dev", READY);
    ProcessHandle server =
        TemporalServerRecord.read(new Home(home)).orElseThrow().live().orElseThrow();
    assertOwnerOnly(home.resolve("temporal.db"));
    assertOwnerOnly(home);

    first.kill();

    assertThat(server.isAlive()).as("SIGKILL runs no hook: the server is left behind").isTrue();

    CliRun cli = CliRun.with().in(temp);
    environment.forEach(cli::env);
    var second = cli.start("dev");
    second.awaitErr(READY, Duration.ofSeconds(90));
    assertThat(second.err().toString())
        .contains("Adopting the Temporal server (PID " + server.pid() + ")");
    assertThat(second.stop().exitCode()).isZero();

    assertThat(server.onExit().get(30, TimeUnit.SECONDS).isAlive())
        .as("the dev that adopted the server stops it when it ends")
        .isFalse();
  }
}
