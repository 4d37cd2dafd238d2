-- Daily allowances claimed with one conditional UPDATE (e.g. how many new visitors one
-- client network may add to the public numbers per Istanbul day). Rows older than two
-- days are swept: they hold client networks, kept no longer than they are needed.
CREATE TABLE daily_quotas (
    key TEXT NOT NULL,
    day TEXT NOT NULL,
    used BIGINT NOT NULL DEFAULT 0 CHECK (used >= 0),
    PRIMARY KEY (key, day)
);
