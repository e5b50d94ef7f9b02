package dev.taskwright.starter.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.starter.CliEnvironment;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.LedgerSeed;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code list}, {@code show}, {@code watch} and {@code stats} when the ledger's database does not
 * answer: exit 5, saying where and what to check.
 */
class ReadCommandsUnreachableTest {

  /** A loopback port that was free a moment ago, so nothing answers there. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "list",
        "show some-task",
        "watch --once",
        "watch --output json",
        "stats --by repo"
      })
  void aDatabaseThatDoesNotAnswerIsExitFiveWithWhereAndWhatToCheck(String command)
      throws IOException {
    String url = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/taskwright";

    CliRun.Result result =
        CliRun.with()
            .temporal(LedgerSeed.NO_TEMPORAL)
            .env(CliEnvironment.DATABASE_URL, url)
            .env(CliEnvironment.DATABASE_USER, "postgres")
            .run(command.split(" "));

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(result.out()).isEmpty();
    assertThat(result.err().strip())
        .startsWith(
            "taskwright: cannot read the task ledger (" + url + "): Connection to 127.0.0.1:")
        .contains("refused")
        .endsWith("; check that the server is up and TASKWRIGHT_DATABASE_URL is right")
        .doesNotContain("Connection is not available", "\tat ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"list", "stats"})
  void aUrlThatIsNotPostgresIsBadInput(String command) {
    CliRun.Result result =
        CliRun.with().env(CliEnvironment.DATABASE_URL, "mysql://localhost/tasks").run(command);

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.err()).contains("TASKWRIGHT_DATABASE_URL must be a PostgreSQL JDBC URL");
  }
}
