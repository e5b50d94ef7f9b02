package dev.taskwright.starter.commands;

import dev.taskwright.ledger.LedgerDatabase;
import dev.taskwright.ledger.read.LedgerQueries;
import dev.taskwright.starter.ledger.LedgerAccess;
import java.sql.SQLException;
import picocli.CommandLine.Option;

/**
 * What the ledger's read commands share ({@code list}, {@code show}, {@code watch}, {@code stats}):
 * {@code --output}, opening the ledger, and reads that fail with exit 5 and what to do when the
 * database cannot be reached. They never ask Temporal, so they work after its retention has deleted
 * a task's history, and with no Temporal server at all.
 */
abstract class LedgerCommand extends Subcommand {

  /** Shared by each read command's help. */
  static final String EXIT_CODES =
      "Exit codes: 0 ok (also when nothing matches); 2 bad input; 5 the ledger's database cannot be"
          + " reached.";

  @Option(
      names = {"-o", "--output"},
      paramLabel = "text|json",
      converter = Output.Converter.class,
      description = "Output format (default: text).")
  Output output = Output.text;

  /** A read from the ledger. */
  interface Read<T> {
    T from(LedgerQueries queries) throws SQLException;
  }

  /**
   * The ledger: {@code TASKWRIGHT_DATABASE_URL}, or the embedded PostgreSQL under the home (found
   * running, or started now with a line on stderr, and stopped again when this closes).
   */
  LedgerDatabase openLedger() {
    return LedgerAccess.open(environment(), err());
  }

  /**
   * Runs {@code read}; a database that cannot be reached is exit 5, with where it was and what to
   * check.
   */
  static <T> T read(LedgerDatabase database, Read<T> read) {
    try {
      return read.from(new LedgerQueries(database));
    } catch (SQLException e) {
      throw LedgerAccess.unreachable(database, e);
    }
  }

  boolean json() {
    return output == Output.json;
  }
}
