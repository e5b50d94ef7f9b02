package dev.taskwright.activities;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/** The name this worker host goes by in task queue names ({@code taskwright@<host>}). */
public final class Hosts {
  private Hosts() {}

  /**
   * {@code TASKWRIGHT_HOST} when set (several workers on one machine, containers), else the host
   * name.
   */
  public static String current() {
    String configured = System.getenv("TASKWRIGHT_HOST");
    if (configured != null && !configured.isBlank()) {
      return configured.trim();
    }
    try {
      return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
    } catch (UnknownHostException e) {
      String fallback = System.getenv("HOSTNAME");
      return fallback == null || fallback.isBlank()
          ? "localhost"
          : fallback.toLowerCase(Locale.ROOT);
    }
  }
}
