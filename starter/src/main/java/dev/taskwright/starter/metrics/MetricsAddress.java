package dev.taskwright.starter.metrics;

import dev.taskwright.starter.CliException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Where a worker serves {@code /metrics}. Written {@code PORT}, which listens on this machine only,
 * or {@code HOST:PORT}, e.g. {@code 0.0.0.0:9464} to listen on every interface (as a worker in a
 * container must, to be scraped from outside it). IPv6 hosts go in brackets: {@code [::]:9464}.
 *
 * @param host the interface to listen on, an address or a name
 * @param port the TCP port; 0 (tests only) lets the system pick a free one
 */
public record MetricsAddress(String host, int port) {

  /** The endpoint is unauthenticated, so by default only this machine can read it. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  private static final String EXAMPLES =
      "e.g. 9464 (this machine only) or 0.0.0.0:9464 (every interface)";

  public MetricsAddress {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("a metrics address needs a host");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is not between 0 and 65535");
    }
  }

  /**
   * Reads {@code [HOST:]PORT}; null when {@code value} is null (no metrics).
   *
   * @param name where the value came from, for the error: the variable or the option
   * @throws CliException with exit code 2 and {@code name} when the value is not an address
   */
  public static MetricsAddress parse(String value, String name) {
    if (value == null) {
      return null;
    }
    String text = value.trim();
    int colon = text.lastIndexOf(':');
    String host = colon < 0 ? DEFAULT_HOST : text.substring(0, colon);
    String portText = text.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw invalid(name, value, "put an IPv6 host in brackets, e.g. [::]:9464");
    }
    if (host.isBlank()) {
      throw invalid(name, value, "give the host as well, " + EXAMPLES);
    }
    int port = port(portText);
    if (port < 1) {
      throw invalid(name, value, "the port must be a number from 1 to 65535, " + EXAMPLES);
    }
    try {
      InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw invalid(
          name,
          value,
          "the host '" + host + "' is not known; use an address of this machine, " + EXAMPLES);
    }
    return new MetricsAddress(host, port);
  }

  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(host, port);
  }

  /** {@code host:port}, with an IPv6 host in brackets. */
  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** The port, or -1 when the text is not a whole number from 1 to 65535. */
  private static int port(String text) {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    int port = Integer.parseInt(text);
    return port <= 65535 ? port : -1;
  }

  private static CliException invalid(String name, String value, String why) {
    return CliException.badInput(
        name
            + "='"
            + value
            + "' is not a metrics address ([HOST:]PORT): "
            + why
            + "; or leave it unset to serve no metrics");
  }
}
