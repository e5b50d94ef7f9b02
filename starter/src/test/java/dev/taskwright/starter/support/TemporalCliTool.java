package dev.taskwright.starter.support;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The pinned Temporal CLI the tests drive ({@code bin/install-test-tools} builds it), and what
 * tests of it need.
 */
public final class TemporalCliTool {
  private TemporalCliTool() {}

  /** The web UI of {@code temporal server start-dev} listens this far above its gRPC port. */
  public static final int UI_PORT_OFFSET = 1000;

  /**
   * {@code .tools/temporal-cli/temporal} in the project: the folder Surefire passes as {@code
   * taskwright.tools.dir}, else the one beside the module the tests run in. Fails the test, never
   * skips it, when the CLI is missing.
   */
  public static Path locate() {
    String configured = System.getProperty("taskwright.tools.dir");
    Path tools =
        configured == null || configured.isBlank()
            ? Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent().resolve(".tools")
            : Path.of(configured);
    Path temporal = tools.resolve("temporal-cli").resolve("temporal");
    if (!Files.isExecutable(temporal)) {
      throw new AssertionError(
          "Temporal CLI not found at " + temporal + ": run bin/install-test-tools");
    }
    return temporal;
  }

  /** A free loopback port whose Web UI port (+1000) is free too. */
  public static int freePortWithFreeUiPort() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket grpc = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = grpc.getLocalPort();
        if (port + UI_PORT_OFFSET > 65535) {
          continue;
        }
        try (ServerSocket ui =
            new ServerSocket(port + UI_PORT_OFFSET, 1, InetAddress.getLoopbackAddress())) {
          return port;
        } catch (IOException taken) {
          // Try another pair.
        }
      }
    }
    throw new IOException("found no free pair of loopback ports 1000 apart");
  }

  /**
   * {@code path} without the folders that hold a {@code temporal} executable, so dev cannot find
   * the CLI there.
   */
  public static String pathWithoutTemporal(String path) {
    if (path == null) {
      return "";
    }
    return Arrays.stream(path.split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty() && !Files.isExecutable(Path.of(dir, "temporal")))
        .collect(Collectors.joining(File.pathSeparator));
  }

  /**
   * Live processes running {@code start-dev} with a database under {@code home}: what must not
   * outlive dev.
   */
  public static List<ProcessHandle> serversUsing(Path home) {
    String folder = home.toAbsolutePath().toString();
    return ProcessHandle.allProcesses()
        .filter(
            process ->
                process
                    .info()
                    .commandLine()
                    .map(line -> line.contains("start-dev") && line.contains(folder))
                    .orElse(false))
        .toList();
  }
}
