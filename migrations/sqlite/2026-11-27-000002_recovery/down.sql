ALTER TABLE users DROP COLUMN reset_mailed_at;
DROP TABLE one_time_tokens;
