package dev.taskwright.starter;

import dev.taskwright.activities.Home;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The environment a command runs in. Commands read variables from here, never from
 * {@link System#getenv()}, so tests can run the CLI in-process with their own home, Temporal
 * address and {@code PATH}.
 *
 * @param variables the environment variables
 * @param workingDirectory where relative paths on the command line start from
 * @param stdin what {@code -f -} reads
 */
public record CliEnvironment(Map<String, String> variables, Path workingDirectory, InputStream stdin) {

  /** Set to anything but empty or {@code 0} to print stack traces, like {@code --verbose}. */
  public static final String DEBUG = "TASKWRIGHT_DEBUG";
  /** How many agents one worker runs at once. */
  public static final String MAX_AGENTS = "TASKWRIGHT_MAX_AGENTS";
  /** The Claude Code executable, when it is not {@code claude} on {@code PATH}. */
  public static final String CLAUDE_BIN = "TASKWRIGHT_CLAUDE_BIN";
  /** The Temporal CLI whose {@code server start-dev} {@code dev} runs, when it is not {@code temporal} on {@code PATH}. */
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

  public boolean debug() {
    String value = get(DEBUG);
    return value != null && !value.equals("0");
  }
}
