package dev.taskwright.starter.temporal;

import dev.taskwright.activities.Home;
import dev.taskwright.activities.agent.Executables;
import dev.taskwright.starter.CliEnvironment;
import dev.taskwright.starter.CliException;
import dev.taskwright.starter.ExitCodes;
import io.temporal.envconfig.ClientConfigProfile;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The durable server of {@code dev} mode: {@code temporal server start-dev} from the Temporal CLI,
 * run as a child process with its state in {@code <home>/temporal.db}, so tasks outlive a restart
 * of {@code dev}, and with the Web UI beside it. Its output goes to {@code
 * <home>/logs/temporal.log}. It runs in a process group of its own and stops with everything it
 * started ({@link GroupedProcess}).
 */
public final class TemporalCliServer implements AutoCloseable {

  /** The executable's name on {@code PATH}. */
  public static final String DEFAULT_NAME = "temporal";

  /**
   * The Web UI listens this far above the gRPC port, as {@code start-dev} itself defaults to (7233
   * → 8233).
   */
  static final int UI_PORT_OFFSET = 1000;

  /**
   * How long the server may take to answer. It answers within a few seconds, creating a new
   * database included; a loaded machine gets the rest, and past this something is wrong.
   */
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** How often a person waiting for the server hears that it is still starting. */
  static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

  /**
   * Each readiness probe: the server is on loopback, so an answer takes milliseconds once it is up.
   */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  /** Between readiness probes: short, since every probe a refused port answers at once. */
  static final Duration PROBE_PAUSE = Duration.ofMillis(200);

  /**
   * Dynamic configuration for {@code start-dev}. Eager activity dispatch lets the server hand an
   * activity on the workflow's own task queue (Prepare) back in the answer to the workflow task
   * that scheduled it, saving one trip through matching for every task (measured on start-dev in
   * bench/RESULTS.md). Off by default in the server; deploy/temporal/dynamicconfig.yaml sets it
   * too.
   */
  public static final List<String> DYNAMIC_CONFIG =
      List.of("--dynamic-config-value", "system.enableActivityEagerExecution=true");

  private final GroupedProcess process;
  private final TemporalSettings settings;
  private final int uiPort;
  private final Path database;
  private final Path log;
  private Home home;

  private TemporalCliServer(
      GroupedProcess process, TemporalSettings settings, int uiPort, Path database, Path log) {
    this.process = process;
    this.settings = settings;
    this.uiPort = uiPort;
    this.database = database;
    this.log = log;
  }

  /**
   * The Temporal CLI to run: {@code TASKWRIGHT_TEMPORAL_CLI} when set (an error, exit 5, when it is
   * not an executable file: a setting that points nowhere should not quietly mean "none"), else
   * {@code temporal} on {@code PATH}, else empty.
   */
  public static Optional<Path> find(CliEnvironment environment) {
    String configured = environment.get(CliEnvironment.TEMPORAL_CLI);
    if (configured == null) {
      return Executables.resolve(
          DEFAULT_NAME, environment.get("PATH"), environment.workingDirectory());
    }
    Optional<Path> found =
        Executables.resolve(configured, environment.get("PATH"), environment.workingDirectory());
    if (found.isEmpty()) {
      throw new CliException(
          ExitCodes.UNREACHABLE,
          CliEnvironment.TEMPORAL_CLI
              + "='"
              + configured
              + "' is not an executable file: point it at the Temporal CLI's `temporal`, or unset"
              + " it to use the one on PATH");
    }
    return found;
  }

  /**
   * Starts {@code temporal server start-dev} on 127.0.0.1 at {@code port} (the Web UI at {@code
   * port + 1000}) with the task search attributes, and waits until it answers, telling {@code
   * progress} while it waits. On any failure nothing is left running, and the error (exit 5) names
   * the log file and the last thing the server said.
   */
  public static TemporalCliServer start(
      Path executable, Home home, int port, String namespace, PrintWriter progress) {
    String host = InetAddress.getLoopbackAddress().getHostAddress();
    int uiPort = port + UI_PORT_OFFSET;
    TemporalSettings settings =
        new TemporalSettings(
            host + ":" + port, namespace, ClientConfigProfile.getDefaultInstance());
    Path database = home.root().resolve("temporal.db");
    Path log = home.root().resolve("logs").resolve("temporal.log");
    requireFree(port, "its gRPC port", settings);
    requireFree(uiPort, "its Web UI port", settings);

    List<String> command = command(executable, host, port, uiPort, namespace, database);
    TemporalCliServer server =
        new TemporalCliServer(launch(command, log), settings, uiPort, database, log);
    server.home = home;
    progress.println(
        "Starting the Temporal server at "
            + settings.address()
            + " ("
            + executable
            + " server start-dev), data in "
            + database
            + ", log in "
            + log
            + ".");
    progress.flush();
    try {
      server.awaitAnswer(progress);
      server.process.running();
      TemporalServerRecord.write(home, server.process.handle(), database, port);
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /**
   * The {@code start-dev} command line; the search attributes come from {@link
   * SearchAttributeRegistration#KEYS}.
   */
  static List<String> command(
      Path executable, String host, int port, int uiPort, String namespace, Path database) {
    List<String> command =
        new ArrayList<>(
            List.of(
                executable.toString(),
                "server",
                "start-dev",
                "--db-filename",
                database.toString(),
                "--ip",
                host,
                "--port",
                Integer.toString(port),
                "--ui-port",
                Integer.toString(uiPort)));
    command.addAll(DYNAMIC_CONFIG);
    if (!namespace.equals(TemporalSettings.DEFAULT_NAMESPACE)) {
      command.addAll(List.of("--namespace", namespace));
    }
    SearchAttributeRegistration.KEYS.forEach(
        key -> command.addAll(List.of("--search-attribute", key.getName() + "=Keyword")));
    return command;
  }

  /** Where to connect: a plain loopback connection, no API key or TLS. */
  public TemporalSettings settings() {
    return settings;
  }

  public String webUi() {
    return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + uiPort;
  }

  public Path database() {
    return database;
  }

  /** Stops the server (SIGTERM, then SIGKILL after a grace) and waits until it is gone. */
  @Override
  public void close() {
    process.close();
    TemporalServerRecord.delete(home);
  }

  private void awaitAnswer(PrintWriter progress) {
    long started = System.nanoTime();
    long deadline = started + START_TIMEOUT.toNanos();
    long nextProgress = started + PROGRESS_EVERY.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw failed("it exited with code " + process.exitValue());
      }
      TemporalConnection probe = TemporalConnection.connectIfAnswering(settings, PROBE_TIMEOUT);
      if (probe != null) {
        probe.close();
        return;
      }
      long now = System.nanoTime();
      if (now > deadline) {
        throw failed("it did not answer within " + START_TIMEOUT.toSeconds() + " s");
      }
      if (now > nextProgress) {
        progress.println(
            "  still waiting for the Temporal server ("
                + TimeUnit.NANOSECONDS.toSeconds(now - started)
                + " s); its log: "
                + log);
        progress.flush();
        nextProgress = now + PROGRESS_EVERY.toNanos();
      }
      sleep(PROBE_PAUSE);
    }
  }

  private CliException failed(String why) {
    String said = lastLine(log);
    return new CliException(
        ExitCodes.UNREACHABLE,
        "the Temporal server (temporal server start-dev) did not start: "
            + why
            + (said == null ? "" : "; it said: " + said)
            + ". Its whole output is in "
            + log
            + ". Free ports "
            + settings.port()
            + " and "
            + uiPort
            + " or set TEMPORAL_ADDRESS=127.0.0.1:<another port>; move "
            + database
            + " aside if it is damaged; or run `taskwright dev --temporal embedded`");
  }

  /**
   * Fails before anything starts when a port is taken: the server would exit at once with a message
   * in its log, while this says which port. ({@code dev} has already asked the gRPC port whether a
   * Temporal server is there, so what holds it is some other program.)
   */
  private static void requireFree(int port, String what, TemporalSettings settings) {
    try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      // Bound, so free; closing it frees it again for the server.
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.UNREACHABLE,
          "cannot start the Temporal server at "
              + settings.address()
              + ": port "
              + port
              + " ("
              + what
              + ") is in use by another program; free it, or set"
              + " TEMPORAL_ADDRESS=127.0.0.1:<another port> (the Web UI takes that port + "
              + UI_PORT_OFFSET
              + ")");
    } catch (IllegalArgumentException e) {
      throw CliException.badInput(
          "cannot start the Temporal server at "
              + settings.address()
              + ": "
              + port
              + " is not a port ("
              + what
              + ")");
    }
  }

  private static GroupedProcess launch(List<String> command, Path log) {
    try {
      dev.taskwright.activities.OwnerOnly.createFile(log);
      // A header per start, so the log of several runs reads as a story.
      Files.writeString(
          log,
          System.lineSeparator()
              + "=== "
              + Instant.now()
              + " taskwright dev: "
              + String.join(" ", command)
              + System.lineSeparator(),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      return GroupedProcess.start(command, log);
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.UNREACHABLE,
          "cannot start the Temporal server (" + command.get(0) + "): " + e.getMessage(),
          e);
    }
  }

  /**
   * The last non-blank line of the server's output, shortened for a one-line error; null when there
   * is none.
   */
  private static String lastLine(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      for (int i = lines.size() - 1; i >= 0; i--) {
        String line = lines.get(i).strip();
        if (!line.isEmpty() && !line.startsWith("=== ")) {
          return line.length() > 300 ? line.substring(0, 300) + "…" : line;
        }
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(
          ExitCodes.UNREACHABLE, "interrupted while waiting for the Temporal server to start");
    }
  }
}
