-- The task ledger: what people look back on after Temporal's retention has deleted a workflow.
-- Every write is an idempotent upsert keyed so that a retried or reordered activity never
-- duplicates a row or rolls one back (see LedgerStore).

CREATE TABLE tasks (
    id                TEXT PRIMARY KEY,
    -- The Temporal run that wrote the row last; a restarted subtask is a new run of the same task.
    workflow_run_id   TEXT        NOT NULL,
    -- Orders the writes of one run; with created_at it orders writes across runs.
    sequence          INTEGER     NOT NULL,
    parent_id         TEXT,
    plan              TEXT,
    title             TEXT        NOT NULL,
    repo              TEXT        NOT NULL,
    base_ref          TEXT,
    branch            TEXT,
    agent             TEXT,
    model             TEXT,
    state             TEXT        NOT NULL,
    reason            TEXT,
    question          TEXT,
    summary           TEXT,
    commits           TEXT[]      NOT NULL DEFAULT '{}',
    turns             INTEGER     NOT NULL DEFAULT 0,
    input_tokens      BIGINT      NOT NULL DEFAULT 0,
    output_tokens     BIGINT      NOT NULL DEFAULT 0,
    cache_read_tokens BIGINT      NOT NULL DEFAULT 0,
    cost_usd          DOUBLE PRECISION NOT NULL DEFAULT 0,
    error             TEXT,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    finished_at       TIMESTAMPTZ
);

-- list: newest first, filtered by state, repository, plan or parent.
CREATE INDEX tasks_by_created ON tasks (created_at DESC, id);
CREATE INDEX tasks_by_state ON tasks (state, created_at DESC);
CREATE INDEX tasks_by_repo ON tasks (repo, created_at DESC);
CREATE INDEX tasks_by_plan ON tasks (plan, created_at DESC) WHERE plan IS NOT NULL;
CREATE INDEX tasks_by_parent ON tasks (parent_id, created_at DESC) WHERE parent_id IS NOT NULL;

CREATE TABLE runs (
    task_id           TEXT        NOT NULL REFERENCES tasks (id),
    workflow_run_id   TEXT        NOT NULL,
    number            INTEGER     NOT NULL,
    kind              TEXT        NOT NULL,
    session_id        TEXT,
    started_at        TIMESTAMPTZ NOT NULL,
    ended_at          TIMESTAMPTZ,
    outcome           TEXT,
    turns             INTEGER     NOT NULL DEFAULT 0,
    input_tokens      BIGINT      NOT NULL DEFAULT 0,
    output_tokens     BIGINT      NOT NULL DEFAULT 0,
    cache_read_tokens BIGINT      NOT NULL DEFAULT 0,
    cost_usd          DOUBLE PRECISION NOT NULL DEFAULT 0,
    log_path          TEXT,
    error             TEXT,
    PRIMARY KEY (task_id, workflow_run_id, number)
);

-- stats: by day.
CREATE INDEX runs_by_started ON runs (started_at);

CREATE TABLE transitions (
    task_id           TEXT        NOT NULL REFERENCES tasks (id),
    workflow_run_id   TEXT        NOT NULL,
    sequence          INTEGER     NOT NULL,
    at                TIMESTAMPTZ NOT NULL,
    from_state        TEXT,
    to_state          TEXT        NOT NULL,
    reason            TEXT,
    PRIMARY KEY (task_id, workflow_run_id, sequence)
);
