package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * How to run the agent for one task.
 *
 * @param type the driver: {@code claude} or {@code command}
 * @param model the model name passed to the agent CLI, or null for its default
 * @param permissionMode Claude Code's {@code --permission-mode}; null means {@code acceptEdits}
 * @param maxBudgetUsd Claude Code's {@code --max-budget-usd}, or null for no budget
 * @param allowedTools Claude Code's {@code --allowed-tools}; empty for the CLI's default
 * @param command for the {@code command} driver: the executable and its arguments
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentConfig(
    String type,
    String model,
    String permissionMode,
    Double maxBudgetUsd,
    List<String> allowedTools,
    List<String> command) {

  public static final String CLAUDE = "claude";
  public static final String COMMAND = "command";

  public AgentConfig {
    allowedTools = allowedTools == null ? List.of() : List.copyOf(allowedTools);
    command = command == null ? List.of() : List.copyOf(command);
  }

  public static AgentConfig claude(String model) {
    return new AgentConfig(CLAUDE, model, null, null, List.of(), List.of());
  }

  public static AgentConfig command(List<String> command) {
    return new AgentConfig(COMMAND, null, null, null, List.of(), command);
  }
}
