package dev.taskwright.starter.temporal;

import dev.taskwright.activities.Home;
import dev.taskwright.activities.OwnerOnly;
import dev.taskwright.starter.CliException;
import dev.taskwright.starter.ExitCodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code <home>/temporal-server.pid}: the {@code temporal server start-dev} that {@code dev}
 * started (PID, start time, database, port), so that a later {@code dev} recognises it after dev
 * was killed outright (issue 13, item 17): adopted when it is that very process and its database is
 * still there, else named with the command that stops it.
 */
public record TemporalServerRecord(long pid, String startTime, Path database, int port) {

  static Path file(Home home) {
    return home.root().resolve("temporal-server.pid");
  }

  static void write(Home home, ProcessHandle process, Path database, int port) {
    String started = process.info().startInstant().map(Instant::toString).orElse("");
    String text = process.pid() + "\n" + started + "\n" + database + "\n" + port + "\n";
    Path file = file(home);
    try {
      Path partial = file.resolveSibling(file.getFileName() + ".partial");
      Files.deleteIfExists(partial);
      OwnerOnly.createFile(partial);
      Files.writeString(partial, text, StandardCharsets.UTF_8);
      Files.move(
          partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new CliException(ExitCodes.INTERNAL, "cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  static void delete(Home home) {
    try {
      Files.deleteIfExists(file(home));
    } catch (IOException ignored) {
      // The next dev finds the process gone and ignores the record.
    }
  }

  public static Optional<TemporalServerRecord> read(Home home) {
    try {
      List<String> lines = Files.readAllLines(file(home), StandardCharsets.UTF_8);
      return Optional.of(
          new TemporalServerRecord(
              Long.parseLong(lines.get(0).trim()),
              lines.get(1).trim(),
              Path.of(lines.get(2).trim()),
              Integer.parseInt(lines.get(3).trim())));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The process, when the one recorded is still alive (same PID and the same start time). */
  public Optional<ProcessHandle> live() {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().startInstant().map(Instant::toString).orElse("").equals(startTime));
  }

  /**
   * What {@code dev} does when a server already answers on {@code port}: the server it started
   * earlier, alive and with its database, is returned to adopt; an orphan of an earlier dev
   * (recorded, or any {@code temporal server start-dev} on that port whose database is gone) is an
   * error (exit 5) naming {@code kill <PID>}; anything else is someone else's server: empty.
   */
  public static Optional<ProcessHandle> adoptOrRefuse(Home home, int port) {
    Optional<TemporalServerRecord> record = read(home).filter(r -> r.port == port);
    if (record.isPresent()) {
      Optional<ProcessHandle> live = record.get().live();
      if (live.isPresent()) {
        if (Files.exists(record.get().database)) {
          return live;
        }
        throw orphan(live.get().pid(), record.get().database, port);
      }
    }
    Optional<ProcessHandle> stray =
        ProcessHandle.allProcesses().filter(p -> orphanedStartDev(p, port)).findFirst();
    if (stray.isPresent()) {
      throw orphan(stray.get().pid(), databaseOf(stray.get()).orElse(null), port);
    }
    return Optional.empty();
  }

  private static boolean orphanedStartDev(ProcessHandle process, int port) {
    List<String> args = process.info().arguments().map(List::of).orElse(List.of());
    int start = args.indexOf("start-dev");
    if (start < 1 || !args.get(start - 1).equals("server")) {
      return false;
    }
    int portAt = args.indexOf("--port");
    if (portAt < 0
        || portAt + 1 >= args.size()
        || !args.get(portAt + 1).equals(Integer.toString(port))) {
      return false;
    }
    Optional<Path> db = databaseOf(process);
    return db.isPresent() && !Files.exists(db.get());
  }

  private static Optional<Path> databaseOf(ProcessHandle process) {
    List<String> args = process.info().arguments().map(List::of).orElse(List.of());
    int at = args.indexOf("--db-filename");
    return at >= 0 && at + 1 < args.size()
        ? Optional.of(Path.of(args.get(at + 1)))
        : Optional.empty();
  }

  private static CliException orphan(long pid, Path database, int port) {
    return new CliException(
        ExitCodes.UNREACHABLE,
        "a Temporal server an earlier `taskwright dev` started (PID "
            + pid
            + ") still holds port "
            + port
            + ", and its database "
            + (database == null ? "is unknown" : database + " is gone")
            + ", so it cannot keep tasks: stop it with `kill "
            + pid
            + "`, then run `taskwright dev` again");
  }
}
