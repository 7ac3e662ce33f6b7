-- What a person asked to be told of the researchers they follow: a private Atom feed (the
-- SHA-256 of its secret token is kept; a new token replaces the old, which then finds nothing)
-- and a mail digest, daily or weekly (off unless chosen).
CREATE TABLE alert_settings (
    user_id            BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    feed_token_hash    BYTEA UNIQUE,
    digest             TEXT NOT NULL DEFAULT 'off' CHECK (digest IN ('off', 'daily', 'weekly')),
    -- The one-click unsubscribe link's token (it only turns the digest off).
    unsubscribe_token  TEXT NOT NULL UNIQUE,
    -- The end of the period the last digest covered: works that arrived after it go in the next.
    covered_until      TIMESTAMPTZ,
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX alert_settings_due_idx ON alert_settings (covered_until) WHERE digest <> 'off';

-- New works are found by when they arrived.
CREATE INDEX works_created_idx ON works (created_at);

-- A mail's one-click unsubscribe address (RFC 8058), sent as `List-Unsubscribe` with
-- `List-Unsubscribe-Post: List-Unsubscribe=One-Click`.
ALTER TABLE outbox ADD COLUMN list_unsubscribe TEXT;
