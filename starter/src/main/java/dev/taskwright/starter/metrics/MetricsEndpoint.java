package dev.taskwright.starter.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.taskwright.starter.CliEnvironment;
import dev.taskwright.starter.CliException;
import dev.taskwright.starter.ExitCodes;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} in Prometheus text format, on the JDK's own HTTP server: one path, one
 * thread, nothing worth another library. Anything else is answered 404 or 405.
 */
final class MetricsEndpoint implements AutoCloseable {

  static final String PATH = "/metrics";

  private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);

  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsEndpoint(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds {@code address} and serves {@code scrape()} at {@code /metrics}.
   *
   * @throws CliException with exit code 5 when the address cannot be bound (the port is taken, the
   *     host is not an address of this machine)
   */
  static MetricsEndpoint start(MetricsAddress address, Supplier<String> scrape) {
    HttpServer server;
    try {
      server = HttpServer.create(address.socketAddress(), 0);
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.UNREACHABLE,
          "cannot serve metrics at "
              + address
              + " ("
              + e.getMessage()
              + "): free the port, or set "
              + CliEnvironment.METRICS_ADDRESS
              + " to another [HOST:]PORT",
          e);
    }
    // Scrapes are rare and quick; one daemon thread serves them and never keeps the JVM alive.
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "taskwright-metrics");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext(PATH, exchange -> handle(exchange, scrape));
    server.start();
    return new MetricsEndpoint(server, executor);
  }

  /** Where it listens; the real port when 0 was asked for. */
  InetSocketAddress address() {
    return server.getAddress();
  }

  private static void handle(HttpExchange exchange, Supplier<String> scrape) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      // The context matches every path that starts with /metrics; only /metrics itself is ours.
      if (!exchange.getRequestURI().getPath().equals(PATH)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().add("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body;
      try {
        body = scrape.get().getBytes(StandardCharsets.UTF_8);
      } catch (RuntimeException e) {
        log.warn("Could not produce /metrics", e);
        exchange.sendResponseHeaders(500, -1);
        return;
      }
      exchange.getResponseHeaders().add("Content-Type", TextFormat.CONTENT_TYPE_004);
      if (method.equals("HEAD")) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Stops listening at once; a scrape in flight is cut off, which Prometheus shrugs off. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
