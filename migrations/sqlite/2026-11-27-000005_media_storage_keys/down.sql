DROP INDEX media_variants_storage_key;
DROP INDEX media_storage_key;
