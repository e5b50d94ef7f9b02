package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Signal payload: task {@code taskId} waits for the receiving task to finish. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Subscription(String taskId) {}
