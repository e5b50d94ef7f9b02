package dev.taskwright.ledger;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL binaries packaged as Maven artifacts (one {@code .txz} per platform), unpacked
 * once per version into a cache folder shared by every taskwright home on the machine.
 */
public final class PostgresBinaries {

  private PostgresBinaries() {}

  /** The PostgreSQL version of the packaged binaries, as the build wrote it. */
  public static String version() {
    Properties properties = new Properties();
    try (InputStream in =
        PostgresBinaries.class.getResourceAsStream("/taskwright-ledger.properties")) {
      if (in == null) {
        throw new IllegalStateException(
            "taskwright-ledger.properties is missing from the classpath; rebuild taskwright");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("postgres.binaries.version");
  }

  /** The resource name of this platform's binaries, e.g. {@code postgres-linux-x86_64.txz}. */
  static String resourceName() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String system =
        os.contains("mac") || os.contains("darwin")
            ? "darwin"
            : os.contains("linux") ? "linux" : os;
    String machine =
        switch (arch) {
          case "amd64", "x86_64" -> "x86_64";
          case "aarch64", "arm64" -> "arm_64";
          default -> arch;
        };
    return "postgres-" + system + "-" + machine + ".txz";
  }

  /**
   * The folder holding {@code bin/}, {@code lib/} and {@code share/}, unpacked under {@code cache}
   * if not there yet. Two processes unpacking at once each unpack to a folder of their own and the
   * first rename wins, so neither sees a half-unpacked tree.
   */
  public static Path unpacked(Path cache) {
    String resource = resourceName();
    Path target = cache.resolve("postgres-" + version() + "-" + resource.replace(".txz", ""));
    if (Files.isExecutable(target.resolve("bin/postgres"))) {
      return target;
    }
    try (InputStream packed = PostgresBinaries.class.getResourceAsStream("/" + resource)) {
      if (packed == null) {
        throw new IllegalStateException(
            "taskwright has no embedded PostgreSQL for this platform ("
                + resource
                + "); "
                + "set TASKWRIGHT_DATABASE_URL to a PostgreSQL server you run");
      }
      Files.createDirectories(cache);
      Path staging = Files.createTempDirectory(cache, "unpacking-");
      unpack(packed, staging);
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException
          | AtomicMoveNotSupportedException
          | java.nio.file.DirectoryNotEmptyException lostRace) {
        // Another process unpacked the same version first; theirs is complete, ours is ours to
        // remove.
        deleteTree(staging);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot unpack the embedded PostgreSQL into " + cache + ": " + e.getMessage(), e);
    }
  }

  private static void unpack(InputStream packed, Path into) throws IOException {
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(packed)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path path = into.resolve(entry.getName()).normalize();
        if (!path.startsWith(into)) {
          throw new IOException("archive entry outside its folder: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(path.getParent());
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
          Files.createDirectories(path.getParent());
          Files.createLink(path, into.resolve(entry.getLinkName()));
        } else {
          Files.createDirectories(path.getParent());
          Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
          Files.setPosixFilePermissions(path, permissions(entry.getMode()));
        }
      }
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> permissions =
        EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    if ((mode & 0100) != 0) {
      permissions.add(PosixFilePermission.OWNER_EXECUTE);
    }
    permissions.add(PosixFilePermission.GROUP_READ);
    permissions.add(PosixFilePermission.OTHERS_READ);
    if ((mode & 0010) != 0) {
      permissions.add(PosixFilePermission.GROUP_EXECUTE);
    }
    if ((mode & 0001) != 0) {
      permissions.add(PosixFilePermission.OTHERS_EXECUTE);
    }
    return permissions;
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
