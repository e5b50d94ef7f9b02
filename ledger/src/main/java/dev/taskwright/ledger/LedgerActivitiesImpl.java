package dev.taskwright.ledger;

import dev.taskwright.workflows.FailureType;
import dev.taskwright.workflows.model.LedgerEntry;
import dev.taskwright.workflows.ports.LedgerActivities;
import io.temporal.failure.ApplicationFailure;
import java.sql.SQLException;

/**
 * The ledger activity. A database that cannot be reached is a retryable failure, so the write waits
 * for the database to come back; a write the database refuses for what it is (a schema this build
 * does not know, a value out of range) is not, since retrying it cannot help.
 */
public final class LedgerActivitiesImpl implements LedgerActivities {

  private final LedgerStore store;

  public LedgerActivitiesImpl(LedgerDatabase database) {
    this.store = new LedgerStore(database);
  }

  @Override
  public void record(LedgerEntry entry) {
    try {
      store.record(entry);
    } catch (SQLException e) {
      boolean refused = isRefusal(e.getSQLState());
      throw ApplicationFailure.newFailureWithCause(
          "ledger write for task " + entry.task().id() + " failed: " + e.getMessage(),
          refused ? FailureType.LEDGER_REJECTED.type() : FailureType.LEDGER_UNAVAILABLE.type(),
          e);
    }
  }

  /**
   * SQLSTATE classes 22 (data exception), 23 (integrity constraint) and 42 (syntax or access rule)
   * mean the database understood the write and refused it; anything else (08 connection exception,
   * 57 operator intervention, none at all from the pool) may pass.
   */
  static boolean isRefusal(String sqlState) {
    return sqlState != null
        && (sqlState.startsWith("22") || sqlState.startsWith("23") || sqlState.startsWith("42"));
  }
}
