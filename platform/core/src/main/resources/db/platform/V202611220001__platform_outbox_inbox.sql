-- Transactional outbox: a use case writes its state change and its events here in one
-- transaction; OutboxRelay publishes unsent rows to Kafka and marks them sent.
CREATE TABLE outbox (
    id              uuid PRIMARY KEY,            -- the event id (CloudEvents id)
    seq             bigserial NOT NULL UNIQUE,   -- publish order
    topic           text NOT NULL,
    msg_key         text NOT NULL,               -- Kafka key = aggregate id
    payload         text NOT NULL,               -- the whole CloudEvents envelope as JSON
    created_at      timestamptz NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    last_error      text,
    sent_at         timestamptz
);
CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;
CREATE INDEX outbox_unsent_by_key ON outbox (topic, msg_key, seq) WHERE sent_at IS NULL;
CREATE INDEX outbox_sent_at ON outbox (sent_at) WHERE sent_at IS NOT NULL;

-- Inbox: the ids of events a consumer has applied, written in the same transaction as the
-- effect, so a redelivered event is skipped.
CREATE TABLE inbox (
    event_id    uuid PRIMARY KEY,
    event_type  text NOT NULL,
    received_at timestamptz NOT NULL
);
CREATE INDEX inbox_received_at ON inbox (received_at);
