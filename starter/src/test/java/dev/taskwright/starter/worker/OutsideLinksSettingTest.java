package dev.taskwright.starter.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code TASKWRIGHT_OUTSIDE_LINKS} (issue 13, item 16) is checked when a worker starts, not when a
 * task first commits.
 */
class OutsideLinksSettingTest {

  @TempDir Path temp;

  @Test
  void workerAndDevRefuseAnUnknownValueBeforeTheyConnect() {
    for (String command : new String[] {"worker", "dev"}) {
      // No server listens at port 1: exit 2 shows the variable was checked before any connection
      // was tried.
      var result =
          CliRun.with()
              .home(temp.resolve("home"))
              .temporal("127.0.0.1:1")
              .env("TASKWRIGHT_OUTSIDE_LINKS", "refuse-them")
              .run(command);

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(result.err())
          .contains(
              "TASKWRIGHT_OUTSIDE_LINKS='refuse-them' is not a known setting",
              "'warn'",
              "'refuse'");
    }
  }
}
