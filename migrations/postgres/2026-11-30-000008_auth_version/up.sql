-- Moves whenever a user's outstanding links must stop working (password changed or reset,
-- e-mail address changed). A link job queued before the move checks it and sends nothing.
ALTER TABLE users ADD COLUMN auth_version BIGINT NOT NULL DEFAULT 0;
