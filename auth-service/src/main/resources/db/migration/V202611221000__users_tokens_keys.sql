-- Users: one row per account. Email is stored normalised (trimmed, lower case) and unique.
CREATE TABLE users (
    id              uuid PRIMARY KEY,
    email           text NOT NULL UNIQUE,
    name            text NOT NULL,
    password_hash   text,                          -- Argon2id; null for accounts created by Google/GitHub
    roles           text[] NOT NULL,
    email_verified  boolean NOT NULL,
    active          boolean NOT NULL DEFAULT true,
    deactivated_at  timestamptz,
    version         bigint NOT NULL,               -- grows with each change (event aggregateversion)
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX users_created_at ON users (created_at, id);

-- Refresh tokens: only the SHA-256 of the opaque value is stored. Every use rotates it (used_at
-- set, a new one in the same family); presenting a used one again revokes the family.
CREATE TABLE refresh_tokens (
    token_hash  text PRIMARY KEY,
    family_id   uuid NOT NULL,
    user_id     uuid NOT NULL REFERENCES users (id),
    issued_at   timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id) WHERE revoked_at IS NULL;

-- Single-use links (email verification, password reset): SHA-256 of a 256-bit random value.
CREATE TABLE one_time_tokens (
    token_hash  text PRIMARY KEY,
    purpose     text NOT NULL CHECK (purpose IN ('VERIFY_EMAIL', 'RESET_PASSWORD')),
    user_id     uuid NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX one_time_tokens_user ON one_time_tokens (user_id, purpose) WHERE used_at IS NULL;

-- One-time login codes: short, so hashed with Argon2id and limited in attempts.
CREATE TABLE login_codes (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id),
    code_hash   text NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    attempts    integer NOT NULL DEFAULT 0,
    used_at     timestamptz
);
CREATE INDEX login_codes_user ON login_codes (user_id, created_at) WHERE used_at IS NULL;

-- Signing keys: the private half is encrypted (AES-GCM) with a key derived from
-- AUTH_KEY_ENCRYPTION_SECRET. Exactly one key is current (retired_at IS NULL); retired keys keep
-- verifying until retired_at + the access-token TTL.
CREATE TABLE signing_keys (
    kid                   text PRIMARY KEY,
    algorithm             text NOT NULL,
    public_jwk            text NOT NULL,
    private_key_encrypted text NOT NULL,
    created_at            timestamptz NOT NULL,
    retired_at            timestamptz
);
CREATE UNIQUE INDEX signing_keys_one_current ON signing_keys ((true)) WHERE retired_at IS NULL;

-- OAuth2 / OIDC logins in progress: state and PKCE verifier, single use, short-lived.
CREATE TABLE oauth_states (
    state          text PRIMARY KEY,
    provider       text NOT NULL,
    code_verifier  text NOT NULL,
    nonce          text NOT NULL,
    created_at     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL
);

-- External identities linked to a user (provider + the provider's subject id).
CREATE TABLE external_identities (
    provider    text NOT NULL,
    subject     text NOT NULL,
    user_id     uuid NOT NULL REFERENCES users (id),
    email       text NOT NULL,
    linked_at   timestamptz NOT NULL,
    PRIMARY KEY (provider, subject)
);
