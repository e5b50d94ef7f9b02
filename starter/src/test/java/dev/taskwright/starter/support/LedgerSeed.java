package dev.taskwright.starter.support;

import dev.taskwright.ledger.LedgerDatabase;
import dev.taskwright.ledger.LedgerLocation;
import dev.taskwright.ledger.LedgerStore;
import dev.taskwright.ledger.testing.TestDatabase;
import dev.taskwright.starter.CliEnvironment;
import dev.taskwright.workflows.model.AgentStatus;
import dev.taskwright.workflows.model.LedgerEntry;
import dev.taskwright.workflows.model.RunKind;
import dev.taskwright.workflows.model.RunRecord;
import dev.taskwright.workflows.model.TaskReason;
import dev.taskwright.workflows.model.TaskRecord;
import dev.taskwright.workflows.model.TaskState;
import dev.taskwright.workflows.model.TransitionRecord;
import dev.taskwright.workflows.model.Usage;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A fresh ledger database filled the way workflows fill it, through {@link LedgerStore}, and a CLI
 * pointed at it (and at no Temporal server: the read commands must not need one).
 */
public final class LedgerSeed implements AutoCloseable {

  /** A loopback port nothing listens on. */
  public static final String NO_TEMPORAL = "127.0.0.1:1";

  private final LedgerLocation location;
  private final LedgerDatabase database;
  private final LedgerStore store;

  private LedgerSeed(LedgerLocation location) {
    this.location = location;
    this.database = LedgerDatabase.open(location);
    this.store = new LedgerStore(database);
  }

  /** An empty ledger on the tests' shared PostgreSQL. */
  public static LedgerSeed fresh() {
    return new LedgerSeed(TestDatabase.freshLocation());
  }

  public LedgerLocation location() {
    return location;
  }

  public LedgerDatabase database() {
    return database;
  }

  /** The CLI reading this ledger, with no Temporal server to ask. */
  public CliRun cli() {
    return reading(CliRun.with(), location).temporal(NO_TEMPORAL);
  }

  /** {@code cli} pointed at the ledger at {@code location}. */
  public static CliRun reading(CliRun cli, LedgerLocation location) {
    return cli.env(CliEnvironment.DATABASE_URL, location.url())
        .env(CliEnvironment.DATABASE_USER, location.user())
        .env(CliEnvironment.DATABASE_PASSWORD, location.password());
  }

  /** A task to write; {@link Task#write} records it. */
  public Task task(String id, Instant createdAt) {
    return new Task(id, createdAt);
  }

  @Override
  public void close() {
    database.close();
  }

  /** One task's life as the workflow records it: its transitions and runs, oldest first. */
  public final class Task {
    private final String id;
    private final Instant createdAt;
    private String title;
    private String repo = "/repos/app";
    private String plan;
    private String parent;
    private String agent = "claude";
    private String model;
    private String question;
    private String summary;
    private String error;
    private List<String> commits = List.of();
    private final List<TransitionRecord> transitions = new ArrayList<>();
    private final List<RunRecord> runs = new ArrayList<>();
    private TaskState state = TaskState.QUEUED;
    private TaskReason reason;
    private Instant at;

    private Task(String id, Instant createdAt) {
      this.id = id;
      this.createdAt = createdAt;
      this.at = createdAt;
      this.title = "Task " + id;
      transitions.add(new TransitionRecord(createdAt, null, TaskState.QUEUED, null));
    }

    public Task title(String value) {
      title = value;
      return this;
    }

    public Task repo(String value) {
      repo = value;
      return this;
    }

    public Task plan(String value) {
      plan = value;
      return this;
    }

    public Task parent(String value) {
      parent = value;
      return this;
    }

    public Task agent(String type, String modelName) {
      agent = type;
      model = modelName;
      return this;
    }

    public Task question(String value) {
      question = value;
      return this;
    }

    public Task summary(String value) {
      summary = value;
      return this;
    }

    public Task error(String value) {
      error = value;
      return this;
    }

    public Task commits(String... shas) {
      commits = List.of(shas);
      return this;
    }

    /** The task moves to {@code next} {@code after} its last change. */
    public Task to(TaskState next, TaskReason why, Duration after) {
      at = at.plus(after);
      transitions.add(new TransitionRecord(at, state, next, why));
      state = next;
      reason = why;
      return this;
    }

    /**
     * An agent run that started {@code after} the last change and took {@code took} (null: still
     * running).
     */
    public Task run(
        RunKind kind,
        AgentStatus outcome,
        Duration after,
        Duration took,
        Usage usage,
        String runError) {
      Instant started = at.plus(after);
      Instant ended = took == null ? null : started.plus(took);
      int number = runs.size() + 1;
      runs.add(
          new RunRecord(
              number,
              kind,
              "session-" + id,
              started,
              ended,
              outcome,
              usage,
              "/home/me/.taskwright/logs/" + id + "/run-" + number + ".jsonl",
              runError));
      if (ended != null) {
        at = ended;
      }
      return this;
    }

    /**
     * Writes the whole life, one ledger entry per transition and run, each carrying the task row as
     * it ends.
     */
    public LedgerSeed write() throws SQLException {
      Usage total = runs.stream().map(RunRecord::usage).reduce(Usage.NONE, Usage::plus);
      TaskRecord row =
          new TaskRecord(
              id,
              parent,
              plan,
              title,
              repo,
              "main",
              state == TaskState.QUEUED ? null : "taskwright/" + id,
              agent,
              model,
              state,
              reason,
              question,
              summary,
              commits,
              total,
              error,
              createdAt,
              at,
              state.isTerminal() ? at : null);
      int sequence = 0;
      for (TransitionRecord transition : transitions) {
        store.record(new LedgerEntry("run-" + id, ++sequence, row, transition, null));
      }
      for (RunRecord run : runs) {
        store.record(new LedgerEntry("run-" + id, ++sequence, row, null, run));
      }
      return LedgerSeed.this;
    }
  }
}
