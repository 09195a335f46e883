-- Stripe provider: the id mapping between our records and Stripe's. Written by the webhook
-- handlers (checkout.session.completed, customer.subscription.*) and by the provider's calls;
-- read by the provider for cancel / resume / plan changes and by the handlers to find our ids.

-- our subscription <-> Stripe's subscription (created by a Checkout Session in subscription mode)
CREATE TABLE stripe_subscriptions (
    subscription_id        uuid PRIMARY KEY,
    stripe_subscription_id text NOT NULL UNIQUE,
    stripe_customer_id     text NOT NULL,
    status                 text,            -- Stripe's status (active, past_due, canceled, ...)
    cancel_at_period_end   boolean NOT NULL DEFAULT false,
    current_period_start   timestamptz,
    current_period_end     timestamptz,
    -- Stripe does not order events: the `created` time of the event whose state is held, so an
    -- older event never overwrites a newer state
    state_as_of            timestamptz,
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL
);

-- our plan price version <-> Stripe Product and Price (a price change makes a new Price)
CREATE TABLE stripe_prices (
    plan_id           uuid NOT NULL,
    price_version     integer NOT NULL,
    stripe_product_id text NOT NULL,
    stripe_price_id   text NOT NULL UNIQUE,
    active            boolean NOT NULL,
    created_at        timestamptz NOT NULL,
    PRIMARY KEY (plan_id, price_version)
);

-- checkout sessions created at Stripe carry Stripe's id (cs_...); invoices and payments the
-- Stripe id of what they mirror (in_..., pi_.../ch_...), unique so a webhook applies once
ALTER TABLE checkout_sessions ADD COLUMN provider_reference text UNIQUE;
ALTER TABLE invoices ADD COLUMN provider_reference text UNIQUE;
