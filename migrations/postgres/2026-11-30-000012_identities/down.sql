DROP TABLE pending_identities;
DROP TABLE identities;
ALTER TABLE users DROP COLUMN search_text;
