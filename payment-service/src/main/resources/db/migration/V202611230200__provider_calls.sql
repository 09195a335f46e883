-- Writes to the payment provider whose outcome must survive a crash or a timeout: one row per
-- idempotency key. PENDING: about to be sent; SUCCEEDED (result_id/result_url); FAILED (the
-- provider refused it, error); UNKNOWN (timed out or the provider was unavailable: never retried
-- blindly, the reconciler asks the provider for the truth at next_check_at, then re-issues with the
-- same key only when the provider has nothing).
CREATE TABLE provider_calls (
    idempotency_key text PRIMARY KEY,
    operation       text NOT NULL,   -- CUSTOMER, CHECKOUT, SUBSCRIPTION_UPDATE
    user_id         uuid,
    subscription_id uuid,
    session_id      uuid,            -- CHECKOUT: our checkout session id
    expires_at      timestamptz,     -- CHECKOUT: the expiry sent (a re-issue must send the same parameters)
    request         text,            -- SUBSCRIPTION_UPDATE: what was asked (JSON)
    status          text NOT NULL,
    result_id       text,
    result_url      text,
    error           text,
    attempts        integer NOT NULL DEFAULT 0,
    next_check_at   timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);

-- one checkout per subscription, whatever the deliveries of subscription-created
CREATE UNIQUE INDEX provider_calls_one_checkout ON provider_calls (subscription_id) WHERE operation = 'CHECKOUT';
CREATE INDEX provider_calls_due ON provider_calls (next_check_at) WHERE status = 'UNKNOWN';
