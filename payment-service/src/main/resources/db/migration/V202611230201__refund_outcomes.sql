-- A refund is reserved (PENDING, its amount added to the payment's refunded amount) before the
-- provider is called outside any transaction, then SUCCEEDED with the provider's id; UNKNOWN when
-- the provider did not answer (the reconciler re-issues it under the same key).
ALTER TABLE refunds ALTER COLUMN provider_reference DROP NOT NULL;
ALTER TABLE refunds ADD COLUMN status text NOT NULL DEFAULT 'SUCCEEDED';
