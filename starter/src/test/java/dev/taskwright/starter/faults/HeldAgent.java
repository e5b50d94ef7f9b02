package dev.taskwright.starter.faults;

import dev.taskwright.starter.support.FaultSandbox;
import dev.taskwright.testing.ModelReply;
import dev.taskwright.testing.ModelRequest;
import dev.taskwright.testing.ModelScript;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The model's side of a fault test's task "Task ID: write FILE": the agent writes the file, then
 * sums up. The model holds its first reply until {@link #release()}, so the test can strike while
 * the agent is mid-run, alive and waiting, and let it go on afterwards.
 */
final class HeldAgent implements ModelScript {

  private final FaultSandbox sandbox;
  private final String taskId;
  private final CountDownLatch reached = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);

  HeldAgent(FaultSandbox sandbox, String taskId) {
    this.sandbox = sandbox;
    this.taskId = taskId;
  }

  String prompt() {
    return "Task " + taskId + ": write " + file();
  }

  String file() {
    return taskId + ".txt";
  }

  String content() {
    return "written by the agent of " + taskId + "\n";
  }

  /** Waits until the agent has asked the model for its first reply. */
  void awaitHeld(Duration limit) throws InterruptedException {
    if (!reached.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(
          "the agent of "
              + taskId
              + " did not call the model within "
              + limit
              + "\n"
              + sandbox.workerLogs());
    }
  }

  void release() {
    released.countDown();
  }

  @Override
  public ModelReply reply(ModelRequest request) {
    if (request.toolResults().isEmpty()) {
      reached.countDown();
      try {
        // Held no longer than the scripted server lets a reply hang.
        released.await(4, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while holding the reply", e);
      }
      return ModelReply.write(sandbox.worktree(taskId).resolve(file()), content());
    }
    return summingUp(file());
  }

  /**
   * The agent's last reply in every fault test: it wrote {@code file}, with the summary taskwright
   * extracts.
   */
  static ModelReply summingUp(String file) {
    return ModelReply.text("Wrote " + file + ".\n\n## Summary\nWrote " + file + ".");
  }
}
