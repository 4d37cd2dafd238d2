DROP TABLE addresses;
DELETE FROM one_time_tokens WHERE purpose = 'EMAIL_VERIFICATION';
ALTER TABLE one_time_tokens DROP CONSTRAINT one_time_tokens_purpose_check;
ALTER TABLE one_time_tokens ADD CONSTRAINT one_time_tokens_purpose_check
    CHECK (purpose IN ('PASSWORD_RESET', 'EMAIL_CHANGE'));
DROP INDEX users_role_id;
ALTER TABLE users DROP COLUMN deleted_at;
ALTER TABLE users DROP COLUMN terms_accepted_at;
ALTER TABLE users DROP COLUMN marketing_opt_in;
ALTER TABLE users DROP COLUMN phone;
ALTER TABLE users DROP COLUMN email_verified_at;
