package dev.taskwright.ledger.read;

import dev.taskwright.ledger.LedgerDatabase;
import dev.taskwright.workflows.model.AgentStatus;
import dev.taskwright.workflows.model.RunKind;
import dev.taskwright.workflows.model.RunRecord;
import dev.taskwright.workflows.model.TaskReason;
import dev.taskwright.workflows.model.TaskRecord;
import dev.taskwright.workflows.model.TaskState;
import dev.taskwright.workflows.model.TransitionRecord;
import dev.taskwright.workflows.model.Usage;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLDataException;
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

/**
 * What the read commands ask the ledger: {@code list}, {@code show}, {@code watch} and {@code
 * stats}.
 */
public final class LedgerQueries {

  private static final String TASK_COLUMNS =
      "id, parent_id, plan, title, repo, base_ref, branch, agent, model, state, reason, question,"
          + " summary, commits, turns, input_tokens, output_tokens, cache_read_tokens,"
          + " cache_creation_tokens, cost_usd, error, created_at, updated_at, finished_at";

  /** States a task never leaves; {@link #active} shows the others. */
  private static final String[] TERMINAL_STATES =
      Arrays.stream(TaskState.values())
          .filter(TaskState::isTerminal)
          .map(Enum::name)
          .toArray(String[]::new);

  private final LedgerDatabase database;

  public LedgerQueries(LedgerDatabase database) {
    this.database = database;
  }

  /** Tasks matching {@code filter}, newest first. */
  public List<TaskRecord> list(TaskFilter filter) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT " + TASK_COLUMNS + " FROM tasks WHERE true");
    List<Object> parameters = new ArrayList<>();
    if (!filter.states().isEmpty()) {
      sql.append(" AND state = ANY (?)");
      parameters.add(filter.states().stream().map(Enum::name).toArray(String[]::new));
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
  public List<TaskRecord> active(int limit) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT "
                    + TASK_COLUMNS
                    + " FROM tasks WHERE state <> ALL (?) ORDER BY created_at, id LIMIT ?")) {
      bind(connection, statement, List.of(TERMINAL_STATES, limit));
      return tasks(statement);
    }
  }

  /** One task with its runs and transitions, or empty when the ledger has never heard of it. */
  public Optional<TaskHistory> show(String taskId) throws SQLException {
    try (Connection connection = database.dataSource().getConnection()) {
      List<TaskRecord> found;
      try (PreparedStatement statement =
          connection.prepareStatement("SELECT " + TASK_COLUMNS + " FROM tasks WHERE id = ?")) {
        statement.setString(1, taskId);
        found = tasks(statement);
      }
      if (found.isEmpty()) {
        return Optional.empty();
      }
      List<RunRecord> runs = new ArrayList<>();
      try (PreparedStatement statement =
          connection.prepareStatement(
              "SELECT number, kind, session_id, started_at, ended_at, outcome, turns, input_tokens,"
                  + " output_tokens, cache_read_tokens, cache_creation_tokens, cost_usd, log_path,"
                  + " error FROM runs WHERE task_id = ? ORDER BY started_at, number")) {
        statement.setString(1, taskId);
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            runs.add(
                new RunRecord(
                    rows.getInt("number"),
                    known(RunKind.class, rows, "kind"),
                    rows.getString("session_id"),
                    instant(rows, "started_at"),
                    instant(rows, "ended_at"),
                    known(AgentStatus.class, rows, "outcome"),
                    usage(rows),
                    rows.getString("log_path"),
                    rows.getString("error")));
          }
        }
      }
      List<TransitionRecord> transitions = new ArrayList<>();
      try (PreparedStatement statement =
          connection.prepareStatement(
              "SELECT at, from_state, to_state, reason FROM transitions WHERE task_id = ? ORDER BY"
                  + " at, sequence")) {
        statement.setString(1, taskId);
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            transitions.add(
                new TransitionRecord(
                    instant(rows, "at"),
                    known(TaskState.class, rows, "from_state"),
                    known(TaskState.class, rows, "to_state"),
                    known(TaskReason.class, rows, "reason")));
          }
        }
      }
      return Optional.of(new TaskHistory(found.get(0), runs, transitions));
    }
  }

  /**
   * IDs of tasks that {@code taskId} may have meant, newest first: those it is the start of (a task
   * ID made from a title ends in a random suffix) and those that are the start of it.
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
   * Tasks, runs, tokens and cost added up by {@code grouping}, for tasks created since {@code
   * since} (all when null). Days are calendar days in {@code zone}.
   */
  public List<StatsRow> stats(StatsGrouping grouping, Instant since, ZoneId zone)
      throws SQLException {
    String key =
        switch (grouping) {
          case DAY -> "to_char(t.created_at AT TIME ZONE ?, 'YYYY-MM-DD')";
          case REPO -> "t.repo";
          case AGENT -> "coalesce(t.agent, '?')";
        };
    String sql =
        "SELECT "
            + key
            + " AS key, count(*) AS tasks, coalesce(sum(r.runs), 0) AS runs, sum(t.turns) AS turns,"
            + " sum(t.input_tokens) AS input_tokens, sum(t.output_tokens) AS output_tokens,"
            + " sum(t.cache_read_tokens) AS cache_read_tokens, sum(t.cache_creation_tokens) AS"
            + " cache_creation_tokens, sum(t.cost_usd) AS cost_usd FROM tasks t LEFT JOIN (SELECT"
            + " task_id, count(*) AS runs FROM runs GROUP BY task_id) r ON r.task_id = t.id WHERE"
            + " t.created_at >= ? GROUP BY 1 ORDER BY 1";
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
                  rows.getString("key"), rows.getLong("tasks"), rows.getLong("runs"), usage(rows)));
        }
      }
      return result;
    }
  }

  /** How many tasks are in each state, for the worker's metrics. */
  public Map<String, Long> countByState() throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT state, count(*) FROM tasks GROUP BY state ORDER BY state");
        ResultSet rows = statement.executeQuery()) {
      Map<String, Long> counts = new LinkedHashMap<>();
      while (rows.next()) {
        counts.put(rows.getString(1), rows.getLong(2));
      }
      return counts;
    }
  }

  private static void bind(
      Connection connection, PreparedStatement statement, List<Object> parameters)
      throws SQLException {
    for (int i = 0; i < parameters.size(); i++) {
      Object value = parameters.get(i);
      if (value instanceof String[] strings) {
        statement.setArray(i + 1, connection.createArrayOf("text", strings));
      } else {
        statement.setObject(i + 1, value);
      }
    }
  }

  private static List<TaskRecord> tasks(PreparedStatement statement) throws SQLException {
    List<TaskRecord> result = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        Array commits = rows.getArray("commits");
        result.add(
            new TaskRecord(
                rows.getString("id"),
                rows.getString("parent_id"),
                rows.getString("plan"),
                rows.getString("title"),
                rows.getString("repo"),
                rows.getString("base_ref"),
                rows.getString("branch"),
                rows.getString("agent"),
                rows.getString("model"),
                known(TaskState.class, rows, "state"),
                known(TaskReason.class, rows, "reason"),
                rows.getString("question"),
                rows.getString("summary"),
                commits == null ? List.of() : Arrays.asList((String[]) commits.getArray()),
                usage(rows),
                rows.getString("error"),
                instant(rows, "created_at"),
                instant(rows, "updated_at"),
                instant(rows, "finished_at")));
      }
    }
    return result;
  }

  /** The usage columns of a task or run row, which have the same names in both tables. */
  private static Usage usage(ResultSet rows) throws SQLException {
    return new Usage(
        rows.getInt("turns"),
        rows.getLong("input_tokens"),
        rows.getLong("output_tokens"),
        rows.getLong("cache_read_tokens"),
        rows.getLong("cache_creation_tokens"),
        rows.getDouble("cost_usd"));
  }

  /**
   * The enum constant a text column holds, or null for SQL NULL. A name this version does not know
   * was written by a newer taskwright sharing the ledger.
   */
  private static <E extends Enum<E>> E known(Class<E> type, ResultSet rows, String column)
      throws SQLException {
    String name = rows.getString(column);
    if (name == null) {
      return null;
    }
    try {
      return Enum.valueOf(type, name);
    } catch (IllegalArgumentException e) {
      throw new SQLDataException(
          "the ledger's column "
              + column
              + " holds '"
              + name
              + "', which this version of taskwright does not know"
              + " (a newer taskwright wrote it): upgrade taskwright to read this ledger");
    }
  }

  private static Instant instant(ResultSet rows, String column) throws SQLException {
    Timestamp timestamp = rows.getTimestamp(column);
    return timestamp == null ? null : timestamp.toInstant();
  }
}
