-- One-time tokens for e-mailed links: only the SHA-256 of the token is stored.
CREATE TABLE one_time_tokens (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('PASSWORD_RESET', 'EMAIL_CHANGE')),
    new_email TEXT CHECK ((purpose = 'EMAIL_CHANGE') = (new_email IS NOT NULL)),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

CREATE INDEX one_time_tokens_user ON one_time_tokens (user_id, purpose);

-- When the last reset e-mail was sent: claimed with one conditional UPDATE so that
-- concurrent requests send at most one e-mail per window.
ALTER TABLE users ADD COLUMN reset_mailed_at BIGINT;
