package dev.taskwright.ledger;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Folders (0700) and files (0600) readable by their owner only, permissions given at creation. The
 * ledger module does not depend on activities, where {@code OwnerOnly} lives; this is its copy.
 */
final class OwnerOnlyFiles {
  private OwnerOnlyFiles() {}

  static void createDirectories(Path dir) throws IOException {
    dir = dir.toAbsolutePath();
    if (Files.isDirectory(dir)) {
      return;
    }
    if (dir.getParent() != null) {
      createDirectories(dir.getParent());
    }
    try {
      Files.createDirectory(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    }
  }

  static void createFile(Path file) throws IOException {
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
  }
}
