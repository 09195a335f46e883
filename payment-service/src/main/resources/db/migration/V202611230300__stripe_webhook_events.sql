-- Stripe webhook inbox: every verified event stored once (Stripe's evt_ id), answered 200 at once
-- and applied later by the processor (its effect and PROCESSED in one transaction).
CREATE TABLE stripe_webhook_events (
    id              text PRIMARY KEY,        -- evt_...: a redelivery is a no-op
    type            text NOT NULL,
    created         timestamptz NOT NULL,    -- Stripe's event time: orders state changes of one object
    livemode        boolean NOT NULL,
    payload         text NOT NULL,           -- the raw body as signed
    status          text NOT NULL,           -- RECEIVED, PROCESSED, FAILED (gave up after the last attempt: kept, counted)
    outcome         text,                    -- once PROCESSED: APPLIED, NO_EFFECT (already done), IGNORED (not ours / unhandled type)
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error      text,
    received_at     timestamptz NOT NULL,
    processed_at    timestamptz
);
CREATE INDEX stripe_webhook_events_due ON stripe_webhook_events (next_attempt_at) WHERE status = 'RECEIVED';

-- a Stripe refund (re_...) is recorded once, whether our refund API or a charge.refunded webhook saw it first
CREATE UNIQUE INDEX refunds_provider_reference ON refunds (provider_reference);
-- payments mirrored from Stripe are found by their PaymentIntent / charge id (charge.refunded)
CREATE INDEX payments_provider_reference ON payments (provider_reference) WHERE provider_reference IS NOT NULL;
-- provider-subscription-canceled is sent once per Stripe subscription (customer.subscription.deleted)
ALTER TABLE stripe_subscriptions ADD COLUMN ended_reported boolean NOT NULL DEFAULT false;
