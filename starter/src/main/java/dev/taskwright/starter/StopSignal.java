package dev.taskwright.starter;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells long-running commands ({@code worker}, {@code dev}) when to stop, and lets whoever asked
 * wait until they have. In the real CLI the request comes from SIGTERM or Ctrl-C through a JVM
 * shutdown hook, which then waits for the command to shut its worker down gracefully, so running
 * agents are killed by their own activities instead of being orphaned. Tests call {@link #stop()}.
 */
public final class StopSignal {

  /** Longer than the worker's own grace period, so the hook never cuts a graceful shutdown short. */
  static final Duration HOOK_PATIENCE = Duration.ofSeconds(45);

  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean running = new AtomicBoolean();

  /** A signal raised by SIGTERM/Ctrl-C. */
  public static StopSignal onJvmShutdown() {
    StopSignal signal = new StopSignal();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  signal.stop();
                  signal.awaitStopped(HOOK_PATIENCE);
                },
                "taskwright-shutdown"));
    return signal;
  }

  public void stop() {
    stopRequested.countDown();
  }

  /**
   * Blocks a long-running command until a stop is requested. From here until {@link #stopped()} a
   * stop request waits for the command to finish shutting down; commands that never call this
   * (run, status) exit at once on Ctrl-C.
   */
  public void awaitStopRequest() throws InterruptedException {
    running.set(true);
    stopRequested.await();
  }

  /**
   * Waits up to {@code timeout} for a stop request, for commands that poll until Ctrl-C
   * ({@code logs -f}); true when one came. Unlike {@link #awaitStopRequest()} it does not make a
   * stop request wait for {@link #stopped()}.
   */
  public boolean awaitStopRequest(Duration timeout) throws InterruptedException {
    return stopRequested.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The command calls this once it has shut everything down. */
  public void stopped() {
    stopped.countDown();
  }

  /** Waits until a running command has shut down; false when it took longer than {@code patience}. */
  public boolean awaitStopped(Duration patience) {
    if (!running.get()) {
      return true;
    }
    try {
      return stopped.await(patience.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
