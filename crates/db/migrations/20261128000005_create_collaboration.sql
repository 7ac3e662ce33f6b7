-- Direct collaboration: invitations to claimed researchers, the conversations they open, read
-- markers and blocks.

-- An invitation from a user to the user holding a claimed record, optionally about one of its works.
CREATE TABLE invitations (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sender_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    recipient_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The record it was sent to (the recipient held it then).
    author_id       BIGINT NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    work_id         BIGINT REFERENCES works (id) ON DELETE SET NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'accepted', 'declined', 'withdrawn')),
    response_note   TEXT,
    -- Read markers: the recipient has seen it; the sender has seen its latest answer.
    recipient_seen  BOOLEAN NOT NULL DEFAULT FALSE,
    sender_seen     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    decided_at      TIMESTAMPTZ,
    CONSTRAINT invitations_not_to_self_check CHECK (sender_id <> recipient_id),
    CONSTRAINT invitations_decided_check CHECK ((state = 'pending') = (decided_at IS NULL))
);
-- At most one open invitation per sender and recipient.
CREATE UNIQUE INDEX invitations_one_open_per_pair_key ON invitations (sender_id, recipient_id) WHERE state = 'pending';
CREATE INDEX invitations_recipient_idx ON invitations (recipient_id, id);
CREATE INDEX invitations_sender_idx ON invitations (sender_id, id);
CREATE INDEX invitations_recipient_unseen_idx ON invitations (recipient_id) WHERE NOT recipient_seen;
CREATE INDEX invitations_sender_unseen_idx ON invitations (sender_id) WHERE NOT sender_seen;
-- The decline rate reads a sender's latest answers.
CREATE INDEX invitations_sender_decided_idx ON invitations (sender_id, decided_at DESC)
    WHERE state IN ('accepted', 'declined');

-- A conversation exists only once an invitation is accepted; it has exactly its two people.
CREATE TABLE conversations (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invitation_id  BIGINT NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    closed_at      TIMESTAMPTZ,
    closed_by      BIGINT REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT conversations_invitation_key UNIQUE (invitation_id)
);

-- The participants, each with the last message they have read.
CREATE TABLE conversation_members (
    conversation_id  BIGINT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    user_id          BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    last_read_id     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX conversation_members_user_idx ON conversation_members (user_id, conversation_id);

CREATE TABLE messages (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conversation_id  BIGINT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    sender_id        BIGINT REFERENCES users (id) ON DELETE SET NULL,
    body             TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- Keyset pages of a conversation, and unread counts (messages after a read marker).
CREATE INDEX messages_conversation_idx ON messages (conversation_id, id);

-- Who blocked whom: nothing more arrives between them, in either direction.
CREATE TABLE blocks (
    blocker_id  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    blocked_id  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (blocker_id, blocked_id),
    CONSTRAINT blocks_not_self_check CHECK (blocker_id <> blocked_id)
);
CREATE INDEX blocks_blocked_idx ON blocks (blocked_id, blocker_id);
