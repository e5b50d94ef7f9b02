package dev.taskwright.ledger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this process runs as root, which PostgreSQL refuses. */
final class RunningUser {

  private RunningUser() {}

  private static final boolean ROOT = detect();

  static boolean isRoot() {
    return ROOT;
  }

  /** A file this process just made is owned by its effective user: root's is uid 0. */
  private static boolean detect() {
    try {
      Path probe = Files.createTempFile("taskwright-uid", ".probe");
      try {
        Object uid = Files.getAttribute(probe, "unix:uid");
        return uid instanceof Integer id && id == 0;
      } finally {
        Files.deleteIfExists(probe);
      }
    } catch (IOException | UnsupportedOperationException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }
}
