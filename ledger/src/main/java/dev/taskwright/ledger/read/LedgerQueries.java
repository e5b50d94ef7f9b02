package dev.taskwright.ledger.read;

import dev.taskwright.ledger.LedgerDatabase;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the read commands ask the ledger: {@code list}, {@code show}, {@code watch} and {@code stats}. */
public final class LedgerQueries {

  private static final String TASK_COLUMNS =
      "id, parent_id, plan, title, repo, base_ref, branch, agent, model, state, reason, question, summary, commits, "
          + "turns, input_tokens, output_tokens, cache_read_tokens, cost_usd, error, created_at, updated_at, finished_at";

  /** States a task never leaves; {@link #active} shows the others. */
  private static final List<String> TERMINAL_STATES = List.of("COMPLETED", "FAILED", "CANCELLED");

  private final LedgerDatabase database;

  public LedgerQueries(LedgerDatabase database) {
    this.database = database;
  }

  /** Tasks matching {@code filter}, newest first. */
  public List<TaskRow> list(TaskFilter filter) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT " + TASK_COLUMNS + " FROM tasks WHERE true");
    List<Object> parameters = new ArrayList<>();
    if (!filter.states().isEmpty()) {
      sql.append(" AND state = ANY (?)");
      parameters.add(filter.states().toArray(String[]::new));
    }
    if (filter.repo() != null) {
      sql.append(" AND repo = ?");
      parameters.add(filter.repo());
    }
    if (filter.plan() != null) {
      sql.append(" AND plan = ?");
      parameters.add(filter.plan());
    }
    if (filter.parent() != null) {
      sql.append(" AND parent_id = ?");
      parameters.add(filter.parent());
    }
    if (filter.since() != null) {
      sql.append(" AND created_at >= ?");
      parameters.add(Timestamp.from(filter.since()));
    }
    sql.append(" ORDER BY created_at DESC, id LIMIT ?");
    parameters.add(filter.limit());
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql.toString())) {
      bind(connection, statement, parameters);
      return tasks(statement);
    }
  }

  /** Tasks not yet in a terminal state, oldest first, as {@code watch} shows them. */
  public List<TaskRow> active(int limit) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT " + TASK_COLUMNS + " FROM tasks WHERE state <> ALL (?) ORDER BY created_at, id LIMIT ?")) {
      bind(connection, statement, List.of(TERMINAL_STATES.toArray(String[]::new), limit));
      return tasks(statement);
    }
  }

  /** One task with its runs and transitions, or empty when the ledger has never heard of it. */
  public Optional<TaskHistory> show(String taskId) throws SQLException {
    try (Connection connection = database.dataSource().getConnection()) {
      List<TaskRow> found;
      try (PreparedStatement statement = connection.prepareStatement("SELECT " + TASK_COLUMNS + " FROM tasks WHERE id = ?")) {
        statement.setString(1, taskId);
        found = tasks(statement);
      }
      if (found.isEmpty()) {
        return Optional.empty();
      }
      List<RunRow> runs = new ArrayList<>();
      try (PreparedStatement statement =
          connection.prepareStatement(
              "SELECT number, kind, session_id, started_at, ended_at, outcome, turns, input_tokens, output_tokens, "
                  + "cache_read_tokens, cost_usd, log_path, error FROM runs WHERE task_id = ? ORDER BY started_at, number")) {
        statement.setString(1, taskId);
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            runs.add(
                new RunRow(
                    rows.getInt(1), rows.getString(2), rows.getString(3), instant(rows, 4), instant(rows, 5),
                    rows.getString(6), rows.getInt(7), rows.getLong(8), rows.getLong(9), rows.getLong(10),
                    rows.getDouble(11), rows.getString(12), rows.getString(13)));
          }
        }
      }
      List<TransitionRow> transitions = new ArrayList<>();
      try (PreparedStatement statement =
          connection.prepareStatement(
              "SELECT at, from_state, to_state, reason FROM transitions WHERE task_id = ? ORDER BY at, sequence")) {
        statement.setString(1, taskId);
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            transitions.add(new TransitionRow(instant(rows, 1), rows.getString(2), rows.getString(3), rows.getString(4)));
          }
        }
      }
      return Optional.of(new TaskHistory(found.get(0), runs, transitions));
    }
  }

  /**
   * IDs of tasks that {@code taskId} may have meant, newest first: those it is the start of (a
   * task ID made from a title ends in a random suffix) and those that are the start of it.
   */
  public List<String> similarIds(String taskId, int limit) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT id FROM tasks WHERE (starts_with(id, ?) OR starts_with(?, id)) AND id <> ? "
                    + "ORDER BY created_at DESC, id LIMIT ?")) {
      bind(connection, statement, List.of(taskId, taskId, taskId, limit));
      List<String> ids = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          ids.add(rows.getString(1));
        }
      }
      return ids;
    }
  }

  /**
   * Tasks, runs, tokens and cost added up by {@code grouping}, for tasks created since {@code since}
   * (all when null). Days are calendar days in {@code zone}.
   */
  public List<StatsRow> stats(StatsGrouping grouping, Instant since, ZoneId zone) throws SQLException {
    String key =
        switch (grouping) {
          case DAY -> "to_char(t.created_at AT TIME ZONE ?, 'YYYY-MM-DD')";
          case REPO -> "t.repo";
          case AGENT -> "coalesce(t.agent, '?')";
        };
    String sql =
        "SELECT " + key + " AS key, count(*), coalesce(sum(r.runs), 0), sum(t.input_tokens), sum(t.output_tokens), "
            + "sum(t.cache_read_tokens), sum(t.cost_usd) "
            + "FROM tasks t LEFT JOIN (SELECT task_id, count(*) AS runs FROM runs GROUP BY task_id) r ON r.task_id = t.id "
            + "WHERE t.created_at >= ? GROUP BY 1 ORDER BY 1";
    List<Object> parameters = new ArrayList<>();
    if (grouping == StatsGrouping.DAY) {
      parameters.add(zone.getId());
    }
    parameters.add(Timestamp.from(since == null ? Instant.EPOCH : since));
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(connection, statement, parameters);
      List<StatsRow> result = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          result.add(
              new StatsRow(
                  rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getLong(4), rows.getLong(5), rows.getLong(6),
                  rows.getDouble(7)));
        }
      }
      return result;
    }
  }

  /** How many tasks are in each state, for the worker's metrics. */
  public Map<String, Long> countByState() throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement("SELECT state, count(*) FROM tasks GROUP BY state ORDER BY state");
        ResultSet rows = statement.executeQuery()) {
      Map<String, Long> counts = new LinkedHashMap<>();
      while (rows.next()) {
        counts.put(rows.getString(1), rows.getLong(2));
      }
      return counts;
    }
  }

  private static void bind(Connection connection, PreparedStatement statement, List<Object> parameters) throws SQLException {
    for (int i = 0; i < parameters.size(); i++) {
      Object value = parameters.get(i);
      if (value instanceof String[] strings) {
        statement.setArray(i + 1, connection.createArrayOf("text", strings));
      } else {
        statement.setObject(i + 1, value);
      }
    }
  }

  private static List<TaskRow> tasks(PreparedStatement statement) throws SQLException {
    List<TaskRow> result = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        Array commits = rows.getArray(14);
        result.add(
            new TaskRow(
                rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5),
                rows.getString(6), rows.getString(7), rows.getString(8), rows.getString(9), rows.getString(10),
                rows.getString(11), rows.getString(12), rows.getString(13),
                commits == null ? List.of() : Arrays.asList((String[]) commits.getArray()),
                rows.getInt(15), rows.getLong(16), rows.getLong(17), rows.getLong(18), rows.getDouble(19),
                rows.getString(20), instant(rows, 21), instant(rows, 22), instant(rows, 23)));
      }
    }
    return result;
  }

  private static Instant instant(ResultSet rows, int column) throws SQLException {
    Timestamp timestamp = rows.getTimestamp(column);
    return timestamp == null ? null : timestamp.toInstant();
  }
}
