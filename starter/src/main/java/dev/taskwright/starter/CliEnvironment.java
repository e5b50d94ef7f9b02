package dev.taskwright.starter;

import dev.taskwright.activities.Home;
import dev.taskwright.ledger.LedgerLocation;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The environment a command runs in. Commands read variables from here, never from {@link
 * System#getenv()}, so tests can run the CLI in-process with their own home, Temporal address and
 * {@code PATH}.
 *
 * @param variables the environment variables
 * @param workingDirectory where relative paths on the command line start from
 * @param stdin what {@code -f -} reads
 */
public record CliEnvironment(
    Map<String, String> variables, Path workingDirectory, InputStream stdin) {

  /** Set to anything but empty or {@code 0} to print stack traces, like {@code --verbose}. */
  public static final String DEBUG = "TASKWRIGHT_DEBUG";

  /** How many agents one worker runs at once. */
  public static final String MAX_AGENTS = "TASKWRIGHT_MAX_AGENTS";

  /** The Claude Code executable, when it is not {@code claude} on {@code PATH}. */
  public static final String CLAUDE_BIN = "TASKWRIGHT_CLAUDE_BIN";

  /** Where a worker serves Prometheus metrics, {@code [HOST:]PORT}; unset serves none. */
  public static final String METRICS_ADDRESS = "TASKWRIGHT_METRICS_ADDRESS";

  /** The ledger's PostgreSQL as a JDBC URL; unset means the embedded PostgreSQL under the home. */
  public static final String DATABASE_URL = "TASKWRIGHT_DATABASE_URL";

  /** The user for {@link #DATABASE_URL}, when the URL does not name one. */
  public static final String DATABASE_USER = "TASKWRIGHT_DATABASE_USER";

  /** The password for {@link #DATABASE_URL}, kept out of the URL so it is not printed with it. */
  public static final String DATABASE_PASSWORD = "TASKWRIGHT_DATABASE_PASSWORD";

  /**
   * Where unpacked tools (the embedded PostgreSQL's binaries) are cached; default {@code
   * <home>/cache}.
   */
  public static final String CACHE = "TASKWRIGHT_CACHE";

  /**
   * The Temporal CLI whose {@code server start-dev} {@code dev} runs, when it is not {@code
   * temporal} on {@code PATH}.
   */
  public static final String TEMPORAL_CLI = "TASKWRIGHT_TEMPORAL_CLI";

  public CliEnvironment {
    variables = Map.copyOf(variables);
    workingDirectory = workingDirectory.toAbsolutePath().normalize();
  }

  /** An environment whose standard input is the process's own. */
  public CliEnvironment(Map<String, String> variables, Path workingDirectory) {
    this(variables, workingDirectory, System.in);
  }

  public static CliEnvironment system() {
    return new CliEnvironment(System.getenv(), Path.of(System.getProperty("user.dir")));
  }

  /** The variable's value, or null when it is unset or blank. */
  public String get(String name) {
    String value = variables.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  public Home home() {
    return Home.fromEnvironment(variables);
  }

  /**
   * Where the ledger is: {@link #DATABASE_URL}, or the embedded PostgreSQL in {@code
   * <home>/postgres}.
   */
  public LedgerLocation ledgerLocation() {
    String url = get(DATABASE_URL);
    if (url != null) {
      if (!url.startsWith("jdbc:postgresql:")) {
        throw CliException.badInput(
            DATABASE_URL
                + " must be a PostgreSQL JDBC URL like jdbc:postgresql://host:5432/taskwright, not"
                + " '"
                + url
                + "'");
      }
      return LedgerLocation.server(url, get(DATABASE_USER), get(DATABASE_PASSWORD));
    }
    return LedgerLocation.embedded(home().root().resolve("postgres"), cache());
  }

  /**
   * The cache folder: {@link #CACHE}, else {@code <home>/cache}, so everything taskwright writes
   * stays in its home unless told otherwise.
   */
  public Path cache() {
    String configured = get(CACHE);
    return configured != null
        ? Path.of(configured).toAbsolutePath()
        : home().root().resolve("cache");
  }

  public boolean debug() {
    String value = get(DEBUG);
    return value != null && !value.equals("0");
  }
}
