package dev.taskwright.starter.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.GitRepos;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With no server at the address, every command that needs one says so within seconds, with exit
 * code 5.
 */
class ConnectionTest {

  @TempDir Path temp;

  /** A loopback port nothing listens on: bound once to find it free, then released. */
  static String deadAddress() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + socket.getLocalPort();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"status", "cancel", "run", "answer", "accept", "reject", "retry", "abandon"})
  void unreachableServerIsExitFiveWithTheAddressAndWhatToDo(String command) throws Exception {
    String address = deadAddress();
    Path repo = GitRepos.create(temp.resolve("repo"));
    String[] args =
        switch (command) {
          case "run" ->
              new String[] {"run", "--repo", repo.toString(), "--command", "true", "do something"};
          case "answer", "reject" -> new String[] {command, "some-task", "some words"};
          default -> new String[] {command, "some-task"};
        };

    var result = CliRun.with().home(temp.resolve("home")).temporal(address).run(args);

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(result.err().strip().lines()).hasSize(1);
    assertThat(result.err())
        .contains(address, "taskwright dev", "TEMPORAL_ADDRESS")
        .doesNotContain("Exception");
    assertThat(result.took()).as("reported quickly").isLessThan(Duration.ofSeconds(8));
  }
}
