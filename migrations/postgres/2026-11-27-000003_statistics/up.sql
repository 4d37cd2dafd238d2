-- Site testimonials (later reused for product reviews).
CREATE TABLE reviews (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_name TEXT NOT NULL CHECK (length(author_name) BETWEEN 1 AND 100),
    email TEXT CHECK (email IS NULL OR length(email) <= 254),
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment TEXT NOT NULL CHECK (length(comment) BETWEEN 1 AND 2000),
    status TEXT NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED')),
    created_at BIGINT NOT NULL,
    moderated_at BIGINT
);

CREATE INDEX reviews_status_id ON reviews (status, id);

CREATE TABLE contact_messages (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    email TEXT NOT NULL CHECK (length(email) <= 254),
    phone TEXT CHECK (phone IS NULL OR length(phone) <= 40),
    subject TEXT CHECK (subject IS NULL OR length(subject) <= 200),
    message TEXT NOT NULL CHECK (length(message) BETWEEN 1 AND 5000),
    is_read BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);

CREATE INDEX contact_messages_read_id ON contact_messages (is_read, id);

-- A visitor counts once per calendar day in Europe/Istanbul: the key makes it so.
CREATE TABLE visits (
    visitor_id TEXT NOT NULL,
    day TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (visitor_id, day)
);

-- The single row of statistics settings.
CREATE TABLE stat_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    completed_jobs_base BIGINT NOT NULL DEFAULT 0 CHECK (completed_jobs_base >= 0),
    happy_customers_base BIGINT NOT NULL DEFAULT 0 CHECK (happy_customers_base >= 0),
    contact_messages_base BIGINT NOT NULL DEFAULT 0 CHECK (contact_messages_base >= 0),
    founded_year INTEGER NOT NULL CHECK (founded_year BETWEEN 1800 AND 9999),
    happy_threshold INTEGER NOT NULL DEFAULT 2 CHECK (happy_threshold BETWEEN 1 AND 5),
    auto_approve_reviews BOOLEAN NOT NULL DEFAULT FALSE,
    count_reviews_as_jobs BOOLEAN NOT NULL DEFAULT TRUE,
    count_visits_as_jobs BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at BIGINT NOT NULL
);

INSERT INTO stat_settings (id, founded_year, updated_at) VALUES (1, CAST(EXTRACT(YEAR FROM now()) AS INTEGER), CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT));

-- Running totals, changed in the same transaction as the rows they count.
CREATE TABLE stat_counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL DEFAULT 0
);

INSERT INTO stat_counters (name, value) VALUES
    ('approved_rating_1', 0), ('approved_rating_2', 0), ('approved_rating_3', 0),
    ('approved_rating_4', 0), ('approved_rating_5', 0),
    ('visits', 0), ('contact_messages', 0), ('changed_at', CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT));
