package dev.taskwright.starter.ledger;

import dev.taskwright.ledger.EmbeddedPostgres;
import dev.taskwright.ledger.LedgerDatabase;
import dev.taskwright.ledger.LedgerLocation;
import dev.taskwright.starter.CliEnvironment;
import dev.taskwright.starter.CliException;
import dev.taskwright.starter.ExitCodes;
import java.io.PrintWriter;
import java.sql.SQLException;

/**
 * Opens the ledger for a command, saying what it does when that takes a moment and what to do when
 * it fails.
 */
public final class LedgerAccess {

  private LedgerAccess() {}

  /**
   * The ledger of {@code environment}: the server at {@code TASKWRIGHT_DATABASE_URL}, or the
   * embedded one (found running, or started now and stopped when the returned database closes).
   */
  public static LedgerDatabase open(CliEnvironment environment, PrintWriter progress) {
    return open(environment, progress, EmbeddedPostgres.Stop.ON_CLOSE_OR_EXIT);
  }

  /**
   * The ledger for a worker: an embedded server it starts stops only when the worker closes it,
   * after its activities have wound down, so the last ledger writes of a stopping worker land.
   */
  public static LedgerDatabase openForWorker(CliEnvironment environment, PrintWriter progress) {
    return open(environment, progress, EmbeddedPostgres.Stop.ON_CLOSE);
  }

  private static LedgerDatabase open(
      CliEnvironment environment, PrintWriter progress, EmbeddedPostgres.Stop stop) {
    LedgerLocation location = environment.ledgerLocation();
    if (location.isEmbedded() && !EmbeddedPostgres.isRunning(location.embeddedRoot())) {
      progress.println(
          "Starting the embedded PostgreSQL for the task ledger (data in "
              + location.embeddedRoot()
              + ") ...");
      progress.flush();
    }
    try {
      return LedgerDatabase.open(location, stop);
    } catch (RuntimeException e) {
      throw new CliException(
          ExitCodes.UNREACHABLE,
          "cannot open the task ledger (" + location.describe() + "): " + e.getMessage(),
          e);
    }
  }

  /** The failure of a read from the ledger, as an error a person can act on. */
  public static CliException unreachable(LedgerDatabase database, SQLException e) {
    String hint =
        database.location().isEmbedded()
            ? "check " + database.location().embeddedRoot().resolve("postgres.log")
            : "check that the server is up and " + CliEnvironment.DATABASE_URL + " is right";
    return new CliException(
        ExitCodes.UNREACHABLE,
        "cannot read the task ledger ("
            + database.location().describe()
            + "): "
            + reason(e)
            + "; "
            + hint,
        e);
  }

  /**
   * What the driver said, rather than the pool's "Connection is not available, request timed out"
   * around it: the message of the innermost SQL exception.
   */
  private static String reason(SQLException e) {
    SQLException innermost = e;
    for (Throwable cause = e.getCause();
        cause != null && cause != cause.getCause();
        cause = cause.getCause()) {
      if (cause instanceof SQLException sql && sql.getMessage() != null) {
        innermost = sql;
      }
    }
    return innermost.getMessage().strip().replaceAll("\\.$", "");
  }
}
