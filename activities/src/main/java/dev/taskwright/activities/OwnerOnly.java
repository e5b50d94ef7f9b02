package dev.taskwright.activities;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Creates folders (0700) and files (0600) that only their owner may read, with the permissions
 * given at creation, so there is no moment in which another local user could open them. On a file
 * system without POSIX permissions the platform's defaults apply.
 */
public final class OwnerOnly {
  public static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private OwnerOnly() {}

  /** Like {@link Files#createDirectories}, each folder it creates being 0700. */
  public static Path createDirectories(Path dir) throws IOException {
    dir = dir.toAbsolutePath();
    if (Files.isDirectory(dir)) {
      return dir;
    }
    Path parent = dir.getParent();
    if (parent != null) {
      createDirectories(parent);
    }
    try {
      if (POSIX) {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR));
      } else {
        Files.createDirectory(dir);
      }
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    }
    return dir;
  }

  /** Creates {@code file} (0600) if it does not exist; its folders are created 0700. */
  public static Path createFile(Path file) throws IOException {
    createDirectories(file.toAbsolutePath().getParent());
    try {
      Files.createFile(file, fileAttributes());
    } catch (FileAlreadyExistsException e) {
      // Already there: its permissions are what Home.makeOwnerOnly() made them.
    }
    return file;
  }

  /** Opens {@code file} for appending, creating it 0600 (and its folders 0700) first. */
  public static OutputStream append(Path file) throws IOException {
    createFile(file);
    return Files.newOutputStream(file, StandardOpenOption.APPEND);
  }

  private static FileAttribute<?>[] fileAttributes() {
    return POSIX
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
        : new FileAttribute<?>[0];
  }
}
