package dev.taskwright.starter.worker;

import dev.taskwright.activities.Home;
import dev.taskwright.activities.Hosts;
import dev.taskwright.activities.agent.AgentSettings;
import dev.taskwright.activities.workspace.OutsideLinks;
import dev.taskwright.starter.ClaudeExecutable;
import dev.taskwright.starter.CliEnvironment;
import dev.taskwright.starter.CliException;
import dev.taskwright.starter.metrics.MetricsAddress;

/**
 * What a worker needs besides its Temporal connection.
 *
 * @param home where worktrees, transcripts and run folders live
 * @param host this worker host's name in task queue names
 * @param agents how agents are run on this host
 * @param maxAgents how many agent runs this worker takes at once
 * @param metrics where to serve Prometheus metrics, or null to serve none
 */
public record WorkerSettings(
    Home home, String host, AgentSettings agents, int maxAgents, MetricsAddress metrics) {

  /**
   * Agents are heavy (a CLI, a model session, a build in the worktree); four at once suits a
   * laptop.
   */
  public static final int DEFAULT_MAX_AGENTS = 4;

  public WorkerSettings {
    if (maxAgents < 1) {
      throw new IllegalArgumentException("maxAgents must be at least 1");
    }
  }

  public static WorkerSettings fromEnvironment(CliEnvironment environment) {
    // Checked here, so a bad value stops the worker at start; the worker reads it from the agents'
    // environment.
    try {
      OutsideLinks.parse(environment.get(OutsideLinks.VARIABLE));
    } catch (IllegalArgumentException e) {
      throw CliException.badInput(e.getMessage());
    }
    return new WorkerSettings(
        environment.home(),
        Hosts.current(),
        // Agents run in the command's environment: from a shell the same as this process's; run
        // in-process (the tests), the command's own.
        new AgentSettings(ClaudeExecutable.configured(environment), environment.variables()),
        maxAgents(environment.get(CliEnvironment.MAX_AGENTS)),
        MetricsAddress.parse(
            environment.get(CliEnvironment.METRICS_ADDRESS), CliEnvironment.METRICS_ADDRESS));
  }

  /** The same settings serving metrics at {@code address} (null: none). */
  public WorkerSettings withMetrics(MetricsAddress address) {
    return new WorkerSettings(home, host, agents, maxAgents, address);
  }

  private static int maxAgents(String configured) {
    if (configured == null) {
      return DEFAULT_MAX_AGENTS;
    }
    try {
      int value = Integer.parseInt(configured);
      if (value >= 1) {
        return value;
      }
    } catch (NumberFormatException ignored) {
      // Reported below with the variable's name.
    }
    throw CliException.badInput(
        CliEnvironment.MAX_AGENTS
            + "='"
            + configured
            + "' is not a positive whole number; set it to how many agents may run at once (default"
            + " "
            + DEFAULT_MAX_AGENTS
            + ")");
  }
}
