package dev.taskwright.starter.task;

import java.time.Duration;
import java.util.List;

/**
 * A task as the user asked for it on the command line, before any checking. Null means "not given;
 * use the default".
 *
 * @param repo the repository path as typed
 * @param baseRef the base ref as typed
 * @param id the task ID as typed
 * @param title the title as typed
 * @param agentType {@code claude} or {@code command}
 * @param model the model for the claude driver
 * @param maxBudgetUsd the claude driver's spending limit per run, in US dollars
 * @param command the command driver's executable and arguments, already split into words
 * @param timeout how long one agent run may take
 * @param idleTimeout how long the agent may print nothing before the watchdog stops it
 * @param maxAttempts how many agent runs before the task stops retrying by itself
 * @param autoAccept skip the review gate
 * @param prompt what the agent is asked to do
 * @param dependsOn IDs of tasks that must complete before this one starts
 */
public record TaskRequest(
    String repo,
    String baseRef,
    String id,
    String title,
    String agentType,
    String model,
    Double maxBudgetUsd,
    List<String> command,
    Duration timeout,
    Duration idleTimeout,
    Integer maxAttempts,
    boolean autoAccept,
    String prompt,
    List<String> dependsOn) {

  public TaskRequest {
    command = command == null ? List.of() : List.copyOf(command);
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
  }
}
