package dev.taskwright.starter.task;

import dev.taskwright.starter.Terminal;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** One line per state a followed task enters, as {@code run --wait} and {@code demo} print them. */
public final class ProgressLine {
  private ProgressLine() {}

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  public static String of(TaskStateChange change, LocalTime now) {
    String line = now.format(CLOCK) + " " + change.taskId() + ": " + change.state();
    return switch (change.state()) {
      case PREPARING -> line + " - creating the worktree";
      case RUNNING -> line + " - agent run " + change.run();
      case COMMITTING -> line + " - committing and summarising";
      case READY -> line + " - waiting for review";
      case BLOCKED -> line + " - waiting for a person";
      case RATE_LIMITED -> line + " - waiting for the usage limit to reset";
      case MERGING -> line + " - merging into the base branch";
      default -> change.detail() == null ? line : line + " " + Terminal.line(change.detail());
    };
  }
}
