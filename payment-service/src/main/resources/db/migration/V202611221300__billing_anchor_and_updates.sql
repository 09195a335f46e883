-- The start of a subscription's first paid period: every later period end is computed from it
-- (Jan 31 + 1 month = Feb 28, then Mar 31), the same rule as subscription-service's BillingPeriods.
ALTER TABLE subscriptions ADD COLUMN billing_anchor timestamptz;
UPDATE subscriptions SET billing_anchor = paid_through WHERE billing_anchor IS NULL AND paid_through IS NOT NULL;

-- proration invoices (SUBSCRIPTION_UPDATE) carry a credit line for the unused old plan
CREATE UNIQUE INDEX invoices_one_update_per_change ON invoices (subscription_id, period_start)
    WHERE billing_reason = 'SUBSCRIPTION_UPDATE';
