package dev.taskwright.starter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.starter.support.WorkerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, which has no logback-test.xml, configures logging in code
 * (QuietLoggingConfigurator): a command prints its own words and no log line, no logback status
 * message and no warning about a missing configuration.
 */
class PackagedJarOutputIT {

  @Test
  void aFailingCommandPrintsItsOneLineAndNothingFromLogging(@TempDir Path home) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                WorkerProcess.jar().toString(),
                "status",
                "some-task"));
    // Port 1 on loopback: nothing listens there, so the client's connection fails at once.
    builder.environment().put("TEMPORAL_ADDRESS", "127.0.0.1:1");
    builder.environment().put("TASKWRIGHT_HOME", home.toString());
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.exitValue()).as(err).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(out).isEmpty();
    assertThat(err.lines().toList())
        .singleElement()
        .asString()
        .startsWith("taskwright: no Temporal server answers at 127.0.0.1:1");
    try (var written = Files.list(home)) {
      assertThat(written.toList()).as("status writes nothing in the home").isEmpty();
    }
  }
}
