package dev.taskwright.starter.temporal;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * An in-process Temporal server (temporal-testing's test server, time skipping off) for {@code dev}
 * and {@code demo}. It keeps nothing across restarts.
 *
 * <p>It is assembled here rather than with {@code TestServer.createPortBoundServer}, which listens
 * on every network interface: this server has no authentication, and a workflow started on it makes
 * the worker run whatever command the task names, so it must only be reachable from this machine.
 * The pieces are the ones {@code createPortBoundServer} itself uses.
 */
public final class EmbeddedTemporal implements AutoCloseable {

  private final TestServicesStarter services;
  private final Server server;
  private final String address;

  private EmbeddedTemporal(TestServicesStarter services, Server server) {
    this.services = services;
    this.server = server;
    this.address = InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getPort();
  }

  /**
   * Starts a server on the loopback interface; port 0 picks a free one. Search attributes are
   * registered.
   */
  public static EmbeddedTemporal start(int port) {
    // Time skipping locked (off): the server's clock is the wall clock. Unlocked, it jumps to the
    // next timer whenever no task is in flight, so a usage-limit backoff would end at once and a
    // task waiting for a person would reach the server's default execution timeout in a moment.
    TestServicesStarter services = new TestServicesStarter(true, 0);
    var builder =
        NettyServerBuilder.forAddress(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
            InsecureServerCredentials.create());
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    Server server;
    try {
      server = builder.build().start();
    } catch (IOException e) {
      services.close();
      throw new UncheckedIOException(
          "cannot listen on " + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port, e);
    }
    EmbeddedTemporal embedded = new EmbeddedTemporal(services, server);
    try {
      embedded.registerSearchAttributes();
    } catch (RuntimeException e) {
      embedded.close();
      throw e;
    }
    return embedded;
  }

  /** host:port to connect to. */
  public String address() {
    return address;
  }

  private void registerSearchAttributes() {
    SearchAttributeRegistration.ensure(TemporalSettings.local(address));
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
    services.close();
  }
}
