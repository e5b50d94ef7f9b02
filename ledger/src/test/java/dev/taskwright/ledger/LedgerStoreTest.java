package dev.taskwright.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwright.ledger.read.LedgerQueries;
import dev.taskwright.ledger.read.TaskHistory;
import dev.taskwright.ledger.testing.TestDatabase;
import dev.taskwright.workflows.model.AgentStatus;
import dev.taskwright.workflows.model.LedgerEntry;
import dev.taskwright.workflows.model.RunKind;
import dev.taskwright.workflows.model.RunRecord;
import dev.taskwright.workflows.model.TaskReason;
import dev.taskwright.workflows.model.TaskRecord;
import dev.taskwright.workflows.model.TaskState;
import dev.taskwright.workflows.model.TransitionRecord;
import dev.taskwright.workflows.model.Usage;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ledger's writes against a real PostgreSQL: migrations from empty, and idempotent replays of
 * every write.
 */
class LedgerStoreTest {

  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  private static final String RUN_ID = "run-1";

  private LedgerDatabase database;
  private LedgerStore store;
  private LedgerQueries queries;

  @BeforeEach
  void open() {
    database = TestDatabase.fresh();
    store = new LedgerStore(database);
    queries = new LedgerQueries(database);
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void migratesAnEmptyDatabaseToTheCurrentSchema() throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      ResultSet history =
          statement.executeQuery(
              "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL ORDER"
                  + " BY installed_rank");
      List<String> versions = new ArrayList<>();
      while (history.next()) {
        assertThat(history.getBoolean(2)).isTrue();
        versions.add(history.getString(1));
      }
      assertThat(versions).containsExactly("1", "2");
      ResultSet tables =
          statement.executeQuery(
              "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER"
                  + " BY table_name");
      List<String> names = new ArrayList<>();
      while (tables.next()) {
        names.add(tables.getString(1));
      }
      assertThat(names).contains("tasks", "runs", "transitions");
    }
  }

  @Test
  void aTaskLifeWrittenInOrderIsReadBackWhole() throws SQLException {
    for (LedgerEntry entry : lifeOfATask("t1")) {
      store.record(entry);
    }

    TaskHistory history = queries.show("t1").orElseThrow();
    assertThat(history.task().state()).isEqualTo(TaskState.COMPLETED);
    assertThat(history.task().commits()).containsExactly("c1", "c2");
    assertThat(history.task().summary()).isEqualTo("Added the endpoint");
    assertThat(history.task().usage()).isEqualTo(new Usage(5, 300, 30, 5, 47, 0.75));
    assertThat(history.task().finishedAt()).isEqualTo(T0.plusSeconds(100));
    assertThat(history.transitions())
        .extracting(t -> t.from() + ">" + t.to())
        .containsExactly(
            "null>QUEUED",
            "QUEUED>PREPARING",
            "PREPARING>RUNNING",
            "RUNNING>BLOCKED",
            "BLOCKED>RUNNING",
            "RUNNING>COMMITTING",
            "COMMITTING>COMPLETED");
    assertThat(history.runs())
        .extracting(r -> r.number() + " " + r.kind() + " " + r.outcome())
        .containsExactly("1 FIRST QUESTION", "2 ANSWER SUCCEEDED");
    assertThat(history.runs().get(1).usage()).isEqualTo(new Usage(3, 200, 20, 5, 40, 0.5));
    // Every field the worker wrote is read back: the records compare whole.
    List<LedgerEntry> life = lifeOfATask("t1");
    assertThat(history.task()).isEqualTo(life.get(life.size() - 1).task());
    assertThat(history.runs().get(1)).isEqualTo(life.get(8).run());
  }

  @Test
  void aLedgerOfTheFirstSchemaIsMigratedWithItsRowsKeptAndNoCacheWritesCounted()
      throws SQLException {
    LedgerLocation location = TestDatabase.freshLocation();
    Flyway.configure()
        .dataSource(location.url(), location.user(), location.password())
        .locations("classpath:db/ledger")
        .target("1")
        .load()
        .migrate();
    try (Connection connection =
            DriverManager.getConnection(location.url(), location.user(), location.password());
        Statement statement = connection.createStatement()) {
      statement.execute(
          "INSERT INTO tasks (id, workflow_run_id, sequence, title, repo, state, reason, turns,"
              + " input_tokens, output_tokens, cache_read_tokens, cost_usd, created_at, updated_at)"
              + " VALUES ('old', 'r', 1, 'Old task', '/repos/app', 'BLOCKED', 'QUESTION', 4, 100,"
              + " 10, 1, 0.5, now(), now())");
    }

    try (LedgerDatabase upgraded = LedgerDatabase.open(location)) {
      TaskRecord task = new LedgerQueries(upgraded).show("old").orElseThrow().task();
      assertThat(task.state()).isEqualTo(TaskState.BLOCKED);
      assertThat(task.reason()).isEqualTo(TaskReason.QUESTION);
      assertThat(task.usage()).isEqualTo(new Usage(4, 100, 10, 1, 0, 0.5));
    }
  }

  @Test
  void aStateThisVersionDoesNotKnowIsAnErrorThatSaysToUpgrade() throws SQLException {
    store.record(lifeOfATask("t1").get(0));
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("UPDATE tasks SET state = 'HIBERNATING' WHERE id = 't1'");
    }

    assertThatThrownBy(() -> queries.show("t1"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("column state holds 'HIBERNATING'")
        .hasMessageContaining("upgrade taskwright");
  }

  @Test
  void everyWriteReplayedTwiceAndOutOfOrderLeavesTheSameRows() throws SQLException {
    List<LedgerEntry> life = lifeOfATask("t1");
    for (LedgerEntry entry : life) {
      store.record(entry);
    }
    String inOrder = dump();

    // A retried activity writes again; activities may also land in any order.
    List<LedgerEntry> replay = new ArrayList<>(life);
    replay.addAll(life);
    Collections.shuffle(replay, new Random(7));
    for (LedgerEntry entry : replay) {
      store.record(entry);
    }

    assertThat(dump()).isEqualTo(inOrder);
  }

  @Test
  void theStartOfARunLandingAfterItsEndDoesNotUndoTheEnd() throws SQLException {
    List<LedgerEntry> life = lifeOfATask("t1");
    LedgerEntry end =
        life.stream().filter(e -> e.run() != null && e.run().isEnded()).findFirst().orElseThrow();
    LedgerEntry start =
        life.stream().filter(e -> e.run() != null && !e.run().isEnded()).findFirst().orElseThrow();

    store.record(end);
    store.record(start);

    assertThat(queries.show("t1").orElseThrow().runs())
        .singleElement()
        .satisfies(
            run -> {
              assertThat(run.outcome()).isEqualTo(AgentStatus.QUESTION);
              assertThat(run.endedAt()).isNotNull();
            });
  }

  @Test
  void aLaterRunOfTheSameTaskReplacesTheRowAndKeepsTheEarlierRunsAndTransitions()
      throws SQLException {
    for (LedgerEntry entry : lifeOfATask("t1")) {
      store.record(entry);
    }
    // A restarted subtask is a new workflow run of the same task ID: its sequence starts again at
    // 1.
    Instant later = T0.plusSeconds(3600);
    TaskRecord restarted =
        new TaskRecord(
            "t1",
            null,
            "plan-a",
            "Add an endpoint",
            "/repos/app",
            "main",
            null,
            "claude",
            "sonnet",
            TaskState.QUEUED,
            null,
            null,
            null,
            List.of(),
            null,
            null,
            later,
            later,
            null);
    store.record(
        new LedgerEntry(
            "run-2",
            1,
            restarted,
            new TransitionRecord(later, null, TaskState.QUEUED, null),
            null));

    TaskHistory history = queries.show("t1").orElseThrow();
    assertThat(history.task().state()).isEqualTo(TaskState.QUEUED);
    assertThat(history.transitions()).hasSize(8);
    assertThat(history.runs()).hasSize(2);
  }

  /** Every row of the three tables, in a stable order, as text. */
  private String dump() throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      for (String query :
          List.of(
              "SELECT * FROM tasks ORDER BY id",
              "SELECT * FROM runs ORDER BY task_id, workflow_run_id, number",
              "SELECT * FROM transitions ORDER BY task_id, workflow_run_id, sequence")) {
        ResultSet rows = statement.executeQuery(query);
        int columns = rows.getMetaData().getColumnCount();
        while (rows.next()) {
          for (int c = 1; c <= columns; c++) {
            out.append(rows.getString(c)).append('|');
          }
          out.append('\n');
        }
        out.append("--\n");
      }
    }
    return out.toString();
  }

  /**
   * The entries a task that asks one question and then completes writes, in the workflow's order.
   */
  static List<LedgerEntry> lifeOfATask(String id) {
    List<LedgerEntry> entries = new ArrayList<>();
    int[] sequence = {0};
    Usage first = new Usage(2, 100, 10, 0, 7, 0.25);
    Usage second = new Usage(3, 200, 20, 5, 40, 0.5);
    java.util.function.BiConsumer<TaskRecord, Object> add =
        (task, change) ->
            entries.add(
                new LedgerEntry(
                    RUN_ID,
                    ++sequence[0],
                    task,
                    change instanceof TransitionRecord t ? t : null,
                    change instanceof RunRecord r ? r : null));
    add.accept(
        task(id, TaskState.QUEUED, null, T0, null, null),
        new TransitionRecord(T0, null, TaskState.QUEUED, null));
    add.accept(
        task(id, TaskState.PREPARING, null, T0.plusSeconds(1), null, null),
        new TransitionRecord(T0.plusSeconds(1), TaskState.QUEUED, TaskState.PREPARING, null));
    add.accept(
        task(id, TaskState.RUNNING, null, T0.plusSeconds(2), null, null),
        new TransitionRecord(T0.plusSeconds(2), TaskState.PREPARING, TaskState.RUNNING, null));
    add.accept(
        task(id, TaskState.RUNNING, null, T0.plusSeconds(2), null, null),
        new RunRecord(1, RunKind.FIRST, "s1", T0.plusSeconds(2), null, null, null, null, null));
    add.accept(
        task(id, TaskState.RUNNING, null, T0.plusSeconds(20), null, first),
        new RunRecord(
            1,
            RunKind.FIRST,
            "s1",
            T0.plusSeconds(2),
            T0.plusSeconds(20),
            AgentStatus.QUESTION,
            first,
            "/logs/1.jsonl",
            null));
    add.accept(
        task(id, TaskState.BLOCKED, TaskReason.QUESTION, T0.plusSeconds(20), null, first),
        new TransitionRecord(
            T0.plusSeconds(20), TaskState.RUNNING, TaskState.BLOCKED, TaskReason.QUESTION));
    add.accept(
        task(id, TaskState.RUNNING, null, T0.plusSeconds(60), null, first),
        new TransitionRecord(T0.plusSeconds(60), TaskState.BLOCKED, TaskState.RUNNING, null));
    add.accept(
        task(id, TaskState.RUNNING, null, T0.plusSeconds(60), null, first),
        new RunRecord(2, RunKind.ANSWER, "s1", T0.plusSeconds(60), null, null, null, null, null));
    Usage total = first.plus(second);
    add.accept(
        task(id, TaskState.RUNNING, null, T0.plusSeconds(90), null, total),
        new RunRecord(
            2,
            RunKind.ANSWER,
            "s1",
            T0.plusSeconds(60),
            T0.plusSeconds(90),
            AgentStatus.SUCCEEDED,
            second,
            "/logs/2.jsonl",
            null));
    add.accept(
        task(id, TaskState.COMMITTING, null, T0.plusSeconds(91), null, total),
        new TransitionRecord(T0.plusSeconds(91), TaskState.RUNNING, TaskState.COMMITTING, null));
    add.accept(
        task(id, TaskState.COMPLETED, null, T0.plusSeconds(100), T0.plusSeconds(100), total),
        new TransitionRecord(T0.plusSeconds(100), TaskState.COMMITTING, TaskState.COMPLETED, null));
    return entries;
  }

  private static TaskRecord task(
      String id,
      TaskState state,
      TaskReason reason,
      Instant updated,
      Instant finished,
      Usage usage) {
    boolean committed = state == TaskState.COMPLETED;
    return new TaskRecord(
        id,
        null,
        "plan-a",
        "Add an endpoint",
        "/repos/app",
        "main",
        "taskwright/" + id,
        "claude",
        "sonnet",
        state,
        reason,
        reason == TaskReason.QUESTION ? "Which port?" : null,
        committed ? "Added the endpoint" : null,
        committed ? List.of("c1", "c2") : List.of(),
        usage,
        null,
        T0,
        updated,
        finished);
  }
}
