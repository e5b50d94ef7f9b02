package dev.taskwright.starter;

import dev.taskwright.activities.agent.Executables;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the Claude Code CLI the way the worker will run it: {@code TASKWRIGHT_CLAUDE_BIN}, else
 * {@code claude} on {@code PATH}.
 */
public final class ClaudeExecutable {
  private ClaudeExecutable() {}

  public static final String DEFAULT_NAME = "claude";

  /** The configured executable name or path, not yet looked up. */
  public static String configured(CliEnvironment environment) {
    String configured = environment.get(CliEnvironment.CLAUDE_BIN);
    return configured == null ? DEFAULT_NAME : configured;
  }

  /** The executable file the name resolves to, if there is one. */
  public static Optional<Path> find(CliEnvironment environment) {
    return Executables.resolve(
        configured(environment), environment.get("PATH"), environment.workingDirectory());
  }
}
