-- Idempotency-Key of POST /register: a retry with the same key answers the first registration.
-- fingerprint = SHA-256 of the normalised email and name (never of the password).
CREATE TABLE registration_keys (
    idempotency_key text PRIMARY KEY,
    fingerprint     text NOT NULL,
    user_id         uuid NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL
);
CREATE INDEX registration_keys_created_at ON registration_keys (created_at);
