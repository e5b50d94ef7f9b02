package dev.taskwright.starter.plan;

import dev.taskwright.starter.task.PlannedTask;
import java.util.List;

/**
 * A checked task file, ready to start.
 *
 * @param name the plan's name: the file's {@code plan}, else its file name without extension
 * @param tasks the top-level tasks, each after the tasks it depends on; subtasks are nested in
 *     their specs
 */
public record Plan(String name, List<PlannedTask> tasks) {
  public Plan {
    tasks = List.copyOf(tasks);
  }
}
