-- Customer accounts. `email_verified_at`: when the owner proved the mailbox (an e-mailed
-- link, a password reset, or a provider that vouches for it); administrators are made
-- by the operator and count as verified. `deleted_at`: the account was erased at its
-- owner's request (KVKK); the row stays, anonymised, for the records that refer to it.
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;
ALTER TABLE users ADD COLUMN phone TEXT;
ALTER TABLE users ADD COLUMN marketing_opt_in BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN terms_accepted_at BIGINT;
ALTER TABLE users ADD COLUMN deleted_at BIGINT;
UPDATE users SET email_verified_at = created_at WHERE role = 'ADMIN';

CREATE INDEX users_role_id ON users (role, id);

-- E-mail verification links join the one-time tokens.
ALTER TABLE one_time_tokens DROP CONSTRAINT one_time_tokens_purpose_check;
ALTER TABLE one_time_tokens ADD CONSTRAINT one_time_tokens_purpose_check
    CHECK (purpose IN ('PASSWORD_RESET', 'EMAIL_CHANGE', 'EMAIL_VERIFICATION'));

-- A customer's addresses. At most one default per customer, held by the database; the
-- domain keeps exactly one while any address exists.
CREATE TABLE addresses (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 40),
    recipient_name TEXT NOT NULL CHECK (length(recipient_name) BETWEEN 1 AND 100),
    phone TEXT NOT NULL,
    line1 TEXT NOT NULL CHECK (length(line1) BETWEEN 1 AND 200),
    line2 TEXT CHECK (line2 IS NULL OR length(line2) BETWEEN 1 AND 200),
    district TEXT NOT NULL CHECK (length(district) BETWEEN 1 AND 60),
    city TEXT NOT NULL,
    postal_code TEXT NOT NULL CHECK (length(postal_code) = 5),
    country TEXT NOT NULL CHECK (country = 'TR'),
    is_default BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE INDEX addresses_user ON addresses (user_id, id);
CREATE UNIQUE INDEX addresses_one_default ON addresses (user_id) WHERE is_default;
