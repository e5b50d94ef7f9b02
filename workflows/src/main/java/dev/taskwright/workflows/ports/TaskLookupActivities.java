package dev.taskwright.workflows.ports;

import dev.taskwright.workflows.model.DependencyLookup;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Reads another task's workflow from the Temporal server: whether it exists and, once closed, how
 * it ended. A dependent uses it when its {@code subscribe} signal cannot be delivered because the
 * dependency finished (or never existed), so a finished dependency is answered without polling.
 */
@ActivityInterface
public interface TaskLookupActivities {

  @ActivityMethod
  DependencyLookup lookup(String taskId);
}
