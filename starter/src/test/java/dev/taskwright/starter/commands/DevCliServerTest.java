package dev.taskwright.starter.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.starter.CliEnvironment;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.TemporalCliTool;
import dev.taskwright.starter.temporal.SearchAttributeRegistration;
import dev.taskwright.starter.temporal.TemporalConnection;
import dev.taskwright.starter.temporal.TemporalSettings;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dev} with the real Temporal CLI ({@code temporal server start-dev}, built into {@code
 * .tools/} by {@code bin/install-test-tools}): tasks outlive a restart of dev, the search
 * attributes exist, a server that cannot start is a clear error that leaves nothing running, and
 * {@code --temporal cli|embedded} choose the server. Loopback only, on free ports.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DevCliServerTest {

  /**
   * Starting dev against a new or existing SQLite file takes a few seconds; this only stops a
   * broken test.
   */
  private static final Duration READY_WITHIN = Duration.ofSeconds(30);

  @TempDir Path temp;
  private Path home;
  private int port;
  private String address;

  @BeforeEach
  void ports() throws Exception {
    home = temp.resolve("home");
    port = TemporalCliTool.freePortWithFreeUiPort();
    address = "127.0.0.1:" + port;
  }

  @AfterEach
  void nothingLeftRunning() {
    assertThat(TemporalCliTool.serversUsing(home))
        .as("Temporal servers left running on " + home)
        .isEmpty();
  }

  /** The CLI against this home and address, with the pinned Temporal CLI and no other on PATH. */
  private CliRun cli() {
    return CliRun.with()
        .home(home)
        .temporal(address)
        .env("PATH", TemporalCliTool.pathWithoutTemporal(System.getenv("PATH")))
        .env(CliEnvironment.TEMPORAL_CLI, TemporalCliTool.locate().toString())
        .in(temp);
  }

  private CliRun.Background startDev(CliRun cli, String... options) throws InterruptedException {
    String[] args = new String[options.length + 1];
    args[0] = "dev";
    System.arraycopy(options, 0, args, 1, options.length);
    CliRun.Background dev = cli.start(args);
    dev.awaitErr("taskwright dev is ready", READY_WITHIN);
    return dev;
  }

  @Test
  void tasksSurviveARestartOfDevAndTheSearchAttributesExist() throws Exception {
    Path repo = GitRepos.create(temp.resolve("repo"));
    var dev = startDev(cli());
    assertThat(dev.err().toString())
        .contains(
            "Starting the Temporal server at " + address,
            "Web UI: http://127.0.0.1:" + (port + TemporalCliTool.UI_PORT_OFFSET),
            "Tasks survive restarts: they are kept in " + home.resolve("temporal.db"))
        .doesNotContain("WARNING");
    assertThat(customSearchAttributes()).containsAllEntriesOf(taskSearchAttributes());

    var done =
        cli()
            .run(
                "run",
                "--id",
                "done-before",
                "--repo",
                repo.toString(),
                "--auto-accept",
                "--wait",
                "--command",
                "touch done.txt",
                "touch a file");
    assertThat(done.exitCode()).as(done.toString()).isEqualTo(ExitCodes.OK);
    var waiting =
        cli()
            .run(
                "run",
                "--id",
                "in-review",
                "--repo",
                repo.toString(),
                "--wait",
                "--command",
                "touch review.txt",
                "touch another file");
    assertThat(waiting.exitCode()).as(waiting.toString()).isEqualTo(ExitCodes.OK);
    assertThat(waiting.out()).contains("READY");

    var stopped = dev.stop();
    assertThat(stopped.exitCode()).as(stopped.toString()).isZero();
    assertThat(TemporalCliTool.serversUsing(home)).as("dev stopped its server").isEmpty();
    assertThat(cli().run("status", "done-before").exitCode())
        .as("nothing answers while dev is stopped")
        .isEqualTo(ExitCodes.UNREACHABLE);

    dev = startDev(cli());
    assertThat(cli().statusJson("done-before").path("state").asText()).isEqualTo("COMPLETED");
    var accept = cli().run("accept", "in-review");
    assertThat(accept.exitCode())
        .as("the task waiting for review carries on after the restart: " + accept)
        .isEqualTo(ExitCodes.OK);
    assertThat(accept.out()).contains("COMPLETED");
    assertThat(completedByVisibility()).contains("done-before", "in-review");
    assertThat(dev.stop().exitCode()).isZero();

    assertThat(home.resolve("logs/temporal.log")).exists();
    assertThat(Files.readString(home.resolve("logs/temporal.log")))
        .contains("=== ", "start-dev --db-filename " + home.resolve("temporal.db"));
  }

  @Test
  void aDamagedDatabaseIsExitFiveNamingTheLogAndLeavesNothingRunning() throws Exception {
    Files.createDirectories(home);
    Files.writeString(home.resolve("temporal.db"), "this is not an SQLite database\n".repeat(100));

    var dev = cli().run("dev");

    assertThat(dev.exitCode()).as(dev.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(dev.err())
        .contains(
            "the Temporal server (temporal server start-dev) did not start: it exited with code 1")
        .contains("not a database")
        .contains(
            home.resolve("logs/temporal.log").toString(), home.resolve("temporal.db") + " aside");
    assertThat(
            TemporalConnection.connectIfAnswering(
                TemporalSettings.local(address), Duration.ofMillis(500)))
        .isNull();
  }

  @Test
  void aTakenWebUiPortIsExitFiveNamingThePortBeforeAnythingStarts() throws Exception {
    int uiPort = port + TemporalCliTool.UI_PORT_OFFSET;
    try (ServerSocket taken = new ServerSocket(uiPort, 1, InetAddress.getLoopbackAddress())) {
      var dev = cli().run("dev", "--temporal", "cli");
      assertThat(dev.exitCode()).as(dev.toString()).isEqualTo(ExitCodes.UNREACHABLE);
      assertThat(dev.err())
          .contains(
              "port " + uiPort + " (its Web UI port) is in use",
              "TEMPORAL_ADDRESS=127.0.0.1:<another port>");
    }
    assertThat(home.resolve("temporal.db")).doesNotExist();
  }

  @Test
  void temporalCliWithoutTheCliIsExitFive() {
    var missing = cli().env(CliEnvironment.TEMPORAL_CLI, null).run("dev", "--temporal", "cli");
    assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(missing.err())
        .contains(
            "--temporal cli needs the Temporal CLI",
            CliEnvironment.TEMPORAL_CLI,
            "--temporal embedded");

    var wrong =
        cli()
            .env(CliEnvironment.TEMPORAL_CLI, temp.resolve("no-such-temporal").toString())
            .run("dev");
    assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(wrong.err())
        .contains(
            CliEnvironment.TEMPORAL_CLI
                + "='"
                + temp.resolve("no-such-temporal")
                + "' is not an executable file");
  }

  @Test
  void temporalCliRefusesAnAddressWhereAServerAlreadyAnswers() throws Exception {
    var dev = startDev(cli());
    var second = cli().run("dev", "--temporal", "cli");
    assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(second.err()).contains("a Temporal server already answers at " + address);
    assertThat(dev.stop().exitCode()).isZero();
  }

  @Test
  void temporalEmbeddedStillStartsTheInProcessServerWhenTheCliIsThere() throws Exception {
    var dev = startDev(cli(), "--temporal", "embedded");
    assertThat(dev.err().toString())
        .contains("started an in-process one at " + address, "NOTHING across restarts")
        .doesNotContain("Starting the Temporal server");
    assertThat(dev.stop().exitCode()).isZero();
    assertThat(home.resolve("temporal.db")).doesNotExist();
  }

  private Map<String, IndexedValueType> customSearchAttributes() {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setTarget(address)
                .validateAndBuildWithDefaults());
    try {
      return operator
          .blockingStub()
          .listSearchAttributes(
              ListSearchAttributesRequest.newBuilder()
                  .setNamespace(TemporalSettings.DEFAULT_NAMESPACE)
                  .build())
          .getCustomAttributesMap();
    } finally {
      operator.shutdownNow();
    }
  }

  private static Map<String, IndexedValueType> taskSearchAttributes() {
    return SearchAttributeRegistration.KEYS.stream()
        .collect(
            java.util.stream.Collectors.toMap(
                key -> key.getName(), key -> IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
  }

  /**
   * The IDs of the tasks the server's visibility store lists with {@code TaskState = 'COMPLETED'}:
   * the search attribute at work. Visibility lags a moment behind the workflow, so this waits until
   * both are listed.
   */
  private List<String> completedByVisibility() throws InterruptedException {
    try (TemporalConnection connection =
        TemporalConnection.connect(TemporalSettings.local(address))) {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (true) {
        List<String> ids =
            connection
                .stubs()
                .blockingStub()
                .listWorkflowExecutions(
                    ListWorkflowExecutionsRequest.newBuilder()
                        .setNamespace(TemporalSettings.DEFAULT_NAMESPACE)
                        .setQuery("TaskState = 'COMPLETED'")
                        .build())
                .getExecutionsList()
                .stream()
                .map(execution -> execution.getExecution().getWorkflowId())
                .toList();
        if (ids.size() >= 2 || System.nanoTime() > deadline) {
          return ids;
        }
        Thread.sleep(200);
      }
    }
  }
}
