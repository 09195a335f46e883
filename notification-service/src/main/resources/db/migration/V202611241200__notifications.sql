-- Read model of auth-service's users: where to mail events that carry only a user id.
CREATE TABLE users (
    id             uuid PRIMARY KEY,
    email          text NOT NULL,
    name           text NOT NULL,
    deactivated_at timestamptz,
    version        bigint NOT NULL,      -- auth-service's aggregateversion last applied
    updated_at     timestamptz NOT NULL
);

-- Opt-outs of non-essential mail; no row = every category on.
CREATE TABLE preferences (
    user_id              uuid PRIMARY KEY,
    marketing            boolean NOT NULL,
    subscription_updates boolean NOT NULL,
    updated_at           timestamptz NOT NULL
);

-- One row per consumed event that asks for a mail (the unique event id makes it one mail per event).
-- model holds what the templates need, secrets included, until the mail is sent; it is then cleared.
CREATE TABLE notifications (
    id              uuid PRIMARY KEY,
    event_id        uuid NOT NULL UNIQUE,
    event_type      text NOT NULL,
    user_id         uuid NOT NULL,
    category        text NOT NULL,
    recipient       text,                -- from the event, or from users when it is sent
    subject         text,                -- set when rendered; never contains a secret
    model           text,                -- JSON, NULL once SENT / SKIPPED / FAILED
    status          text NOT NULL,       -- PENDING | SENT | FAILED | SKIPPED
    attempts        integer NOT NULL,
    next_attempt_at timestamptz,
    last_error      text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    sent_at         timestamptz
);
CREATE INDEX notifications_by_user ON notifications (user_id, created_at DESC);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'PENDING';
