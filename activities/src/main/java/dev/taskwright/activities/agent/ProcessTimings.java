package dev.taskwright.activities.agent;

import java.time.Duration;

/**
 * How often the agent process machinery looks at a running agent, and how patiently it kills one.
 *
 * @param heartbeatInterval time between two calls to {@code heartbeat()}. The SDK sends at most one
 *     heartbeat to the server per {@code Timeouts.HEARTBEAT_THROTTLE} (5 s) whatever this is, and a
 *     cancellation arrives only in the answer to one, so calling often keeps cancellation prompt
 *     without adding server load
 * @param pollInterval how often the watcher checks for exit, timeouts and idleness
 * @param killGrace how long a process tree gets after SIGTERM before it is killed with SIGKILL
 */
public record ProcessTimings(
    Duration heartbeatInterval, Duration pollInterval, Duration killGrace) {

  /**
   * Production timings: heartbeat every second, check four times a second, 5 s to shut down
   * cleanly.
   */
  public static final ProcessTimings DEFAULT =
      new ProcessTimings(Duration.ofSeconds(1), Duration.ofMillis(250), Duration.ofSeconds(5));
}
