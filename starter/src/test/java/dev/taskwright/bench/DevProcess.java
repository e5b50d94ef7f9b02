package dev.taskwright.bench;

import dev.taskwright.ledger.testing.TestDatabase;
import dev.taskwright.starter.support.TemporalCliTool;
import dev.taskwright.testing.ClaudeCli;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code bin/taskwright dev --temporal embedded|cli} as a user starts it (the launcher's JVM
 * options and class-data archive), in its own home, with the scripted model's environment:
 * Temporal, the embedded PostgreSQL ledger and one worker, all from the one command.
 */
final class DevProcess implements AutoCloseable {

  private static final String READY = "taskwright dev is ready";

  private final Process process;
  private final Path log;
  private final Map<String, String> environment;
  private final WorkflowServiceStubs service;

  private DevProcess(Process process, Path log, Map<String, String> environment) {
    this.process = process;
    this.log = log;
    this.environment = environment;
    this.service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(environment.get("TEMPORAL_ADDRESS"))
                .build());
  }

  /**
   * Starts dev with {@code server} ("embedded" or "cli") in {@code folder}, {@code maxAgents}
   * agents at once, and waits until it says it is ready.
   */
  static DevProcess start(
      String server, Path folder, int maxAgents, Map<String, String> modelEnvironment)
      throws IOException, InterruptedException {
    Files.createDirectories(folder);
    Map<String, String> environment = new TreeMap<>(modelEnvironment);
    environment.put("TASKWRIGHT_HOME", folder.resolve("home").toString());
    environment.put(
        "TEMPORAL_ADDRESS",
        InetAddress.getLoopbackAddress().getHostAddress()
            + ":"
            + TemporalCliTool.freePortWithFreeUiPort());
    environment.put("TASKWRIGHT_MAX_AGENTS", Integer.toString(maxAgents));
    environment.put("TASKWRIGHT_CLAUDE_BIN", ClaudeCli.locate().toString());
    environment.put(
        "TASKWRIGHT_TEMPORAL_CLI",
        System.getenv().getOrDefault("BENCH_TEMPORAL_CLI", TemporalCliTool.locate().toString()));
    environment.put("TASKWRIGHT_CACHE", TestDatabase.binaryCache().toString());
    // The launcher a user runs, with its JVM options; BENCH_DEV_JVM_OPTIONS adds more, to compare
    // settings.
    environment.put(
        "TASKWRIGHT_JAVA_OPTS", System.getenv().getOrDefault("BENCH_DEV_JVM_OPTIONS", ""));
    List<String> command =
        List.of(root().resolve("bin/taskwright").toString(), "dev", "--temporal", server);
    Path log = folder.resolve("dev.log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .directory(folder.toFile());
    builder.environment().putAll(environment);
    DevProcess dev = new DevProcess(builder.start(), log, environment);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.readString(log).contains(READY)) {
      if (!dev.process.isAlive() || System.nanoTime() > deadline) {
        dev.close();
        throw new IllegalStateException(
            "taskwright dev did not get ready:\n" + Files.readString(log));
      }
      Thread.sleep(100);
    }
    return dev;
  }

  static Path root() {
    return Path.of(System.getProperty("taskwright.root", ".")).toAbsolutePath().normalize();
  }

  long pid() {
    return process.pid();
  }

  Path home() {
    return Path.of(environment.get("TASKWRIGHT_HOME"));
  }

  Map<String, String> environment() {
    return environment;
  }

  WorkflowServiceStubs service() {
    return service;
  }

  /**
   * The Temporal CLI server this dev started (none on the embedded server): its database is in
   * dev's home.
   */
  private Stream<ProcessHandle> temporalServer() {
    return BenchFigures.processesMentioning("start-dev").stream()
        .filter(p -> p.info().commandLine().orElse("").contains(home().toString()));
  }

  /** Own CPU seconds of the Temporal CLI server dev started. */
  double serverCpuSeconds() {
    return temporalServer().mapToDouble(p -> BenchFigures.ownCpuSeconds(p.pid())).sum();
  }

  /** Own CPU seconds of the ledger's PostgreSQL, with its backends, ended and running. */
  double postgresCpuSeconds() {
    // The server's backends rename themselves ("postgres: ..."), so they are found as its children.
    return BenchFigures.processesMentioning(home().resolve("postgres").toString()).stream()
        .mapToDouble(
            p ->
                BenchFigures.ownCpuSeconds(p.pid())
                    + BenchFigures.childrenCpuSeconds(p.pid())
                    + p.children()
                        .mapToDouble(child -> BenchFigures.ownCpuSeconds(child.pid()))
                        .sum())
        .sum();
  }

  long serverRssMiB() {
    return temporalServer().mapToLong(p -> BenchFigures.rssMiB(p.pid())).sum();
  }

  /** Stops dev as Ctrl-C does, and waits for it (and the server it started) to exit. */
  @Override
  public void close() throws InterruptedException {
    service.shutdownNow();
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  String log() throws IOException {
    return Files.readString(log);
  }
}
