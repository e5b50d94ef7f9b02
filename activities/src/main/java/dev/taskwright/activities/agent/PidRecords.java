package dev.taskwright.activities.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads and writes {@code agent.pid}, and stops an agent an earlier attempt left running. */
final class PidRecords {
  private static final Logger log = LoggerFactory.getLogger(PidRecords.class);
  private static final ObjectMapper JSON = Json.MAPPER;

  private PidRecords() {}

  static void write(Path file, ProcessHandle process, int runNumber, String command) {
    PidRecord record =
        new PidRecord(
            process.pid(),
            startTime(process).map(Instant::toString).orElse(null),
            runNumber,
            command);
    try {
      Files.createDirectories(file.getParent());
      // Write and rename, so a reader never sees half a record.
      Path partial = file.resolveSibling(file.getFileName() + ".partial");
      Files.deleteIfExists(partial);
      dev.taskwright.activities.OwnerOnly.createFile(partial);
      JSON.writeValue(partial.toFile(), record);
      Files.move(
          partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not record the agent's PID in " + file, e);
    }
  }

  static Optional<PidRecord> read(Path file) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), PidRecord.class));
    } catch (IOException e) {
      log.warn("Ignoring unreadable PID record {}: {}", file, e.getMessage());
      return Optional.empty();
    }
  }

  static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("Could not delete PID record {}: {}", file, e.getMessage());
    }
  }

  /**
   * Kills the agent recorded in {@code file} if it is still alive: same PID and same start time. A
   * process with the recorded PID but another start time is a stranger that reused the number, and
   * is left alone.
   *
   * @return true when a leftover agent was found and killed
   */
  static boolean killLeftover(Path file, Duration grace) {
    Optional<PidRecord> record = read(file);
    if (record.isEmpty()) {
      return false;
    }
    PidRecord recorded = record.get();
    Optional<ProcessHandle> process =
        ProcessHandle.of(recorded.pid()).filter(ProcessHandle::isAlive);
    boolean same =
        process.isPresent()
            && recorded.startedAt() != null
            && startTime(process.get())
                .map(Instant::toString)
                .filter(recorded.startedAt()::equals)
                .isPresent();
    if (!same) {
      delete(file);
      return false;
    }
    log.warn(
        "Agent {} of run {} is still running from an earlier attempt; killing it",
        recorded.pid(),
        recorded.runNumber());
    ProcessTree.kill(process.get(), Set.of(), grace);
    delete(file);
    return true;
  }

  static Optional<Instant> startTime(ProcessHandle process) {
    return process.info().startInstant();
  }
}
