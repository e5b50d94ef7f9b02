package dev.taskwright.activities.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What {@code <logs>/<task>/agent.pid} holds about a running agent, so a later attempt can stop an
 * agent left behind by a dead worker. The start time tells a live agent from an unrelated process
 * that reused its PID.
 *
 * @param pid the agent's process ID (also its process group when it was started through setsid)
 * @param startedAt the process start time as the OS reports it (ISO-8601), or null when unknown
 * @param runNumber which run of the task started it
 * @param command the executable, for people reading the file
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PidRecord(long pid, String startedAt, int runNumber, String command) {}
