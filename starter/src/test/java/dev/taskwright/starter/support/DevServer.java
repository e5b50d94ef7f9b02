package dev.taskwright.starter.support;

import dev.taskwright.starter.temporal.SearchAttributeRegistration;
import dev.taskwright.starter.temporal.TemporalCliServer;
import dev.taskwright.starter.temporal.TemporalConnection;
import dev.taskwright.starter.temporal.TemporalSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Temporal server for the integration tests: the pinned CLI's {@code temporal server
 * start-dev --headless} on a free loopback port, its state in {@code <folder>/temporal.db}, with
 * the task search attributes. It can be killed with SIGKILL and started again on the same port and
 * database file, which is what the fault tests do to it. Fails the test when it cannot start.
 */
public final class DevServer implements AutoCloseable {

  /** A new server answers in a few seconds; a loaded two-core machine gets the rest. */
  private static final Duration START_LIMIT = Duration.ofSeconds(90);

  private final Path folder;
  private final int port;
  private Process process;
  private int starts;

  private DevServer(Path folder, int port) {
    this.folder = folder;
    this.port = port;
  }

  /** Starts a server with its database and log in {@code folder}, and waits until it answers. */
  public static DevServer start(Path folder) throws IOException, InterruptedException {
    Files.createDirectories(folder);
    DevServer server = new DevServer(folder, TemporalCliTool.freePortWithFreeUiPort());
    server.launch();
    return server;
  }

  public String address() {
    return InetAddress.getLoopbackAddress().getHostAddress() + ":" + port;
  }

  public Path database() {
    return folder.resolve("temporal.db");
  }

  /**
   * Kills the server with SIGKILL, as a crash or an OOM killer would, and waits until it is gone.
   */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Starts the server again on the same port and database file. */
  public void restart() throws IOException, InterruptedException {
    if (process.isAlive()) {
      throw new IllegalStateException("the server is still running");
    }
    launch();
  }

  /** What the server printed, for failure messages. */
  public String log() {
    try {
      return Files.readString(logFile(starts));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }

  private void launch() throws IOException, InterruptedException {
    starts++;
    String host = InetAddress.getLoopbackAddress().getHostAddress();
    List<String> command =
        new ArrayList<>(
            List.of(
                TemporalCliTool.locate().toString(),
                "server",
                "start-dev",
                "--headless",
                "--db-filename",
                database().toString(),
                "--ip",
                host,
                "--port",
                Integer.toString(port),
                "--ui-port",
                Integer.toString(port + TemporalCliTool.UI_PORT_OFFSET),
                "--log-level",
                "warn"));
    // The same server configuration as `taskwright dev` gives its users.
    command.addAll(TemporalCliServer.DYNAMIC_CONFIG);
    SearchAttributeRegistration.KEYS.forEach(
        key -> command.addAll(List.of("--search-attribute", key.getName() + "=Keyword")));
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(logFile(starts).toFile())
            .start();
    long deadline = System.nanoTime() + START_LIMIT.toNanos();
    TemporalSettings settings = TemporalSettings.local(address());
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "temporal server start-dev exited with " + process.exitValue() + ":\n" + log());
      }
      TemporalConnection probe =
          TemporalConnection.connectIfAnswering(settings, Duration.ofSeconds(1));
      if (probe != null) {
        probe.close();
        return;
      }
      Thread.sleep(200);
    }
    process.destroyForcibly();
    throw new AssertionError(
        "temporal server start-dev did not answer within " + START_LIMIT + ":\n" + log());
  }

  private Path logFile(int start) {
    return folder.resolve("temporal-" + start + ".log");
  }
}
