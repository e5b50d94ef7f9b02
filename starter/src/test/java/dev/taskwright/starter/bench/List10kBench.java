package dev.taskwright.starter.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.ledger.LedgerDatabase;
import dev.taskwright.ledger.LedgerLocation;
import dev.taskwright.ledger.LedgerStore;
import dev.taskwright.ledger.read.LedgerQueries;
import dev.taskwright.ledger.read.TaskFilter;
import dev.taskwright.ledger.testing.TestDatabase;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.LedgerSeed;
import dev.taskwright.workflows.model.AgentStatus;
import dev.taskwright.workflows.model.LedgerEntry;
import dev.taskwright.workflows.model.RunKind;
import dev.taskwright.workflows.model.RunRecord;
import dev.taskwright.workflows.model.TaskReason;
import dev.taskwright.workflows.model.TaskRecord;
import dev.taskwright.workflows.model.TaskState;
import dev.taskwright.workflows.model.TransitionRecord;
import dev.taskwright.workflows.model.Usage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long {@code taskwright list} takes on a ledger of 10,000 tasks. Not part of the test suite
 * (the name matches no Surefire include); {@code bench/list-10k.sh} runs it and records the
 * figures.
 *
 * <p>The ledger is filled through {@link LedgerStore}, the workflow's own write path: 10,000 tasks
 * created over 30 days in 8 repositories of unequal size, about a third of them in plans (some with
 * subtasks), each with its transitions and 0–3 agent runs, in states as a month of use leaves them
 * (mostly ended; the last days' tasks still at work or waiting). Then each {@code list} variant
 * runs through the CLI in-process, as {@code Main} runs it (parse, open the ledger and check its
 * schema, query, print), then opening the ledger alone and each query alone on an open ledger, to
 * show where the time goes.
 */
class List10kBench {

  static final int TASKS = 10_000;
  static final int DAYS = 30;
  static final int WARM_UP = 3;

  /**
   * Runs of plain {@code list} before anything is measured, so the JIT has compiled the CLI's path.
   */
  static final int JVM_WARM_UP = 30;

  static final int RUNS = 20;
  static final Path RESULT = Path.of("target", "bench", "list-10k.txt");

  static final String[] REPOS = {
    "shop", "billing", "mobile", "infra", "docs", "search", "auth", "data-pipeline"
  };

  /** How often each repository is used: one busy repository, a few regular ones, a long tail. */
  static final int[] REPO_WEIGHTS = {35, 20, 15, 10, 8, 6, 4, 2};

  @TempDir Path folder;

  private final Random random = new Random(42);
  private final AtomicLong runs = new AtomicLong();
  private final AtomicLong transitions = new AtomicLong();

  /**
   * One task to write: its whole row and its life, built before any write so the writes can run in
   * parallel.
   */
  private record Planned(
      TaskRecord row, List<TransitionRecord> transitions, List<RunRecord> runs) {}

  @Test
  void list10k() throws Exception {
    List<String> repos = new ArrayList<>();
    for (String name : REPOS) {
      // Real repositories, so --repo resolves through git as it does for people.
      repos.add(GitRepos.create(folder.resolve(name)).toRealPath().toString());
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    List<Planned> planned = plan(repos, now);

    LedgerLocation location = TestDatabase.freshLocation();
    long seedStarted = System.nanoTime();
    try (LedgerDatabase database = LedgerDatabase.open(location)) {
      write(database, planned);
      try (Connection connection = database.dataSource().getConnection();
          Statement statement = connection.createStatement()) {
        // As autovacuum would have done on a ledger a month old.
        statement.execute("ANALYZE");
      }
    }
    long seedSeconds = Duration.ofNanos(System.nanoTime() - seedStarted).toSeconds();

    String busyRepo = repos.get(0);
    List<String> plans =
        planned.stream().map(task -> task.row().plan()).filter(p -> p != null).distinct().toList();
    String plan = plans.get(plans.size() / 2);
    List<String[]> variants =
        List.of(
            new String[] {"list"},
            new String[] {"list", "--state", "BLOCKED"},
            new String[] {"list", "--repo", "."},
            new String[] {"list", "--plan", plan},
            new String[] {"list", "--state", "BLOCKED,READY", "--since", "7d"},
            new String[] {"list", "--output", "json"});
    List<TaskFilter> queries =
        List.of(
            TaskFilter.newest(50),
            new TaskFilter(Set.of(TaskState.BLOCKED), null, null, null, null, 50),
            new TaskFilter(Set.of(), busyRepo, null, null, null, 50),
            new TaskFilter(Set.of(), null, plan, null, null, 50),
            new TaskFilter(
                Set.of(TaskState.BLOCKED, TaskState.READY),
                null,
                null,
                null,
                now.minus(Duration.ofDays(7)),
                50));

    StringBuilder figures = new StringBuilder();
    figures.append(
        String.format(
            Locale.ROOT,
            "ledger: %,d tasks, %,d runs, %,d transitions over %d days, %d repositories, %d plans"
                + " (filled in %d s)%n",
            TASKS,
            runs.get(),
            transitions.get(),
            DAYS,
            REPOS.length,
            plans.size(),
            seedSeconds));
    figures.append(
        String.format(
            Locale.ROOT,
            "through the CLI, in-process (parse, open the ledger, check its schema, query, print);"
                + " %d runs each after %d warm-ups:%n",
            RUNS,
            WARM_UP));
    CliRun cli =
        LedgerSeed.reading(CliRun.with(), location)
            .temporal(LedgerSeed.NO_TEMPORAL)
            .in(Path.of(busyRepo));
    for (int i = 0; i < JVM_WARM_UP; i++) {
      assertThat(cli.run("list").exitCode()).isZero();
    }
    for (String[] args : variants) {
      List<Long> micros = new ArrayList<>();
      int rows = 0;
      for (int i = 0; i < WARM_UP + RUNS; i++) {
        CliRun.Result result = cli.run(args);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        rows =
            args[args.length - 1].equals("json")
                ? (int) result.out().lines().filter(line -> line.startsWith("  \"id\"")).count()
                : (int) result.out().lines().count() - 1;
        if (i >= WARM_UP) {
          micros.add(result.took().toNanos() / 1_000);
        }
      }
      assertThat(rows).as(String.join(" ", args)).isPositive();
      figures.append(line(String.join(" ", args).replace(plan, "<plan>"), micros, rows));
    }
    figures.append(
        String.format(
            Locale.ROOT,
            "of which opening and closing the ledger (pool, first connection, Flyway's schema"
                + " check), %d runs:%n",
            RUNS));
    List<Long> opening = new ArrayList<>();
    for (int i = 0; i < WARM_UP + RUNS; i++) {
      long started = System.nanoTime();
      try (LedgerDatabase database = LedgerDatabase.open(location)) {
        database.dataSource().getConnection().close();
      }
      if (i >= WARM_UP) {
        opening.add((System.nanoTime() - started) / 1_000);
      }
    }
    figures.append(line("open + close", opening, 0));
    figures.append(
        String.format(
            Locale.ROOT,
            "the query alone (LedgerQueries.list on an open ledger), %d runs each after %d"
                + " warm-ups:%n",
            RUNS,
            WARM_UP));
    try (LedgerDatabase database = LedgerDatabase.open(location)) {
      LedgerQueries ledger = new LedgerQueries(database);
      for (int q = 0; q < queries.size(); q++) {
        List<Long> micros = new ArrayList<>();
        int rows = 0;
        for (int i = 0; i < WARM_UP + RUNS; i++) {
          long started = System.nanoTime();
          rows = ledger.list(queries.get(q)).size();
          if (i >= WARM_UP) {
            micros.add((System.nanoTime() - started) / 1_000);
          }
        }
        figures.append(
            line(String.join(" ", variants.get(q)).replace(plan, "<plan>"), micros, rows));
      }
    }
    Files.createDirectories(RESULT.getParent());
    Files.writeString(RESULT, figures.toString());
    System.out.print(figures);
  }

  private static String line(String label, List<Long> micros, int rows) {
    List<Long> sorted = micros.stream().sorted().toList();
    return String.format(
        Locale.ROOT,
        "  %-40s median %7.2f ms, p95 %7.2f ms%s%n",
        label,
        sorted.get(sorted.size() / 2) / 1000.0,
        sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1) / 1000.0,
        rows > 0 ? "  (" + rows + " rows)" : "");
  }

  /** The 10,000 tasks, oldest first. */
  private List<Planned> plan(List<String> repos, Instant now) {
    List<Instant> created = new ArrayList<>();
    for (int i = 0; i < TASKS; i++) {
      created.add(now.minusSeconds((long) (random.nextDouble() * DAYS * 86_400)));
    }
    created.sort(null);
    List<Planned> tasks = new ArrayList<>();
    int planNumber = 0;
    int i = 0;
    while (i < TASKS) {
      String repo = repos.get(weighted());
      if (random.nextInt(12) == 0) {
        // A plan: 2-6 top-level tasks started together, some with 1-3 subtasks.
        String plan = String.format(Locale.ROOT, "plan-%03d", ++planNumber);
        int size = 2 + random.nextInt(5);
        for (int t = 0; t < size && i < TASKS; t++) {
          String parent = plan + "-t" + t;
          tasks.add(task(parent, null, plan, repo, created.get(i++), now));
          int subtasks = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 0;
          for (int s = 1; s <= subtasks && i < TASKS; s++) {
            tasks.add(task(parent + "." + s, parent, plan, repo, created.get(i++), now));
          }
        }
      } else {
        tasks.add(
            task(
                String.format(Locale.ROOT, "task-%05d", i),
                null,
                null,
                repo,
                created.get(i++),
                now));
      }
    }
    return tasks;
  }

  private int weighted() {
    int total = 0;
    for (int weight : REPO_WEIGHTS) {
      total += weight;
    }
    int pick = random.nextInt(total);
    for (int r = 0; r < REPO_WEIGHTS.length; r++) {
      pick -= REPO_WEIGHTS[r];
      if (pick < 0) {
        return r;
      }
    }
    return 0;
  }

  /** One task's life: QUEUED, PREPARING, runs, then where a task of its age usually is. */
  private Planned task(
      String id, String parent, String plan, String repo, Instant createdAt, Instant now) {
    boolean recent = Duration.between(createdAt, now).compareTo(Duration.ofDays(2)) < 0;
    int roll = random.nextInt(100);
    TaskState end;
    TaskReason reason = null;
    if (recent && roll < 30) {
      end =
          switch (roll % 5) {
            case 0 -> TaskState.RUNNING;
            case 1 -> TaskState.WAITING;
            case 2 -> TaskState.RATE_LIMITED;
            case 3 -> TaskState.QUEUED;
            default -> TaskState.WAITING_SUBTASKS;
          };
    } else if (roll < 72) {
      end = TaskState.COMPLETED;
    } else if (roll < 80) {
      end = TaskState.READY;
    } else if (roll < 88) {
      end = TaskState.BLOCKED;
      reason =
          switch (roll % 4) {
            case 0 -> TaskReason.QUESTION;
            case 1 -> TaskReason.TIMED_OUT;
            case 2 -> TaskReason.MERGE_CONFLICT;
            default -> TaskReason.AGENT_FAILED;
          };
    } else if (roll < 95) {
      end = TaskState.FAILED;
      reason = roll % 2 == 0 ? TaskReason.ABANDONED : TaskReason.DEPENDENCY_FAILED;
    } else {
      end = TaskState.CANCELLED;
    }
    List<TransitionRecord> life = new ArrayList<>();
    List<RunRecord> agentRuns = new ArrayList<>();
    Instant at = createdAt;
    life.add(new TransitionRecord(at, null, TaskState.QUEUED, null));
    TaskState state = TaskState.QUEUED;
    if (end != TaskState.QUEUED && end != TaskState.WAITING) {
      at = at.plusSeconds(1 + random.nextInt(5));
      life.add(new TransitionRecord(at, state, TaskState.PREPARING, null));
      state = TaskState.PREPARING;
      int runCount = 1 + (random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0);
      for (int n = 1; n <= runCount; n++) {
        at = at.plusSeconds(1 + random.nextInt(3));
        life.add(new TransitionRecord(at, state, TaskState.RUNNING, null));
        state = TaskState.RUNNING;
        Instant started = at;
        at = at.plusSeconds(30 + random.nextInt(900));
        boolean last = n == runCount;
        AgentStatus outcome =
            !last
                ? AgentStatus.FAILED
                : reason == TaskReason.QUESTION ? AgentStatus.QUESTION : AgentStatus.SUCCEEDED;
        long input = 2_000L + random.nextInt(60_000);
        Usage usage =
            new Usage(
                2 + random.nextInt(30),
                input,
                input / 8,
                input * (2 + random.nextInt(6)),
                0,
                input * 0.000018);
        agentRuns.add(
            new RunRecord(
                n,
                n == 1 ? RunKind.FIRST : RunKind.RETRY,
                "session-" + id,
                started,
                end == TaskState.RUNNING && last ? null : at,
                end == TaskState.RUNNING && last ? null : outcome,
                usage,
                "/home/dev/.taskwright/logs/" + id + "/run-" + n + ".jsonl",
                outcome == AgentStatus.FAILED ? "tests failed" : null));
      }
      if (end != TaskState.RUNNING) {
        at = at.plusSeconds(1 + random.nextInt(5));
        life.add(new TransitionRecord(at, state, TaskState.COMMITTING, null));
        state = TaskState.COMMITTING;
      }
    }
    if (end != state) {
      at = at.plusSeconds(1 + random.nextInt(10));
      life.add(new TransitionRecord(at, state, end, reason));
    }
    Usage total = agentRuns.stream().map(RunRecord::usage).reduce(Usage.NONE, Usage::plus);
    TaskRecord row =
        new TaskRecord(
            id,
            parent,
            plan,
            "Change " + id + " in " + Path.of(repo).getFileName(),
            repo,
            "main",
            "taskwright/" + id,
            random.nextInt(10) == 0 ? "command" : "claude",
            null,
            end,
            reason,
            reason == TaskReason.QUESTION ? "Which approach should I take for " + id + "?" : null,
            end == TaskState.COMPLETED || end == TaskState.READY
                ? "Did the work of " + id + "."
                : null,
            end == TaskState.COMPLETED || end == TaskState.READY
                ? List.of(String.format(Locale.ROOT, "%040x", id.hashCode() & 0xffffffffL))
                : List.of(),
            total,
            reason == TaskReason.AGENT_FAILED ? "tests failed" : null,
            createdAt,
            at,
            end.isTerminal() ? at : null);
    return new Planned(row, life, agentRuns);
  }

  /** Writes every task through the ledger's own store, four tasks at a time (the pool's size). */
  private void write(LedgerDatabase database, List<Planned> planned) throws Exception {
    LedgerStore store = new LedgerStore(database);
    ExecutorService writers = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (Planned task : planned) {
        done.add(
            writers.submit(
                () -> {
                  int sequence = 0;
                  for (TransitionRecord transition : task.transitions()) {
                    store.record(
                        new LedgerEntry(
                            "run-" + task.row().id(), ++sequence, task.row(), transition, null));
                    transitions.incrementAndGet();
                  }
                  for (RunRecord run : task.runs()) {
                    store.record(
                        new LedgerEntry(
                            "run-" + task.row().id(), ++sequence, task.row(), null, run));
                    runs.incrementAndGet();
                  }
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      writers.shutdownNow();
    }
  }
}
