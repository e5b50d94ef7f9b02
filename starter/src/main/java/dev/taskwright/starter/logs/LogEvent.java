package dev.taskwright.starter.logs;

/**
 * One rendered event of an agent transcript.
 *
 * @param run the run number ({@code run-<n>})
 * @param type what it is: {@code init}, {@code text}, {@code tool_use}, {@code tool_result}, {@code
 *     error}, {@code result}, {@code system} or {@code plain} (a line that is not JSON)
 * @param text the event as a person reads it, already prefixed ({@code →}, {@code ←}, {@code !},
 *     {@code =})
 */
public record LogEvent(int run, String type, String text) {}
