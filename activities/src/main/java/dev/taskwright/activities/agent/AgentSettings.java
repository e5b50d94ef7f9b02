package dev.taskwright.activities.agent;

import java.util.Map;

/**
 * How this worker host runs agents.
 *
 * @param claudeExecutable the Claude Code CLI: {@code TASKWRIGHT_CLAUDE_BIN}, else {@code claude}
 *     on PATH
 * @param extraEnvironment variables added to every agent process (tests point the CLI at a scripted
 *     model here)
 */
public record AgentSettings(String claudeExecutable, Map<String, String> extraEnvironment) {

  public AgentSettings {
    extraEnvironment = extraEnvironment == null ? Map.of() : Map.copyOf(extraEnvironment);
  }

  public static AgentSettings fromEnvironment() {
    String configured = System.getenv("TASKWRIGHT_CLAUDE_BIN");
    return new AgentSettings(
        configured == null || configured.isBlank() ? "claude" : configured, Map.of());
  }
}
