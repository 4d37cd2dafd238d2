-- Durable background jobs (e-mails and other side effects), enqueued in the transaction
-- that causes them. A worker claims a due job by leasing it (locked_by, locked_until);
-- a lease that runs out (the worker died) makes the job claimable again. Done jobs are
-- deleted; dead ones stay for the dashboard until retried.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 100),
    payload TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('QUEUED', 'RUNNING', 'DEAD')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts INTEGER NOT NULL CHECK (max_attempts >= 1),
    run_at BIGINT NOT NULL,
    locked_by TEXT,
    locked_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK ((state = 'RUNNING') = (locked_by IS NOT NULL AND locked_until IS NOT NULL))
);

CREATE INDEX jobs_due ON jobs (state, run_at);
