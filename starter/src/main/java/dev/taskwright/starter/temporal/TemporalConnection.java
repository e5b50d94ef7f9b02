package dev.taskwright.starter.temporal;

import dev.taskwright.starter.CliException;
import dev.taskwright.starter.ExitCodes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A checked connection to a Temporal frontend, and the workflow client on it. */
public final class TemporalConnection implements AutoCloseable {

  /**
   * How long to wait for a server to answer before saying it is unreachable. The SDK's own default
   * is far longer; a person at a terminal should hear within seconds that nothing is listening.
   */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

  /**
   * How long a query may take. A query is answered by a worker replaying the task; when no worker
   * is running nobody answers, and {@code status} falls back to what the server knows instead of
   * hanging.
   */
  public static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

  private final TemporalSettings settings;
  private final WorkflowServiceStubs stubs;
  private final EventLoopGroup eventLoop;
  private final WorkflowClient client;

  private TemporalConnection(
      TemporalSettings settings, WorkflowServiceStubs stubs, EventLoopGroup eventLoop) {
    this.settings = settings;
    this.stubs = stubs;
    this.eventLoop = eventLoop;
    this.client = WorkflowClient.newInstance(stubs, settings.clientOptions());
  }

  /**
   * The connection's own network threads, stopped when it closes. gRPC's shared ones outlive the
   * channel by a second, and a JVM that exits while a thread waits in native code (as a network
   * thread does) waits for it, which was a large part of {@code taskwright status} end to end
   * (figures in bench/RESULTS.md).
   */
  private static EventLoopGroup newEventLoop() {
    AtomicInteger threads = new AtomicInteger();
    return new NioEventLoopGroup(
        Math.max(2, Runtime.getRuntime().availableProcessors()),
        runnable -> {
          Thread thread = new Thread(runnable, "temporal-connection-" + threads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  /**
   * {@code options} with the channel on {@code eventLoop}, after any initializer they already had.
   */
  private static WorkflowServiceStubsOptions onOwnEventLoop(
      WorkflowServiceStubsOptions options, EventLoopGroup eventLoop) {
    var earlier = options.getChannelInitializer();
    return WorkflowServiceStubsOptions.newBuilder(options)
        .setChannelInitializer(
            builder -> {
              if (earlier != null) {
                earlier.accept(builder);
              }
              if (builder instanceof NettyChannelBuilder netty) {
                netty.eventLoopGroup(eventLoop).channelType(NioSocketChannel.class);
              }
            })
        .build();
  }

  /** Connects, or fails with exit code 5, the address tried and what to do. */
  public static TemporalConnection connect(TemporalSettings settings) {
    TemporalConnection connection = connectIfAnswering(settings, CONNECT_TIMEOUT);
    if (connection == null) {
      throw new CliException(
          ExitCodes.UNREACHABLE,
          "no Temporal server answers at "
              + settings.address()
              + ": start one with `taskwright dev`, or set TEMPORAL_ADDRESS (and"
              + " TEMPORAL_NAMESPACE, TEMPORAL_API_KEY) to reach yours");
    }
    return connection;
  }

  /**
   * Connects if a server answers within {@code timeout}; null when none does. A server that answers
   * but refuses us (a wrong API key, a TLS mismatch) is an error of its own.
   *
   * <p>The check is one {@code GetSystemInfo} call with a deadline, made on the raw gRPC stub: the
   * SDK's own connection check retries for several seconds even when the port refuses at once,
   * while a closed port should be reported at once.
   */
  public static TemporalConnection connectIfAnswering(TemporalSettings settings, Duration timeout) {
    EventLoopGroup eventLoop = newEventLoop();
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            onOwnEventLoop(
                settings.stubsOptions().setRpcQueryTimeout(QUERY_TIMEOUT).build(), eventLoop));
    try {
      stubs
          .blockingStub()
          .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
      return new TemporalConnection(settings, stubs, eventLoop);
    } catch (StatusRuntimeException e) {
      stop(stubs, eventLoop);
      Status.Code code = e.getStatus().getCode();
      if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
        return null;
      }
      throw new CliException(
          ExitCodes.UNREACHABLE,
          "the Temporal server at "
              + settings.address()
              + " refused the connection ("
              + code
              + ": "
              + e.getStatus().getDescription()
              + "); check TEMPORAL_API_KEY, TEMPORAL_NAMESPACE and the TEMPORAL_TLS_* settings",
          e);
    } catch (RuntimeException e) {
      stop(stubs, eventLoop);
      throw e;
    }
  }

  public TemporalSettings settings() {
    return settings;
  }

  public WorkflowServiceStubs stubs() {
    return stubs;
  }

  public WorkflowClient client() {
    return client;
  }

  @Override
  public void close() {
    stubs.shutdown();
    stubs.awaitTermination(2, TimeUnit.SECONDS);
    stop(stubs, eventLoop);
  }

  /**
   * Ends the channel, then its threads. The order matters: until the channel has terminated, a
   * transport that failed to connect still schedules its reconnect back-off on these threads, and a
   * stopped event loop refuses it, which gRPC reports as a "Panic!" with a stack trace on standard
   * error (one failed {@code status} in ten did so before this waited).
   */
  private static void stop(WorkflowServiceStubs stubs, EventLoopGroup eventLoop) {
    stubs.shutdownNow();
    stubs.awaitTermination(2, TimeUnit.SECONDS);
    eventLoop
        .shutdownGracefully(0, 0, TimeUnit.MILLISECONDS)
        .awaitUninterruptibly(2, TimeUnit.SECONDS);
  }
}
