-- Read model of plans (from plan-published / plan-archived), newest plan-service version wins.
CREATE TABLE plans (
    id             uuid PRIMARY KEY,
    name           text NOT NULL,
    amount         bigint NOT NULL,
    currency       text NOT NULL,
    billing_interval text NOT NULL,
    interval_count integer NOT NULL,
    price_version  integer NOT NULL,
    status         text NOT NULL,
    version        bigint NOT NULL
);

-- Subscriptions this service bills: subscription-service's state (from subscription-* events,
-- source_version = its aggregateversion) plus our own billing state (paid_through, billing_version:
-- the per-subscription counter our payment events carry as aggregateversion).
CREATE TABLE subscriptions (
    id                   uuid PRIMARY KEY,
    user_id              uuid NOT NULL,
    plan_id              uuid NOT NULL,
    plan_name            text NOT NULL,
    price_version        integer NOT NULL,
    amount               bigint NOT NULL,
    currency             text NOT NULL,
    billing_interval     text NOT NULL,
    interval_count       integer NOT NULL,
    status               text NOT NULL,
    current_period_start timestamptz,
    current_period_end   timestamptz,
    cancel_at_period_end boolean NOT NULL,
    source_version       bigint NOT NULL,
    billing_version      bigint NOT NULL DEFAULT 0,
    paid_through         timestamptz,
    updated_at           timestamptz NOT NULL
);
CREATE INDEX subscriptions_renewal_due ON subscriptions (paid_through)
    WHERE paid_through IS NOT NULL AND cancel_at_period_end = false;

-- One customer per user; the saved payment method (provider token + last4) for renewals.
CREATE TABLE customers (
    id                 uuid PRIMARY KEY,
    user_id            uuid NOT NULL UNIQUE,
    email              text,
    provider_reference text NOT NULL,
    card_token         text,
    card_last4         text,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);

CREATE TABLE checkout_sessions (
    id              uuid PRIMARY KEY,
    subscription_id uuid NOT NULL UNIQUE,
    user_id         uuid NOT NULL,
    customer_id     uuid NOT NULL REFERENCES customers (id),
    plan_name       text NOT NULL,
    amount          bigint NOT NULL,
    currency        text NOT NULL,
    billing_interval text NOT NULL,
    interval_count  integer NOT NULL,
    url             text NOT NULL,
    status          text NOT NULL,           -- OPEN, COMPLETE, EXPIRED
    attempts        integer NOT NULL DEFAULT 0,
    invoice_id      uuid,
    expires_at      timestamptz NOT NULL,
    created_at      timestamptz NOT NULL,
    completed_at    timestamptz
);

CREATE SEQUENCE invoice_number_seq;

CREATE TABLE invoices (
    id              uuid PRIMARY KEY,
    number          text NOT NULL UNIQUE,
    subscription_id uuid NOT NULL,
    user_id         uuid NOT NULL,
    billing_reason  text NOT NULL,
    period_start    timestamptz NOT NULL,
    period_end      timestamptz NOT NULL,
    lines           text NOT NULL,           -- JSON array of lines
    subtotal        bigint NOT NULL,
    total           bigint NOT NULL,
    currency        text NOT NULL,
    status          text NOT NULL,           -- DRAFT, OPEN, PAID, VOID, UNCOLLECTIBLE
    attempt_count   integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    created_at      timestamptz NOT NULL,
    paid_at         timestamptz
);
CREATE INDEX invoices_user ON invoices (user_id, created_at DESC);
CREATE INDEX invoices_due ON invoices (next_attempt_at) WHERE status = 'OPEN' AND next_attempt_at IS NOT NULL;
-- one renewal invoice per subscription and period, whatever the number of job replicas
CREATE UNIQUE INDEX invoices_one_cycle_per_period ON invoices (subscription_id, period_start)
    WHERE billing_reason = 'SUBSCRIPTION_CYCLE';

CREATE TABLE payments (
    id                 uuid PRIMARY KEY,
    invoice_id         uuid NOT NULL REFERENCES invoices (id),
    subscription_id    uuid NOT NULL,
    user_id            uuid NOT NULL,
    amount             bigint NOT NULL,
    currency           text NOT NULL,
    status             text NOT NULL,        -- PENDING, SUCCEEDED, FAILED, UNKNOWN
    attempt            integer NOT NULL,
    idempotency_key    text NOT NULL UNIQUE, -- charge:<invoiceId>:<attempt>: never charged twice
    provider_reference text,
    failure_code       text,
    failure_message    text,
    refunded_amount    bigint NOT NULL DEFAULT 0,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);
CREATE INDEX payments_user ON payments (user_id, created_at DESC);

CREATE TABLE refunds (
    id                 uuid PRIMARY KEY,
    payment_id         uuid NOT NULL REFERENCES payments (id),
    amount             bigint NOT NULL,
    currency           text NOT NULL,
    reason             text NOT NULL,
    idempotency_key    text NOT NULL UNIQUE,
    provider_reference text NOT NULL,
    created_at         timestamptz NOT NULL
);

-- The simulated provider's own ledger (what a PSP keeps): one row per idempotency key.
CREATE TABLE simulated_charges (
    idempotency_key text PRIMARY KEY,
    reference       text NOT NULL,
    amount          bigint NOT NULL,
    currency        text NOT NULL,
    outcome         text NOT NULL,
    failure_code    text,
    created_at      timestamptz NOT NULL
);
