-- Before a stored file is deleted, every row that could share it (content-addressed
-- names) is looked up by its key.
CREATE INDEX media_storage_key ON media (storage_key);
CREATE INDEX media_variants_storage_key ON media_variants (storage_key);
