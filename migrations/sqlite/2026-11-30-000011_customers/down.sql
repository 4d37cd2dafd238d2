DROP TABLE addresses;
CREATE TABLE one_time_tokens_old (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('PASSWORD_RESET', 'EMAIL_CHANGE')),
    new_email TEXT CHECK ((purpose = 'EMAIL_CHANGE') = (new_email IS NOT NULL)),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
INSERT INTO one_time_tokens_old SELECT id, token_hash, user_id, purpose, new_email, created_at, expires_at, used_at
    FROM one_time_tokens WHERE purpose <> 'EMAIL_VERIFICATION';
DROP TABLE one_time_tokens;
ALTER TABLE one_time_tokens_old RENAME TO one_time_tokens;
CREATE INDEX one_time_tokens_user ON one_time_tokens (user_id, purpose);
DROP INDEX users_role_id;
ALTER TABLE users DROP COLUMN deleted_at;
ALTER TABLE users DROP COLUMN terms_accepted_at;
ALTER TABLE users DROP COLUMN marketing_opt_in;
ALTER TABLE users DROP COLUMN phone;
ALTER TABLE users DROP COLUMN email_verified_at;
