-- Local read model of plan-service's catalog, fed by plan-published / plan-archived.
-- A row with a null name is a plan known only from plan-archived (details never seen).
CREATE TABLE plans (
    id             uuid PRIMARY KEY,
    code           text,
    name           text,
    amount         bigint,
    currency       text,
    price_version  integer,
    billing_interval text,
    interval_count integer,
    trial_days     integer,
    tier           integer,
    features       text,                 -- JSON object
    status         text NOT NULL,        -- ACTIVE | ARCHIVED
    version        bigint NOT NULL,      -- plan-service's aggregateversion last applied
    updated_at     timestamptz NOT NULL
);

CREATE TABLE subscriptions (
    id                   uuid PRIMARY KEY,
    user_id              uuid NOT NULL,
    user_email           text,
    plan                 text NOT NULL,  -- JSON: the plan terms sold (id, name, price version, amount, ...)
    plan_id              uuid NOT NULL,  -- = plan.planId, for queries
    pending_plan         text,           -- JSON: a downgrade scheduled for the period end
    status               text NOT NULL,
    current_period_start timestamptz,
    current_period_end   timestamptz,
    trial_end            timestamptz,
    cancel_at_period_end boolean NOT NULL,
    canceled_at          timestamptz,
    ended_at             timestamptz,
    checkout_url         text,
    checkout_expires_at  timestamptz,
    dunning_until        timestamptz,
    payment_version      bigint NOT NULL, -- payment-service's aggregateversion last applied
    version              bigint NOT NULL,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL
);
-- At most one live subscription per user, also under concurrent requests.
CREATE UNIQUE INDEX subscriptions_one_live_per_user ON subscriptions (user_id)
    WHERE status IN ('INCOMPLETE', 'TRIALING', 'ACTIVE', 'PAST_DUE');
CREATE INDEX subscriptions_by_user ON subscriptions (user_id, created_at DESC);
CREATE INDEX subscriptions_by_status ON subscriptions (status, created_at DESC);
CREATE INDEX subscriptions_period_end ON subscriptions (current_period_end)
    WHERE status IN ('TRIALING', 'ACTIVE', 'PAST_DUE');
CREATE INDEX subscriptions_incomplete ON subscriptions (created_at) WHERE status = 'INCOMPLETE';

-- The current entitlement per user, with its own version (entitlements-changed is keyed by user).
CREATE TABLE entitlements (
    user_id         uuid PRIMARY KEY,
    subscription_id uuid,
    plan_id         uuid,
    status          text NOT NULL,
    features        text NOT NULL,       -- JSON object
    valid_until     timestamptz,
    version         bigint NOT NULL,
    updated_at      timestamptz NOT NULL
);

-- Idempotency-Key of POST /api/v1/subscriptions: the first answer, replayed on a retry.
CREATE TABLE idempotency_keys (
    user_id       uuid NOT NULL,
    idem_key      text NOT NULL,
    request_hash  text NOT NULL,
    response_status integer,
    response_body text,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
