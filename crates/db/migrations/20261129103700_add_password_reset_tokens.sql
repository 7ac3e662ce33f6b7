-- Password reset links share the single-use token table with verification links; unverified
-- accounts expire, so the housekeeping finds them by age.
ALTER TABLE email_tokens DROP CONSTRAINT email_tokens_purpose_check;
ALTER TABLE email_tokens ADD CONSTRAINT email_tokens_purpose_check
    CHECK (purpose IN ('verify_email', 'reset_password'));
CREATE INDEX users_unverified_created_idx ON users (created_at) WHERE email_verified_at IS NULL;
