-- Rate-limit events shared by every instance (SQLite runs one instance and keeps them in
-- memory). UNLOGGED: no write-ahead log on the hot path; the events survive a restart of
-- any instance, and losing them in a crash of PostgreSQL itself only forgets an hour.
CREATE UNLOGGED TABLE throttle_events (
    id BIGSERIAL PRIMARY KEY,
    key TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX throttle_events_key_at ON throttle_events (key, at);
CREATE INDEX throttle_events_at ON throttle_events (at);

-- Records one event for every key if each stays within its limit, in one round trip;
-- otherwise records nothing and answers the longest wait in milliseconds (0: recorded).
-- A NULL max records without a limit. The keys are locked in a fixed order, so that
-- concurrent hits on one key, from any instance, are decided one after the other.
CREATE FUNCTION throttle_hit(keys TEXT[], maxes BIGINT[], windows BIGINT[], now_ms BIGINT)
RETURNS BIGINT AS $$
DECLARE
    k TEXT;
    i INT;
    recent BIGINT;
    blocking BIGINT;
    wait BIGINT := 0;
BEGIN
    FOR k IN SELECT DISTINCT u FROM unnest(keys) AS u ORDER BY 1 LOOP
        PERFORM pg_advisory_xact_lock(hashtextextended('throttle:' || k, 0));
    END LOOP;
    FOR i IN 1 .. coalesce(array_length(keys, 1), 0) LOOP
        CONTINUE WHEN maxes[i] IS NULL;
        SELECT count(*) INTO recent FROM throttle_events
            WHERE key = keys[i] AND at > now_ms - windows[i];
        IF recent >= maxes[i] THEN
            -- The oldest event still inside the window decides when one more is allowed.
            SELECT at INTO blocking FROM throttle_events
                WHERE key = keys[i] AND at > now_ms - windows[i]
                ORDER BY at DESC OFFSET greatest(maxes[i] - 1, 0) LIMIT 1;
            wait := greatest(wait, coalesce(blocking, now_ms) + windows[i] - now_ms, 1000);
        END IF;
    END LOOP;
    IF wait = 0 THEN
        INSERT INTO throttle_events (key, at) SELECT u, now_ms FROM unnest(keys) AS u;
    END IF;
    RETURN wait;
END
$$ LANGUAGE plpgsql;
