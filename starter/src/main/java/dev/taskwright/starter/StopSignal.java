package dev.taskwright.starter;

import java.lang.reflect.Proxy;
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

  /**
   * Longer than the worker's own grace period, so the hook never cuts a graceful shutdown short.
   */
  static final Duration HOOK_PATIENCE = Duration.ofSeconds(45);

  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean running = new AtomicBoolean();
  private final boolean ofThisProcess;

  /** A signal only {@link #stop()} raises, as tests use it. */
  public StopSignal() {
    this(false);
  }

  private StopSignal(boolean ofThisProcess) {
    this.ofThisProcess = ofThisProcess;
  }

  /** A signal raised by SIGTERM/Ctrl-C. */
  public static StopSignal onJvmShutdown() {
    StopSignal signal = new StopSignal(true);
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
   * stop request waits for the command to finish shutting down; commands that never call this (run,
   * status) exit at once on Ctrl-C.
   */
  public void awaitStopRequest() throws InterruptedException {
    running.set(true);
    stopRequested.await();
  }

  /**
   * Waits up to {@code timeout} for a stop request, for commands that poll until Ctrl-C ({@code
   * logs -f}); true when one came. Unlike {@link #awaitStopRequest()} it does not make a stop
   * request wait for {@link #stopped()}.
   */
  public boolean awaitStopRequest(Duration timeout) throws InterruptedException {
    return stopRequested.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Makes Ctrl-C (SIGINT) request a stop instead of ending the JVM, for a command that runs until
   * Ctrl-C and then ends normally, with exit 0 ({@code watch}, {@code logs -f}). A second Ctrl-C
   * ends the JVM as usual (exit 130), should the command not get to stop. Nothing changes for a
   * signal that is not the process's own (tests), or on a JVM without {@code sun.misc.Signal};
   * SIGTERM is untouched.
   */
  public void stopOnCtrlC() {
    if (!ofThisProcess) {
      return;
    }
    // Reflection, because javac warns about sun.misc on every build and no annotation silences it.
    try {
      Class<?> signalType = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Object interrupt = signalType.getConstructor(String.class).newInstance("INT");
      Object handler =
          Proxy.newProxyInstance(
              handlerType.getClassLoader(),
              new Class<?>[] {handlerType},
              (proxy, method, args) -> {
                if (method.getDeclaringClass() == Object.class) {
                  return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "stop on Ctrl-C";
                  };
                }
                if (stopRequested.getCount() == 0) {
                  Runtime.getRuntime().exit(130);
                }
                stop();
                return null;
              });
      signalType.getMethod("handle", signalType, handlerType).invoke(null, interrupt, handler);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // Ctrl-C then ends the JVM as it does for every other command.
    }
  }

  /** The command calls this once it has shut everything down. */
  public void stopped() {
    stopped.countDown();
  }

  /**
   * Waits until a running command has shut down; false when it took longer than {@code patience}.
   */
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
