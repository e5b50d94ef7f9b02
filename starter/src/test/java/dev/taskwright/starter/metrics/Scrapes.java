package dev.taskwright.starter.metrics;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/** Reads a worker's {@code /metrics} over HTTP, on loopback, the way Prometheus would. */
final class Scrapes {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Scrapes() {}

  static HttpResponse<String> get(String hostPort, String path)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + hostPort + path))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The sample lines of one scrape (comments left out). */
  static List<String> samples(String hostPort) throws IOException, InterruptedException {
    HttpResponse<String> response = get(hostPort, "/metrics");
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "GET /metrics answered " + response.statusCode() + ": " + response.body());
    }
    return Arrays.stream(response.body().split("\n"))
        .filter(line -> !line.isBlank() && !line.startsWith("#"))
        .toList();
  }

  /**
   * Scrapes until one sample line matches; the SDK reports its meters once a second, so the first
   * scrapes may not have them yet. The limit only keeps a broken test from hanging.
   */
  static String awaitSample(
      String hostPort, String description, Predicate<String> line, Duration limit)
      throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    List<String> last = List.of();
    while (System.nanoTime() < deadline) {
      last = samples(hostPort);
      for (String sample : last) {
        if (line.test(sample)) {
          return sample;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "no sample "
            + description
            + " within "
            + limit
            + "; last scrape:\n"
            + String.join("\n", last));
  }

  /** A loopback port nothing listens on right now. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** The value of a sample line, e.g. 1.0 for {@code name{a="b",} 1.0}. */
  static double value(String sample) {
    return Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1));
  }
}
