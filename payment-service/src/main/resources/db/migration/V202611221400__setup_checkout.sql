-- A trial's checkout only saves the card (Stripe: a session in setup mode / payment_status
-- NO_PAYMENT_REQUIRED); the charge comes at trial end from the renewal job.
ALTER TABLE checkout_sessions ADD COLUMN mode text NOT NULL DEFAULT 'PAYMENT';   -- PAYMENT, SETUP
ALTER TABLE checkout_sessions ADD COLUMN trial_end timestamptz;
