package dev.taskwright.starter.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.starter.CliEnvironment;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.TemporalCliTool;
import dev.taskwright.starter.support.TemporalFixture;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dev} starts an in-process server when none answers and there is no Temporal CLI, and says
 * it is not durable; {@code dev} and {@code worker} use a server that answers; both run tasks until
 * stopped, then stop cleanly. (With the Temporal CLI: {@link DevCliServerTest}.)
 */
class DevAndWorkerTest {

  @TempDir Path temp;

  private CliRun cli(String address) {
    return CliRun.with().home(temp.resolve("home")).temporal(address).in(temp);
  }

  private void runATask(String address, String id) throws Exception {
    Path repo = temp.resolve("repo-" + id);
    GitRepos.create(repo);
    var run =
        cli(address)
            .run(
                "run",
                "--id",
                id,
                "--repo",
                repo.toString(),
                "--auto-accept",
                "--wait",
                "--command",
                "touch done.txt",
                "touch a file");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    assertThat(GitRepos.git(repo, "show", "--name-only", "--format=", "taskwright/" + id))
        .isEqualTo("done.txt");
  }

  @Test
  void devStartsAnInProcessServerWhenNoneAnswersAndWarnsThatItIsNotDurable() throws Exception {
    String address;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      address = "127.0.0.1:" + socket.getLocalPort();
    }
    // Without the Temporal CLI, which dev would otherwise run as its durable server
    // (DevCliServerTest).
    var dev =
        cli(address)
            .env("PATH", TemporalCliTool.pathWithoutTemporal(System.getenv("PATH")))
            .env(CliEnvironment.TEMPORAL_CLI, null)
            .start("dev");
    dev.awaitErr("taskwright dev is ready", Duration.ofSeconds(30));
    assertThat(dev.err().toString())
        .contains(
            "started an in-process one at " + address,
            "NOTHING across restarts",
            "temporal server start-dev");

    runATask(address, "via-dev");

    var ended = dev.stop();
    assertThat(ended.exitCode()).as(ended.toString()).isZero();
    assertThat(temp.resolve("home/logs/worker.log")).exists();
    assertThat(Files.readString(temp.resolve("home/logs/worker.log")))
        .contains("Worker started", "Task via-dev", "Worker stopped");
    assertThat(cli(address).run("status", "via-dev").exitCode())
        .as("the in-process server went away with dev")
        .isEqualTo(ExitCodes.UNREACHABLE);
  }

  @Test
  void devAndWorkerUseAServerThatAnswers() throws Exception {
    try (TemporalFixture temporal = TemporalFixture.start()) {
      var dev = cli("127.0.0.1:1").start("dev", "--temporal", temporal.address());
      dev.awaitErr("taskwright dev is ready", Duration.ofSeconds(30));
      assertThat(dev.err().toString())
          .contains("Using the Temporal server at " + temporal.address())
          .doesNotContain("WARNING");
      runATask(temporal.address(), "via-dev-existing");
      assertThat(dev.stop().exitCode()).isZero();

      var worker = cli(temporal.address()).start("worker");
      worker.awaitErr("Worker running against " + temporal.address(), Duration.ofSeconds(30));
      runATask(temporal.address(), "via-worker");
      assertThat(worker.stop().exitCode()).isZero();
    }
  }

  @Test
  void workerWithoutAServerIsExitFive() {
    var result = cli("127.0.0.1:1").run("worker");
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(result.err()).contains("127.0.0.1:1", "taskwright dev");
  }
}
