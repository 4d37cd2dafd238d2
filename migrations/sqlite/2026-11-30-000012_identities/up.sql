-- Sign-in with Google or Facebook: the provider's id of a person belongs to at most one
-- account, and an account has at most one identity per provider.
CREATE TABLE identities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider TEXT NOT NULL CHECK (provider IN ('GOOGLE', 'FACEBOOK')),
    subject TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
    email TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (provider, subject),
    UNIQUE (user_id, provider)
);

-- An identity whose e-mail address already has an account waits here until that
-- account's owner signs in with the password (never linked on the provider's word
-- alone). Only the SHA-256 of the token in the owner's browser is kept.
CREATE TABLE pending_identities (
    token_hash TEXT PRIMARY KEY,
    provider TEXT NOT NULL CHECK (provider IN ('GOOGLE', 'FACEBOOK')),
    subject TEXT NOT NULL,
    email TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- The customers' list searches the e-mail address and the name folded (Turkish letters
-- to ASCII, lower-case: what `text::fold` makes), the same on both databases.
ALTER TABLE users ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE users SET search_text = lower(email) || ' ' || lower(name);
