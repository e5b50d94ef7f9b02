package dev.taskwright.ledger;

import dev.taskwright.workflows.model.LedgerEntry;
import dev.taskwright.workflows.model.RunRecord;
import dev.taskwright.workflows.model.TaskRecord;
import dev.taskwright.workflows.model.TransitionRecord;
import dev.taskwright.workflows.model.Usage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;

/**
 * Writes ledger entries. Each entry is one transaction of three idempotent upserts, so writing an
 * entry twice, or an older entry after a newer one, leaves the same rows as writing each once in
 * order:
 *
 * <ul>
 *   <li>the task row is replaced only by a newer write: a later run of the task, or a later
 *       sequence number in the same run;
 *   <li>a transition is inserted once, keyed by its run and sequence number;
 *   <li>a run's row is replaced only while it has not ended, so the record of a run's start never
 *       overwrites the record of its end.
 * </ul>
 */
public final class LedgerStore {

  private static final String UPSERT_TASK =
      """
      INSERT INTO tasks (id, workflow_run_id, sequence, parent_id, plan, title, repo, base_ref, branch, agent, model,
                         state, reason, question, summary, commits, turns, input_tokens, output_tokens,
                         cache_read_tokens, cache_creation_tokens, cost_usd, error, created_at, updated_at, finished_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET
        workflow_run_id = EXCLUDED.workflow_run_id, sequence = EXCLUDED.sequence, parent_id = EXCLUDED.parent_id,
        plan = EXCLUDED.plan, title = EXCLUDED.title, repo = EXCLUDED.repo, base_ref = EXCLUDED.base_ref,
        branch = EXCLUDED.branch, agent = EXCLUDED.agent, model = EXCLUDED.model, state = EXCLUDED.state,
        reason = EXCLUDED.reason, question = EXCLUDED.question, summary = EXCLUDED.summary, commits = EXCLUDED.commits,
        turns = EXCLUDED.turns, input_tokens = EXCLUDED.input_tokens, output_tokens = EXCLUDED.output_tokens,
        cache_read_tokens = EXCLUDED.cache_read_tokens, cache_creation_tokens = EXCLUDED.cache_creation_tokens,
        cost_usd = EXCLUDED.cost_usd, error = EXCLUDED.error, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at, finished_at = EXCLUDED.finished_at
      WHERE (tasks.created_at, tasks.sequence) < (EXCLUDED.created_at, EXCLUDED.sequence)
      """;

  private static final String INSERT_TRANSITION =
      """
      INSERT INTO transitions (task_id, workflow_run_id, sequence, at, from_state, to_state, reason)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT DO NOTHING
      """;

  private static final String UPSERT_RUN =
      """
      INSERT INTO runs (task_id, workflow_run_id, number, kind, session_id, started_at, ended_at, outcome, turns,
                        input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, cost_usd, log_path, error)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (task_id, workflow_run_id, number) DO UPDATE SET
        kind = EXCLUDED.kind, session_id = EXCLUDED.session_id, started_at = EXCLUDED.started_at,
        ended_at = EXCLUDED.ended_at, outcome = EXCLUDED.outcome, turns = EXCLUDED.turns,
        input_tokens = EXCLUDED.input_tokens, output_tokens = EXCLUDED.output_tokens,
        cache_read_tokens = EXCLUDED.cache_read_tokens, cache_creation_tokens = EXCLUDED.cache_creation_tokens,
        cost_usd = EXCLUDED.cost_usd, log_path = EXCLUDED.log_path,
        error = EXCLUDED.error
      WHERE runs.ended_at IS NULL
      """;

  private final LedgerDatabase database;

  public LedgerStore(LedgerDatabase database) {
    this.database = database;
  }

  public void record(LedgerEntry entry) throws SQLException {
    try (Connection connection = database.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      try {
        upsertTask(connection, entry);
        if (entry.transition() != null) {
          insertTransition(connection, entry);
        }
        if (entry.run() != null) {
          upsertRun(connection, entry);
        }
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  private static void upsertTask(Connection connection, LedgerEntry entry) throws SQLException {
    TaskRecord task = entry.task();
    Usage usage = task.usage();
    try (PreparedStatement statement = connection.prepareStatement(UPSERT_TASK)) {
      int i = 0;
      statement.setString(++i, task.id());
      statement.setString(++i, entry.workflowRunId());
      statement.setInt(++i, entry.sequence());
      statement.setString(++i, task.parentId());
      statement.setString(++i, task.plan());
      statement.setString(++i, task.title());
      statement.setString(++i, task.repo());
      statement.setString(++i, task.baseRef());
      statement.setString(++i, task.branch());
      statement.setString(++i, task.agent());
      statement.setString(++i, task.model());
      statement.setString(++i, task.state().name());
      statement.setString(++i, task.reason() == null ? null : task.reason().name());
      statement.setString(++i, task.question());
      statement.setString(++i, task.summary());
      statement.setArray(++i, connection.createArrayOf("text", task.commits().toArray()));
      statement.setInt(++i, usage.turns());
      statement.setLong(++i, usage.inputTokens());
      statement.setLong(++i, usage.outputTokens());
      statement.setLong(++i, usage.cacheReadTokens());
      statement.setLong(++i, usage.cacheCreationTokens());
      statement.setDouble(++i, usage.costUsd());
      statement.setString(++i, task.error());
      setInstant(statement, ++i, task.createdAt());
      setInstant(statement, ++i, task.updatedAt());
      setInstant(statement, ++i, task.finishedAt());
      statement.executeUpdate();
    }
  }

  private static void insertTransition(Connection connection, LedgerEntry entry)
      throws SQLException {
    TransitionRecord transition = entry.transition();
    try (PreparedStatement statement = connection.prepareStatement(INSERT_TRANSITION)) {
      int i = 0;
      statement.setString(++i, entry.task().id());
      statement.setString(++i, entry.workflowRunId());
      statement.setInt(++i, entry.sequence());
      setInstant(statement, ++i, transition.at());
      statement.setString(++i, transition.from() == null ? null : transition.from().name());
      statement.setString(++i, transition.to().name());
      statement.setString(++i, transition.reason() == null ? null : transition.reason().name());
      statement.executeUpdate();
    }
  }

  private static void upsertRun(Connection connection, LedgerEntry entry) throws SQLException {
    RunRecord run = entry.run();
    Usage usage = run.usage();
    try (PreparedStatement statement = connection.prepareStatement(UPSERT_RUN)) {
      int i = 0;
      statement.setString(++i, entry.task().id());
      statement.setString(++i, entry.workflowRunId());
      statement.setInt(++i, run.number());
      statement.setString(++i, run.kind().name());
      statement.setString(++i, run.sessionId());
      setInstant(statement, ++i, run.startedAt());
      setInstant(statement, ++i, run.endedAt());
      statement.setString(++i, run.outcome() == null ? null : run.outcome().name());
      statement.setInt(++i, usage.turns());
      statement.setLong(++i, usage.inputTokens());
      statement.setLong(++i, usage.outputTokens());
      statement.setLong(++i, usage.cacheReadTokens());
      statement.setLong(++i, usage.cacheCreationTokens());
      statement.setDouble(++i, usage.costUsd());
      statement.setString(++i, run.logPath());
      statement.setString(++i, run.error());
      statement.executeUpdate();
    }
  }

  private static void setInstant(PreparedStatement statement, int index, Instant instant)
      throws SQLException {
    if (instant == null) {
      statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      statement.setTimestamp(index, Timestamp.from(instant));
    }
  }
}
