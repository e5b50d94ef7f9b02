package dev.taskwright.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server for one taskwright home: its data folder lives under the home and survives
 * restarts. The first process that needs it starts it and stops it when that process ends; any
 * other process of the same home (a {@code list} while {@code dev} runs) finds it running through
 * its {@code postmaster.pid} and connects to it.
 *
 * <p>PostgreSQL refuses to run as root. Run as root (a container, a CI box), taskwright starts it
 * in a user namespace where it is an ordinary user, while its files stay owned by root outside.
 */
public final class EmbeddedPostgres implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);

  /**
   * Initialising a data folder and starting the server take a second or two; a slow disk may take
   * ten times that.
   */
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /**
   * The user PostgreSQL runs as inside the namespace when taskwright runs as root: {@code nobody},
   * which every system has.
   */
  static final int UNPRIVILEGED_ID = 65534;

  public static final String SUPERUSER = "postgres";

  /** The role the ledger connects as: it owns the ledger database and is not a superuser. */
  public static final String LEDGER_ROLE = "taskwright";

  static final String SUPERUSER_PASSWORD_FILE = "superuser.password";
  static final String LEDGER_PASSWORD_FILE = "ledger.password";

  /**
   * Passwords for every local connection, loopback TCP only: no user of the machine gets in without
   * one.
   */
  static final String PG_HBA =
      """
      # Written by taskwright: a password (scram-sha-256) for every connection, loopback only.
      local all all scram-sha-256
      host all all 127.0.0.1/32 scram-sha-256
      host all all ::1/128 scram-sha-256
      """;

  private final Path dataDirectory;
  private final Path root;
  private final Path binaries;
  private final int port;
  private final boolean ownedByThisProcess;
  private Thread stopOnExit;

  /** When the server a process started is stopped. */
  public enum Stop {
    /**
     * When the process closes it, or exits without closing it: for short commands, so Ctrl-C stops
     * the server too.
     */
    ON_CLOSE_OR_EXIT,
    /**
     * Only when the process closes it: for a worker, which closes it after its activities have
     * wound down, so ledger writes still land while it shuts down. A worker killed outright leaves
     * the server running; the next process of the home adopts it.
     */
    ON_CLOSE
  }

  private EmbeddedPostgres(
      Path dataDirectory, Path binaries, int port, boolean ownedByThisProcess) {
    this.dataDirectory = dataDirectory;
    this.root = dataDirectory.getParent();
    this.binaries = binaries;
    this.port = port;
    this.ownedByThisProcess = ownedByThisProcess;
  }

  /** {@link #startOrAttach(Path, Path, Stop)}, stopping on close or exit. */
  public static EmbeddedPostgres startOrAttach(Path root, Path binaryCache) {
    return startOrAttach(root, binaryCache, Stop.ON_CLOSE_OR_EXIT);
  }

  /**
   * The server of {@code root} ({@code <home>/postgres}): the running one, or one started now.
   * Binaries are unpacked under {@code binaryCache} once per version.
   */
  public static EmbeddedPostgres startOrAttach(Path root, Path binaryCache, Stop stop) {
    Path data = root.resolve("data");
    Path ownerFile = root.resolve("owner.pid");
    try {
      dev.taskwright.ledger.OwnerOnlyFiles.createDirectories(root);
      // One process at a time decides whether to start the server, so two never start it at once.
      try (FileChannel channel =
              FileChannel.open(
                  root.resolve("start.lock"),
                  Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                  OwnerOnlyFiles.ownerOnlyFile());
          FileLock ignored = channel.lock()) {
        Integer running = runningPort(data);
        Path binaries = PostgresBinaries.unpacked(binaryCache);
        if (running != null) {
          if (ownerIsAlive(ownerFile)) {
            log.debug("Using the embedded PostgreSQL already running on port {}", running);
            EmbeddedPostgres attached = new EmbeddedPostgres(data, binaries, running, false);
            attached.requirePasswords();
            return attached;
          }
          // The process that started it died without stopping it: this one takes it over.
          log.info("Adopting the embedded PostgreSQL on port {}, whose starter is gone", running);
          EmbeddedPostgres adopted = new EmbeddedPostgres(data, binaries, running, true);
          adopted.own(ownerFile, stop);
          adopted.requirePasswords();
          return adopted;
        }
        EmbeddedPostgres server =
            new EmbeddedPostgres(data, binaries, choosePort(root.resolve("port")), true);
        server.start(root.resolve("postgres.log"));
        server.own(ownerFile, stop);
        server.requirePasswords();
        return server;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start the embedded PostgreSQL in " + root + ": " + e.getMessage(), e);
    }
  }

  /** True when a server is running on the data folder under {@code root}. */
  public static boolean isRunning(Path root) {
    try {
      return runningPort(root.resolve("data")) != null;
    } catch (IOException e) {
      return false;
    }
  }

  public int port() {
    return port;
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  /** The superuser's password, from {@code <root>/superuser.password} (0600). */
  public String superuserPassword() {
    return readPassword(root.resolve(SUPERUSER_PASSWORD_FILE));
  }

  /**
   * The ledger role's password, from {@code <root>/ledger.password} (0600), generated on first use.
   */
  public String ledgerPassword() {
    try {
      return passwordIn(root.resolve(LEDGER_PASSWORD_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read or write the ledger password in " + root + ": " + e.getMessage(), e);
    }
  }

  private static String readPassword(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the embedded PostgreSQL password "
              + file
              + ": "
              + e.getMessage()
              + "; it is made when the data folder is; if it is lost, move the postgres folder away"
              + " (the ledger starts empty)",
          e);
    }
  }

  /** The password in {@code file}, made (random, 0600) when there is none. */
  static String passwordIn(Path file) throws IOException {
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
    byte[] bytes = new byte[24];
    new java.security.SecureRandom().nextBytes(bytes);
    String password = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    Files.deleteIfExists(partial);
    dev.taskwright.ledger.OwnerOnlyFiles.createFile(partial);
    Files.writeString(partial, password, StandardCharsets.UTF_8);
    Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return password;
  }

  /**
   * Makes sure the server asks every connection for a password. A data folder made by an older
   * taskwright trusts every local user: this connects over that trust once, sets the superuser's
   * password, rewrites {@code pg_hba.conf} and reloads, in place.
   */
  private void requirePasswords() throws IOException {
    Path hba = dataDirectory.resolve("pg_hba.conf");
    String current = Files.readString(hba, StandardCharsets.UTF_8);
    if (current.equals(PG_HBA)) {
      return;
    }
    String password = passwordIn(root.resolve(SUPERUSER_PASSWORD_FILE));
    try (java.sql.Connection connection =
            java.sql.DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, password);
        java.sql.Statement statement = connection.createStatement()) {
      statement.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "'");
      Path partial = hba.resolveSibling("pg_hba.conf.partial");
      Files.writeString(partial, PG_HBA, StandardCharsets.UTF_8);
      Files.move(
          partial,
          hba,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      statement.execute("SELECT pg_reload_conf()");
      log.info(
          "The embedded PostgreSQL in {} trusted every local user; it now asks for the password in"
              + " {}",
          dataDirectory,
          root.resolve(SUPERUSER_PASSWORD_FILE));
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(
          "cannot set a password on the embedded PostgreSQL in "
              + dataDirectory
              + ": "
              + e.getMessage()
              + "; its pg_hba.conf is not the one taskwright writes; stop it, and restore the"
              + " password in "
              + root.resolve(SUPERUSER_PASSWORD_FILE)
              + " or move "
              + root
              + " away",
          e);
    }
  }

  /** A JDBC URL for {@code database} on this server, as the superuser. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** True when this process started the server, and so stops it. */
  public boolean ownedByThisProcess() {
    return ownedByThisProcess;
  }

  private void start(Path logFile) throws IOException {
    if (!Files.exists(dataDirectory.resolve("PG_VERSION"))) {
      initialise();
    }
    Files.deleteIfExists(logFile.resolveSibling(logFile.getFileName() + ".previous"));
    if (Files.exists(logFile)) {
      Files.move(logFile, logFile.resolveSibling(logFile.getFileName() + ".previous"));
    }
    // TCP on loopback only, and no Unix socket: its default folder (/var/run/postgresql) may not
    // exist or be writable, and nothing else on the machine needs to reach this server.
    String serverOptions =
        "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''";
    run(
        List.of(
            bin("pg_ctl"),
            "-D",
            dataDirectory.toString(),
            "-l",
            logFile.toString(),
            "-o",
            serverOptions,
            "-w",
            "-t",
            Long.toString(START_TIMEOUT.toSeconds()),
            "start"),
        "start PostgreSQL (its log: " + logFile + ")");
    log.info(
        "Started the embedded PostgreSQL on 127.0.0.1:{} with data in {}", port, dataDirectory);
  }

  /** Records this process as the server's owner, which stops it. */
  private void own(Path ownerFile, Stop stop) throws IOException {
    OwnerOnlyFiles.writeString(ownerFile, Long.toString(ProcessHandle.current().pid()));
    if (stop == Stop.ON_CLOSE_OR_EXIT) {
      stopOnExit = new Thread(this::stop, "embedded-postgres-stop");
      Runtime.getRuntime().addShutdownHook(stopOnExit);
    }
  }

  private static boolean ownerIsAlive(Path ownerFile) {
    try {
      long pid = Long.parseLong(Files.readString(ownerFile, StandardCharsets.UTF_8).trim());
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }

  private void initialise() throws IOException {
    if (Files.isDirectory(dataDirectory)) {
      try (var entries = Files.list(dataDirectory)) {
        if (entries.findAny().isPresent()) {
          throw new IllegalStateException(
              dataDirectory
                  + " is not empty but holds no PostgreSQL data (no PG_VERSION); taskwright does"
                  + " not touch it: move it away, or set TASKWRIGHT_DATABASE_URL");
        }
      }
    }
    dev.taskwright.ledger.OwnerOnlyFiles.createDirectories(dataDirectory.getParent());
    Path passwordFile = root.resolve(SUPERUSER_PASSWORD_FILE);
    passwordIn(passwordFile);
    run(
        List.of(
            bin("initdb"),
            "-A",
            "scram-sha-256",
            "--pwfile=" + passwordFile,
            "-U",
            SUPERUSER,
            "-D",
            dataDirectory.toString(),
            "-E",
            "UTF-8",
            "--locale=C"),
        "initialise the PostgreSQL data folder " + dataDirectory);
    Files.writeString(dataDirectory.resolve("pg_hba.conf"), PG_HBA, StandardCharsets.UTF_8);
  }

  /** Stops the server if this process started it. */
  @Override
  public void close() {
    if (stopOnExit != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(stopOnExit);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or about to; it stops the server.
      }
    }
    stop();
  }

  private synchronized void stop() {
    if (!ownedByThisProcess || !Files.exists(dataDirectory.resolve("postmaster.pid"))) {
      return;
    }
    try {
      run(
          List.of(
              bin("pg_ctl"),
              "-D",
              dataDirectory.toString(),
              "-m",
              "fast",
              "-w",
              "-t",
              "30",
              "stop"),
          "stop PostgreSQL");
      log.info("Stopped the embedded PostgreSQL on port {}", port);
    } catch (RuntimeException e) {
      log.warn("Could not stop the embedded PostgreSQL in {}: {}", dataDirectory, e.getMessage());
    }
  }

  /** The port of a server already running on {@code data}, or null when none is. */
  static Integer runningPort(Path data) throws IOException {
    Path pidFile = data.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return null;
    }
    List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
    if (lines.size() < 4) {
      return null;
    }
    try {
      long pid = Long.parseLong(lines.get(0).trim());
      int port = Integer.parseInt(lines.get(3).trim());
      boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      return alive && answers(port) ? port : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static boolean answers(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The port the server had last time when it is free, so clients that remember it (a connection
   * pool across a restart) find the server again; otherwise any free port, remembered for next
   * time.
   */
  private static int choosePort(Path portFile) throws IOException {
    if (Files.exists(portFile)) {
      try {
        int previous = Integer.parseInt(Files.readString(portFile, StandardCharsets.UTF_8).trim());
        if (isFree(previous)) {
          return previous;
        }
      } catch (NumberFormatException ignored) {
        // A damaged file: choose again.
      }
    }
    int port = freePort();
    OwnerOnlyFiles.writeString(portFile, Integer.toString(port));
    return port;
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private String bin(String name) {
    return binaries.resolve("bin").resolve(name).toString();
  }

  /**
   * Runs a PostgreSQL tool, as an ordinary user when this process is root, and fails with its
   * output.
   */
  private void run(List<String> command, String what) {
    List<String> full = new ArrayList<>();
    if (RunningUser.isRoot()) {
      full.addAll(
          List.of(
              "unshare",
              "--user",
              "--map-user=" + UNPRIVILEGED_ID,
              "--map-group=" + UNPRIVILEGED_ID));
    }
    full.addAll(command);
    try {
      ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
      builder.environment().put("LC_ALL", "C");
      Process process = builder.start();
      // pg_ctl start leaves the server running with our stdout; reading to the end would wait
      // for the server to stop. The server writes to its log file, so read only what pg_ctl says.
      byte[] output = process.getInputStream().readNBytes(64 * 1024);
      if (!process.waitFor(START_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "could not " + what + ": no answer in " + START_TIMEOUT.toSeconds() + " s");
      }
      if (process.exitValue() != 0) {
        String said = new String(output, StandardCharsets.UTF_8).trim();
        throw new IllegalStateException("could not " + what + ": " + said + rootHint(said));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not " + what + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while trying to " + what, e);
    }
  }

  private static String rootHint(String said) {
    if (RunningUser.isRoot()
        && (said.contains("unshare") || said.contains("Operation not permitted"))) {
      return " (taskwright runs as root, and PostgreSQL only runs as an ordinary user: taskwright"
          + " tried a user namespace and the system refused it; run taskwright as an"
          + " ordinary user, or set TASKWRIGHT_DATABASE_URL)";
    }
    return "";
  }
}
