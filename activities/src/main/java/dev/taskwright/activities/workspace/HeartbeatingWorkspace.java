package dev.taskwright.activities.workspace;

import dev.taskwright.workflows.model.CleanupInput;
import dev.taskwright.workflows.model.CleanupResult;
import dev.taskwright.workflows.model.CommitInput;
import dev.taskwright.workflows.model.CommitResult;
import dev.taskwright.workflows.model.MergeInput;
import dev.taskwright.workflows.model.MergeResult;
import dev.taskwright.workflows.model.PrepareInput;
import dev.taskwright.workflows.model.Workspace;
import dev.taskwright.workflows.ports.WorkspaceActivities;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The workspace activities, heartbeating while git works. Without heartbeats a worker killed in the
 * middle of a commit is noticed only when the activity's five-minute start-to-close timeout runs
 * out, and the task stands still that long; with them, the workspace heartbeat timeout ({@code
 * Timeouts.WORKSPACE_HEARTBEAT}) brings the retry to another worker within seconds. The work itself
 * stays in {@link GitWorkspace}, which knows nothing of Temporal's activity context.
 */
public final class HeartbeatingWorkspace implements WorkspaceActivities {

  /** Well inside the heartbeat timeout; the SDK throttles what actually reaches the server. */
  static final Duration BEAT_EVERY = Duration.ofSeconds(5);

  private static final ScheduledExecutorService TICKER =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "workspace-heartbeats");
            thread.setDaemon(true);
            return thread;
          });

  private final WorkspaceActivities workspace;

  public HeartbeatingWorkspace(WorkspaceActivities workspace) {
    this.workspace = workspace;
  }

  @Override
  public Workspace prepare(PrepareInput input) {
    return heartbeating(() -> workspace.prepare(input));
  }

  @Override
  public CommitResult commit(CommitInput input) {
    return heartbeating(() -> workspace.commit(input));
  }

  @Override
  public MergeResult merge(MergeInput input) {
    return heartbeating(() -> workspace.merge(input));
  }

  @Override
  public CleanupResult cleanup(CleanupInput input) {
    return heartbeating(() -> workspace.cleanup(input));
  }

  private static <T> T heartbeating(Supplier<T> work) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    ScheduledFuture<?> beats =
        TICKER.scheduleAtFixedRate(
            () -> beat(context), 0, BEAT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    try {
      return work.get();
    } finally {
      beats.cancel(false);
    }
  }

  private static void beat(ActivityExecutionContext context) {
    try {
      context.heartbeat(null);
    } catch (ActivityCompletionException ended) {
      // Cancelled or already timed out: the git work finishes or fails on its own, and its
      // result, which the server may refuse, is what the worker reports.
    }
  }
}
