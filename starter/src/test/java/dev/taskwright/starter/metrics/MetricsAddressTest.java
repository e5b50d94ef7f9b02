package dev.taskwright.starter.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwright.starter.CliException;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code TASKWRIGHT_METRICS_ADDRESS} and {@code --metrics-address}: what they accept, and a clear
 * exit 2 for the rest.
 */
class MetricsAddressTest {

  @TempDir Path temp;

  @Test
  void aPortAloneListensOnThisMachineOnly() {
    assertThat(MetricsAddress.parse("9464", "X")).isEqualTo(new MetricsAddress("127.0.0.1", 9464));
    assertThat(MetricsAddress.parse(" 9464 ", "X"))
        .isEqualTo(new MetricsAddress("127.0.0.1", 9464));
  }

  @Test
  void aHostAndPortListenWhereTheySay() {
    assertThat(MetricsAddress.parse("0.0.0.0:9464", "X"))
        .isEqualTo(new MetricsAddress("0.0.0.0", 9464));
    assertThat(MetricsAddress.parse("localhost:1", "X"))
        .isEqualTo(new MetricsAddress("localhost", 1));
    assertThat(MetricsAddress.parse("[::]:65535", "X")).isEqualTo(new MetricsAddress("::", 65535));
    assertThat(MetricsAddress.parse("[::]:65535", "X")).hasToString("[::]:65535");
  }

  @Test
  void unsetMeansNoMetrics() {
    assertThat(MetricsAddress.parse(null, "X")).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "abc",
        "0",
        "-1",
        "65536",
        "99999999999",
        "9464x",
        ":9464",
        "0.0.0.0:",
        "::1:9464",
        "[::1]:",
        "no-such-host.invalid:9464"
      })
  void aBadValueIsBadInputNamingTheVariable(String value) {
    assertThatThrownBy(() -> MetricsAddress.parse(value, "TASKWRIGHT_METRICS_ADDRESS"))
        .isInstanceOfSatisfying(
            CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.BAD_INPUT))
        .hasMessageStartingWith(
            "TASKWRIGHT_METRICS_ADDRESS='" + value + "' is not a metrics address ([HOST:]PORT)");
  }

  @Test
  void workerAndDevRefuseABadVariableBeforeTheyConnect() {
    for (String command : new String[] {"worker", "dev"}) {
      // No server listens at port 1: exit 2 shows the variable was checked before any connection
      // was tried.
      var result =
          CliRun.with()
              .home(temp.resolve("home"))
              .temporal("127.0.0.1:1")
              .env("TASKWRIGHT_METRICS_ADDRESS", "nine")
              .run(command);
      assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(result.err())
          .contains("TASKWRIGHT_METRICS_ADDRESS='nine' is not a metrics address", "0.0.0.0:9464");
    }
  }

  @Test
  void workerRefusesABadOptionNamingIt() {
    var result =
        CliRun.with()
            .home(temp.resolve("home"))
            .temporal("127.0.0.1:1")
            .run("worker", "--metrics-address", "70000");
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.err())
        .contains("--metrics-address='70000' is not a metrics address", "1 to 65535");
  }
}
