-- The plan catalog. A plan points at its current price version; every version stays in
-- plan_price (a subscription keeps the version it was sold at).
CREATE TABLE plans (
    id            uuid PRIMARY KEY,
    code          text NOT NULL UNIQUE,          -- stable key; unique across active and archived plans
    name          text NOT NULL,
    description   text,
    price_version integer NOT NULL,
    trial_days    integer NOT NULL CHECK (trial_days >= 0),
    features      jsonb NOT NULL,
    tier          integer NOT NULL CHECK (tier >= 0),
    status        text NOT NULL CHECK (status IN ('ACTIVE', 'ARCHIVED')),
    version       bigint NOT NULL,               -- aggregate version: +1 per change, the events' aggregateversion
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    archived_at   timestamptz
);
-- the public list: active plans by tier, then code
CREATE INDEX plans_catalog ON plans (tier, code) WHERE status = 'ACTIVE';

CREATE TABLE plan_price (
    plan_id          uuid NOT NULL REFERENCES plans (id),
    price_version    integer NOT NULL CHECK (price_version >= 1),
    amount           bigint NOT NULL CHECK (amount >= 0),   -- minor units
    currency         text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    billing_interval text NOT NULL CHECK (billing_interval IN ('DAY', 'WEEK', 'MONTH', 'YEAR')),
    interval_count   integer NOT NULL CHECK (interval_count >= 1),
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (plan_id, price_version)
);

-- a plan's current price version exists (checked at commit: plan and price are written together)
ALTER TABLE plans ADD CONSTRAINT plans_current_price FOREIGN KEY (id, price_version)
    REFERENCES plan_price (plan_id, price_version) DEFERRABLE INITIALLY DEFERRED;

-- Idempotency-Key of POST /api/v1/plans, per caller: the first answer, replayed to a retry.
CREATE TABLE idempotency_keys (
    caller_id       uuid NOT NULL,
    idempotency_key text NOT NULL,
    fingerprint     text NOT NULL,               -- SHA-256 of the request body: another body with the key is refused
    plan_id         uuid,
    response_status integer,
    response_body   text,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (caller_id, idempotency_key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
