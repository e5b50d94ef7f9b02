package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Heartbeat details of a running agent. A retried activity reads them to learn which session the
 * dead attempt was in.
 *
 * @param sessionId the session the agent is in, once its stream said so
 * @param turns assistant turns seen so far
 * @param tokens tokens used so far
 * @param costUsd cost so far
 * @param lastEvent a short description of the last stream event
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentProgress(
    String sessionId, int turns, long tokens, double costUsd, String lastEvent) {}
