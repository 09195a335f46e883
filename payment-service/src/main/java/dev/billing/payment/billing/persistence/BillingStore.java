package dev.billing.payment.billing.persistence;

import dev.billing.payment.billing.persistence.Rows.CustomerRow;
import dev.billing.payment.billing.persistence.Rows.InvoiceRow;
import dev.billing.payment.billing.persistence.Rows.PaymentRow;
import dev.billing.payment.billing.persistence.Rows.RefundRow;
import dev.billing.payment.billing.persistence.Rows.SessionRow;
import dev.billing.payment.billing.persistence.Rows.SubscriptionRow;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Every SQL statement of the payment schema. Callers own the transactions. */
@Repository
public class BillingStore {

    private final DatabaseClient db;

    BillingStore(DatabaseClient db) {
        this.db = db;
    }

    // ---- plans (read model)

    public record PlanState(
            UUID id,
            String name,
            long amount,
            String currency,
            String interval,
            int intervalCount,
            int priceVersion,
            String status,
            long version) {}

    /** Applies a plan's state unless a newer version is already held; true when applied. */
    public Mono<Boolean> upsertPlan(PlanState p) {
        return db.sql("INSERT INTO plans (id, name, amount, currency, billing_interval, interval_count, price_version,"
                        + " status, version) VALUES (:id, :name, :amount, :currency, :interval, :count, :pv, :status,"
                        + " :version) ON CONFLICT (id) DO UPDATE SET name = excluded.name, amount = excluded.amount,"
                        + " currency = excluded.currency, billing_interval = excluded.billing_interval,"
                        + " interval_count = excluded.interval_count, price_version = excluded.price_version,"
                        + " status = excluded.status, version = excluded.version"
                        + " WHERE plans.version < excluded.version")
                .bind("id", p.id())
                .bind("name", p.name())
                .bind("amount", p.amount())
                .bind("currency", p.currency())
                .bind("interval", p.interval())
                .bind("count", p.intervalCount())
                .bind("pv", p.priceVersion())
                .bind("status", p.status())
                .bind("version", p.version())
                .fetch()
                .rowsUpdated()
                .map(n -> n > 0);
    }

    public Mono<Long> archivePlan(UUID id) {
        return db.sql("UPDATE plans SET status = 'ARCHIVED' WHERE id = :id")
                .bind("id", id)
                .fetch()
                .rowsUpdated();
    }

    /** The plan version held (empty for a plan not seen yet). */
    public Mono<Long> planVersion(UUID id) {
        return db.sql("SELECT version FROM plans WHERE id = :id")
                .bind("id", id)
                .map(r -> r.get("version", Long.class))
                .one();
    }

    public Mono<String> planStatus(UUID id) {
        return db.sql("SELECT status FROM plans WHERE id = :id")
                .bind("id", id)
                .map(r -> r.get("status", String.class))
                .one();
    }

    // ---- subscriptions (read model + billing state)

    public record SubscriptionState(
            UUID id,
            UUID userId,
            UUID planId,
            String planName,
            int priceVersion,
            Long amount,
            String currency,
            String interval,
            Integer intervalCount,
            String status,
            Instant currentPeriodStart,
            Instant currentPeriodEnd,
            boolean cancelAtPeriodEnd,
            long sourceVersion) {}

    /** Inserts a subscription seen for the first time and returns it; empty when it is already known. */
    public Mono<SubscriptionRow> insertSubscription(SubscriptionState s, Instant paidThrough, Instant now) {
        GenericExecuteSpec spec = db.sql(
                        "INSERT INTO subscriptions (id, user_id, plan_id, plan_name, price_version, amount, currency,"
                                + " billing_interval, interval_count, status, current_period_start, current_period_end,"
                                + " cancel_at_period_end, source_version, paid_through, billing_anchor, updated_at) VALUES (:id,"
                                + " :user, :plan, :planName, :pv, :amount, :currency, :interval, :count, :status, :ps,"
                                + " :pe, :cape, :sv, :paid, :paid, :now) ON CONFLICT (id) DO NOTHING RETURNING *")
                .bind("id", s.id())
                .bind("user", s.userId())
                .bind("plan", s.planId())
                .bind("planName", s.planName())
                .bind("pv", s.priceVersion())
                .bind("amount", s.amount())
                .bind("currency", s.currency())
                .bind("interval", s.interval())
                .bind("count", s.intervalCount())
                .bind("status", s.status())
                .bind("cape", s.cancelAtPeriodEnd())
                .bind("sv", s.sourceVersion())
                .bind("now", now);
        spec = bindInstant(spec, "ps", s.currentPeriodStart());
        spec = bindInstant(spec, "pe", s.currentPeriodEnd());
        spec = bindInstant(spec, "paid", paidThrough);
        return spec.map(BillingStore::subscriptionRow).one();
    }

    /**
     * Applies subscription-service's newer state (status, period, cancel flag, and the price when
     * given: a plan change); false when the held version is not older (a stale event).
     */
    public Mono<Boolean> updateSubscription(SubscriptionState s, Instant now) {
        String price = s.amount() == null
                ? ""
                : ", plan_id = :plan, plan_name = :planName, price_version = :pv, amount = :amount,"
                        + " currency = :currency, billing_interval = :interval, interval_count = :count";
        GenericExecuteSpec spec = db.sql("UPDATE subscriptions SET status = :status, current_period_start = :ps,"
                        + " current_period_end = :pe, cancel_at_period_end = :cape, source_version = :sv,"
                        + " updated_at = :now" + price + " WHERE id = :id AND source_version < :sv")
                .bind("id", s.id())
                .bind("status", s.status())
                .bind("cape", s.cancelAtPeriodEnd())
                .bind("sv", s.sourceVersion())
                .bind("now", now);
        spec = bindInstant(spec, "ps", s.currentPeriodStart());
        spec = bindInstant(spec, "pe", s.currentPeriodEnd());
        if (s.amount() != null) {
            spec = spec.bind("plan", s.planId())
                    .bind("planName", s.planName())
                    .bind("pv", s.priceVersion())
                    .bind("amount", s.amount())
                    .bind("currency", s.currency())
                    .bind("interval", s.interval())
                    .bind("count", s.intervalCount());
        }
        return spec.fetch().rowsUpdated().map(n -> n > 0);
    }

    public Mono<SubscriptionRow> subscription(UUID id) {
        return db.sql("SELECT * FROM subscriptions WHERE id = :id")
                .bind("id", id)
                .map(BillingStore::subscriptionRow)
                .one();
    }

    /** The next value of our per-subscription event counter (aggregateversion of payment events). */
    public Mono<Long> nextBillingVersion(UUID subscriptionId) {
        return db.sql("UPDATE subscriptions SET billing_version = billing_version + 1 WHERE id = :id"
                        + " RETURNING billing_version")
                .bind("id", subscriptionId)
                .map(r -> r.get("billing_version", Long.class))
                .one();
    }

    /** Records the paid period's end; the first one also fixes the billing anchor. */
    public Mono<Void> setPaidThrough(UUID subscriptionId, Instant periodStart, Instant paidThrough) {
        return db.sql("UPDATE subscriptions SET paid_through = :paid,"
                        + " billing_anchor = COALESCE(billing_anchor, :anchor) WHERE id = :id")
                .bind("anchor", periodStart)
                .bind("id", subscriptionId)
                .bind("paid", paidThrough)
                .then();
    }

    /** Subscriptions whose paid period ended and that renew, claimed for this transaction. */
    public Flux<SubscriptionRow> claimDueRenewals(Instant now, int limit) {
        return db.sql("SELECT s.* FROM subscriptions s WHERE s.paid_through <= :now AND s.cancel_at_period_end = false"
                        + " AND s.status NOT IN ('CANCELED', 'EXPIRED', 'INCOMPLETE_EXPIRED') AND s.amount > 0 AND NOT EXISTS"
                        + " (SELECT 1 FROM invoices i WHERE i.subscription_id = s.id"
                        + " AND i.billing_reason = 'SUBSCRIPTION_CYCLE' AND i.period_start = s.paid_through)"
                        + " ORDER BY s.paid_through LIMIT :limit FOR UPDATE OF s SKIP LOCKED")
                .bind("now", now)
                .bind("limit", limit)
                .map(BillingStore::subscriptionRow)
                .all();
    }

    // ---- customers

    public Mono<CustomerRow> customerOfUser(UUID userId) {
        return db.sql("SELECT * FROM customers WHERE user_id = :user")
                .bind("user", userId)
                .map(BillingStore::customerRow)
                .one();
    }

    public Mono<CustomerRow> customer(UUID id) {
        return db.sql("SELECT * FROM customers WHERE id = :id")
                .bind("id", id)
                .map(BillingStore::customerRow)
                .one();
    }

    /** One customer per user: inserts unless the user has one, then returns the user's. */
    public Mono<CustomerRow> ensureCustomer(UUID userId, String email, String providerReference, Instant now) {
        GenericExecuteSpec spec = db.sql(
                        // the row inserted or the user's held one, in one round trip (see ProviderCallStore)
                        "WITH inserted AS (INSERT INTO customers (id, user_id, email, provider_reference, created_at,"
                                + " updated_at) VALUES (:id, :user, :email, :ref, :now, :now) ON CONFLICT (user_id) DO"
                                + " NOTHING RETURNING *) SELECT * FROM inserted UNION ALL SELECT * FROM customers"
                                + " WHERE NOT EXISTS (SELECT 1 FROM inserted) AND user_id = :user")
                .bind("id", UUID.randomUUID())
                .bind("user", userId)
                .bind("ref", providerReference)
                .bind("now", now);
        spec = email == null ? spec.bindNull("email", String.class) : spec.bind("email", email);
        return spec.map(BillingStore::customerRow).one().switchIfEmpty(Mono.defer(() -> customerOfUser(userId)));
    }

    public Mono<Void> saveCard(UUID customerId, String cardToken, String last4, Instant now) {
        return db.sql("UPDATE customers SET card_token = :token, card_last4 = :last4, updated_at = :now WHERE id = :id")
                .bind("id", customerId)
                .bind("token", cardToken)
                .bind("last4", last4)
                .bind("now", now)
                .then();
    }

    // ---- checkout sessions

    public Mono<Boolean> insertSession(SessionRow s) {
        GenericExecuteSpec spec = db.sql(
                        "INSERT INTO checkout_sessions (id, subscription_id, user_id, customer_id, plan_name, amount,"
                                + " currency, billing_interval, interval_count, url, status, expires_at, created_at, mode,"
                                + " trial_end) VALUES (:id, :sub, :user, :customer, :plan, :amount, :currency, :interval,"
                                + " :count, :url, 'OPEN', :expires, :now, :mode, :trialEnd)"
                                + " ON CONFLICT (subscription_id) DO NOTHING")
                .bind("id", s.id())
                .bind("sub", s.subscriptionId())
                .bind("user", s.userId())
                .bind("customer", s.customerId())
                .bind("plan", s.planName())
                .bind("amount", s.amount())
                .bind("currency", s.currency())
                .bind("interval", s.interval())
                .bind("count", s.intervalCount())
                .bind("url", s.url())
                .bind("expires", s.expiresAt())
                .bind("now", s.createdAt())
                .bind("mode", s.mode());
        return bindInstant(spec, "trialEnd", s.trialEnd()).fetch().rowsUpdated().map(n -> n > 0);
    }

    /** The provider's id of a session (Stripe's cs_...). */
    public Mono<Void> setSessionReference(UUID id, String providerReference) {
        return db.sql("UPDATE checkout_sessions SET provider_reference = :ref WHERE id = :id")
                .bind("id", id)
                .bind("ref", providerReference)
                .then();
    }

    public Mono<SessionRow> session(UUID id) {
        return db.sql("SELECT * FROM checkout_sessions WHERE id = :id")
                .bind("id", id)
                .map(BillingStore::sessionRow)
                .one();
    }

    public Mono<SessionRow> lockSession(UUID id) {
        return db.sql("SELECT * FROM checkout_sessions WHERE id = :id FOR UPDATE")
                .bind("id", id)
                .map(BillingStore::sessionRow)
                .one();
    }

    /** Counts one payment attempt on an open session; empty when the session is not open. */
    public Mono<Integer> countSessionAttempt(UUID id) {
        return db.sql("UPDATE checkout_sessions SET attempts = attempts + 1 WHERE id = :id AND status = 'OPEN'"
                        + " RETURNING attempts")
                .bind("id", id)
                .map(r -> r.get("attempts", Integer.class))
                .one();
    }

    public Mono<Void> updateSession(UUID id, String status, UUID invoiceId, Instant completedAt) {
        GenericExecuteSpec spec = db.sql("UPDATE checkout_sessions SET status = :status, invoice_id = :invoice,"
                        + " completed_at = :completed WHERE id = :id")
                .bind("id", id)
                .bind("status", status);
        spec = invoiceId == null ? spec.bindNull("invoice", UUID.class) : spec.bind("invoice", invoiceId);
        spec = bindInstant(spec, "completed", completedAt);
        return spec.then();
    }

    /** Sessions past their expiry become EXPIRED and the invoice a declined attempt opened VOID; returns how many. */
    public Mono<Long> expireSessions(Instant now) {
        return db.sql("WITH expired AS (UPDATE checkout_sessions SET status = 'EXPIRED' WHERE status = 'OPEN'"
                        + " AND expires_at <= :now RETURNING invoice_id) UPDATE invoices SET status = 'VOID',"
                        + " next_attempt_at = NULL WHERE status = 'OPEN' AND id IN (SELECT invoice_id FROM expired)")
                .bind("now", now)
                .fetch()
                .rowsUpdated();
    }

    public Mono<Void> expireOpenSessions(UUID subscriptionId) {
        return db.sql(
                        "UPDATE checkout_sessions SET status = 'EXPIRED' WHERE subscription_id = :sub AND status = 'OPEN'")
                .bind("sub", subscriptionId)
                .then();
    }

    // ---- invoices

    public Mono<String> nextInvoiceNumber() {
        return db.sql("SELECT nextval('invoice_number_seq') AS n")
                .map(r -> r.get("n", Long.class))
                .one()
                .map(dev.billing.payment.billing.domain.InvoiceTotals::number);
    }

    /** Inserts an invoice; false when a renewal invoice for that period already exists. */
    public Mono<Boolean> insertInvoice(InvoiceRow i) {
        GenericExecuteSpec spec = db.sql(
                        "INSERT INTO invoices (id, number, subscription_id, user_id, billing_reason, period_start,"
                                + " period_end, lines, subtotal, total, currency, status, attempt_count, next_attempt_at,"
                                + " created_at, paid_at) VALUES (:id, :number, :sub, :user, :reason, :ps, :pe, :lines,"
                                + " :subtotal, :total, :currency, :status, :attempts, :next, :created, :paid)"
                                + " ON CONFLICT DO NOTHING")
                .bind("id", i.id())
                .bind("number", i.number())
                .bind("sub", i.subscriptionId())
                .bind("user", i.userId())
                .bind("reason", i.billingReason())
                .bind("ps", i.periodStart())
                .bind("pe", i.periodEnd())
                .bind("lines", i.lines())
                .bind("subtotal", i.subtotal())
                .bind("total", i.total())
                .bind("currency", i.currency())
                .bind("status", i.status())
                .bind("attempts", i.attemptCount())
                .bind("created", i.createdAt());
        spec = bindInstant(spec, "next", i.nextAttemptAt());
        spec = bindInstant(spec, "paid", i.paidAt());
        return spec.fetch().rowsUpdated().map(n -> n > 0);
    }

    /** Rewrites an invoice's period, lines, status and schedule (a first payment is dated when it succeeds). */
    public Mono<Void> updateInvoice(InvoiceRow i) {
        GenericExecuteSpec spec = db.sql("UPDATE invoices SET period_start = :ps, period_end = :pe, lines = :lines,"
                        + " subtotal = :subtotal, total = :total, status = :status, attempt_count = :attempts,"
                        + " next_attempt_at = :next, paid_at = :paid WHERE id = :id")
                .bind("id", i.id())
                .bind("ps", i.periodStart())
                .bind("pe", i.periodEnd())
                .bind("lines", i.lines())
                .bind("subtotal", i.subtotal())
                .bind("total", i.total())
                .bind("status", i.status())
                .bind("attempts", i.attemptCount());
        spec = bindInstant(spec, "next", i.nextAttemptAt());
        spec = bindInstant(spec, "paid", i.paidAt());
        return spec.then();
    }

    public Mono<InvoiceRow> invoice(UUID id) {
        return db.sql("SELECT * FROM invoices WHERE id = :id")
                .bind("id", id)
                .map(BillingStore::invoiceRow)
                .one();
    }

    public Flux<InvoiceRow> invoicesOfUser(UUID userId, int limit, long offset) {
        return db.sql("SELECT * FROM invoices WHERE user_id = :user ORDER BY created_at DESC, number DESC"
                        + " LIMIT :limit OFFSET :offset")
                .bind("user", userId)
                .bind("limit", limit)
                .bind("offset", offset)
                .map(BillingStore::invoiceRow)
                .all();
    }

    /** Open renewal invoices due for a charge attempt, claimed for this transaction. */
    public Flux<InvoiceRow> claimDueInvoices(Instant now, int limit) {
        return db.sql("SELECT * FROM invoices WHERE status = 'OPEN' AND billing_reason <> 'SUBSCRIPTION_CREATE'"
                        + " AND next_attempt_at <= :now ORDER BY next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED")
                .bind("now", now)
                .bind("limit", limit)
                .map(BillingStore::invoiceRow)
                .all();
    }

    public Mono<Void> leaseInvoice(UUID id, Instant until) {
        return db.sql("UPDATE invoices SET next_attempt_at = :until WHERE id = :id")
                .bind("id", id)
                .bind("until", until)
                .then();
    }

    public Mono<Void> voidOpenInvoices(UUID subscriptionId) {
        return db.sql("UPDATE invoices SET status = 'VOID', next_attempt_at = NULL WHERE subscription_id = :sub"
                        + " AND status = 'OPEN'")
                .bind("sub", subscriptionId)
                .then();
    }

    // ---- payments

    /** Inserts a payment attempt; false when its idempotency key was used before (never charged twice). */
    public Mono<Boolean> insertPayment(PaymentRow p, Instant now) {
        GenericExecuteSpec spec = db.sql(
                        "INSERT INTO payments (id, invoice_id, subscription_id, user_id, amount, currency, status,"
                                + " attempt, idempotency_key, provider_reference, failure_code, failure_message,"
                                + " created_at, updated_at) VALUES (:id, :invoice, :sub, :user, :amount, :currency,"
                                + " :status, :attempt, :key, :ref, :code, :message, :now, :now)"
                                + " ON CONFLICT (idempotency_key) DO NOTHING")
                .bind("id", p.id())
                .bind("invoice", p.invoiceId())
                .bind("sub", p.subscriptionId())
                .bind("user", p.userId())
                .bind("amount", p.amount())
                .bind("currency", p.currency())
                .bind("status", p.status())
                .bind("attempt", p.attempt())
                .bind("key", p.idempotencyKey())
                .bind("now", now);
        spec = bindString(spec, "ref", p.providerReference());
        spec = bindString(spec, "code", p.failureCode());
        spec = bindString(spec, "message", p.failureMessage());
        return spec.fetch().rowsUpdated().map(n -> n > 0);
    }

    public Mono<Void> updatePayment(
            UUID id, String status, String reference, String failureCode, String failureMessage, Instant now) {
        GenericExecuteSpec spec = db.sql("UPDATE payments SET status = :status, provider_reference = :ref,"
                        + " failure_code = :code, failure_message = :message, updated_at = :now WHERE id = :id")
                .bind("id", id)
                .bind("status", status)
                .bind("now", now);
        spec = bindString(spec, "ref", reference);
        spec = bindString(spec, "code", failureCode);
        spec = bindString(spec, "message", failureMessage);
        return spec.then();
    }

    public Mono<PaymentRow> payment(UUID id) {
        return db.sql("SELECT * FROM payments WHERE id = :id")
                .bind("id", id)
                .map(BillingStore::paymentRow)
                .one();
    }

    public Mono<PaymentRow> lockPayment(UUID id) {
        return db.sql("SELECT * FROM payments WHERE id = :id FOR UPDATE")
                .bind("id", id)
                .map(BillingStore::paymentRow)
                .one();
    }

    public Mono<PaymentRow> paymentByKey(String key) {
        return db.sql("SELECT * FROM payments WHERE idempotency_key = :key")
                .bind("key", key)
                .map(BillingStore::paymentRow)
                .one();
    }

    public Flux<PaymentRow> paymentsOfUser(UUID userId, int limit, long offset) {
        return db.sql("SELECT * FROM payments WHERE user_id = :user ORDER BY created_at DESC, attempt DESC"
                        + " LIMIT :limit OFFSET :offset")
                .bind("user", userId)
                .bind("limit", limit)
                .bind("offset", offset)
                .map(BillingStore::paymentRow)
                .all();
    }

    public Mono<Void> addRefunded(UUID paymentId, long amount) {
        return db.sql("UPDATE payments SET refunded_amount = refunded_amount + :amount WHERE id = :id")
                .bind("id", paymentId)
                .bind("amount", amount)
                .then();
    }

    // ---- refunds

    /** A refund reserved before the provider is called: PENDING, no provider reference yet. */
    public Mono<Void> insertRefund(RefundRow r) {
        GenericExecuteSpec spec = db.sql("INSERT INTO refunds (id, payment_id, amount, currency, reason,"
                        + " idempotency_key, provider_reference, status, created_at) VALUES (:id, :payment, :amount,"
                        + " :currency, :reason, :key, :ref, :status, :now)")
                .bind("id", r.id())
                .bind("payment", r.paymentId())
                .bind("amount", r.amount())
                .bind("currency", r.currency())
                .bind("reason", r.reason())
                .bind("key", r.idempotencyKey())
                .bind("status", r.providerReference() == null ? "PENDING" : "SUCCEEDED")
                .bind("now", r.createdAt());
        return bindString(spec, "ref", r.providerReference()).then();
    }

    /** PENDING, UNKNOWN or SUCCEEDED. */
    public Mono<String> refundStatus(UUID id) {
        return db.sql("SELECT status FROM refunds WHERE id = :id")
                .bind("id", id)
                .map(r -> r.get("status", String.class))
                .one();
    }

    /** The provider made it: its reference; true when this call moved it out of PENDING/UNKNOWN. */
    public Mono<Boolean> completeRefund(UUID id, String providerReference) {
        return db.sql("UPDATE refunds SET provider_reference = :ref, status = 'SUCCEEDED' WHERE id = :id"
                        + " AND status <> 'SUCCEEDED'")
                .bind("id", id)
                .bind("ref", providerReference)
                .fetch()
                .rowsUpdated()
                .map(n -> n > 0);
    }

    public Mono<Void> markRefundUnknown(UUID id) {
        return db.sql("UPDATE refunds SET status = 'UNKNOWN' WHERE id = :id AND status = 'PENDING'")
                .bind("id", id)
                .then();
    }

    /** A refused refund: the reservation undone (row gone, amount given back to the payment). */
    public Mono<Void> releaseRefund(RefundRow r) {
        return db.sql("DELETE FROM refunds WHERE id = :id AND status <> 'SUCCEEDED'")
                .bind("id", r.id())
                .fetch()
                .rowsUpdated()
                .flatMap(n -> n > 0 ? addRefunded(r.paymentId(), -r.amount()) : Mono.empty());
    }

    public Mono<RefundRow> refundByKey(String key) {
        return db.sql("SELECT * FROM refunds WHERE idempotency_key = :key")
                .bind("key", key)
                .map(BillingStore::refundRow)
                .one();
    }

    // ---- Stripe mirror (webhooks): our rows found by Stripe's ids

    /** Our checkout session of a subscription, locked; empty when it has none. */
    public Mono<SessionRow> lockSessionOfSubscription(UUID subscriptionId) {
        return db.sql("SELECT * FROM checkout_sessions WHERE subscription_id = :sub FOR UPDATE")
                .bind("sub", subscriptionId)
                .map(BillingStore::sessionRow)
                .one();
    }

    /** Records Stripe's id of a session (cs_...) and links its first invoice once known; keeps the status. */
    public Mono<Void> linkSession(UUID sessionId, String providerReference, UUID invoiceId) {
        GenericExecuteSpec spec = db.sql("UPDATE checkout_sessions SET"
                        + " provider_reference = COALESCE(provider_reference, :ref),"
                        + " invoice_id = COALESCE(invoice_id, :invoice) WHERE id = :id")
                .bind("id", sessionId);
        spec = bindString(spec, "ref", providerReference);
        spec = invoiceId == null ? spec.bindNull("invoice", UUID.class) : spec.bind("invoice", invoiceId);
        return spec.then();
    }

    public Mono<Void> setCustomerReference(UUID customerId, String providerReference, Instant now) {
        return db.sql("UPDATE customers SET provider_reference = :ref, updated_at = :now WHERE id = :id")
                .bind("id", customerId)
                .bind("ref", providerReference)
                .bind("now", now)
                .then();
    }

    public Mono<InvoiceRow> lockInvoiceByReference(String providerReference) {
        return db.sql("SELECT * FROM invoices WHERE provider_reference = :ref FOR UPDATE")
                .bind("ref", providerReference)
                .map(BillingStore::invoiceRow)
                .one();
    }

    public Mono<Void> setInvoiceReference(UUID invoiceId, String providerReference) {
        return db.sql("UPDATE invoices SET provider_reference = :ref WHERE id = :id")
                .bind("id", invoiceId)
                .bind("ref", providerReference)
                .then();
    }

    /** A payment found by the provider's id of it (PaymentIntent or charge), locked. */
    public Mono<PaymentRow> lockPaymentByReference(java.util.List<String> references) {
        return db.sql("SELECT * FROM payments WHERE provider_reference = ANY(:refs) ORDER BY created_at LIMIT 1"
                        + " FOR UPDATE")
                .bind("refs", references.toArray(String[]::new))
                .map(BillingStore::paymentRow)
                .one();
    }

    public Mono<RefundRow> refundByReference(String providerReference) {
        return db.sql("SELECT * FROM refunds WHERE provider_reference = :ref")
                .bind("ref", providerReference)
                .map(BillingStore::refundRow)
                .one();
    }

    /** Stripe's subscription as mirrored (null fields while only the id mapping is known). */
    public record StripeSubscription(
            UUID subscriptionId,
            String stripeSubscriptionId,
            String stripeCustomerId,
            String status,
            boolean cancelAtPeriodEnd,
            Instant currentPeriodStart,
            Instant currentPeriodEnd,
            Instant stateAsOf,
            boolean endedReported) {}

    public Mono<StripeSubscription> lockStripeSubscription(UUID subscriptionId) {
        return db.sql("SELECT * FROM stripe_subscriptions WHERE subscription_id = :sub FOR UPDATE")
                .bind("sub", subscriptionId)
                .map(BillingStore::stripeSubscription)
                .one();
    }

    public Mono<StripeSubscription> stripeSubscriptionByStripeId(String stripeSubscriptionId) {
        return db.sql("SELECT * FROM stripe_subscriptions WHERE stripe_subscription_id = :id")
                .bind("id", stripeSubscriptionId)
                .map(BillingStore::stripeSubscription)
                .one();
    }

    /** The id mapping only (from a checkout or an invoice); an existing row is kept as it is. */
    public Mono<Void> mapStripeSubscription(
            UUID subscriptionId, String stripeSubscriptionId, String stripeCustomerId, Instant now) {
        return db.sql("INSERT INTO stripe_subscriptions (subscription_id, stripe_subscription_id, stripe_customer_id,"
                        + " created_at, updated_at) VALUES (:sub, :sid, :cus, :now, :now)"
                        + " ON CONFLICT (subscription_id) DO NOTHING")
                .bind("sub", subscriptionId)
                .bind("sid", stripeSubscriptionId)
                .bind("cus", stripeCustomerId)
                .bind("now", now)
                .then();
    }

    /**
     * Stripe's state of a subscription as of an event's time: applied unless a state at least as
     * new is held; true when applied.
     */
    public Mono<Boolean> applyStripeSubscriptionState(StripeSubscription s, Instant now) {
        GenericExecuteSpec spec = db.sql("INSERT INTO stripe_subscriptions (subscription_id, stripe_subscription_id,"
                        + " stripe_customer_id, status, cancel_at_period_end, current_period_start,"
                        + " current_period_end, state_as_of, created_at, updated_at) VALUES (:sub, :sid, :cus, :status,"
                        + " :cape, :ps, :pe, :asOf, :now, :now) ON CONFLICT (subscription_id) DO UPDATE SET"
                        + " status = excluded.status, cancel_at_period_end = excluded.cancel_at_period_end,"
                        + " current_period_start = excluded.current_period_start,"
                        + " current_period_end = excluded.current_period_end, state_as_of = excluded.state_as_of,"
                        + " updated_at = excluded.updated_at"
                        + " WHERE stripe_subscriptions.state_as_of IS NULL"
                        + " OR stripe_subscriptions.state_as_of < excluded.state_as_of")
                .bind("sub", s.subscriptionId())
                .bind("sid", s.stripeSubscriptionId())
                .bind("cus", s.stripeCustomerId())
                .bind("cape", s.cancelAtPeriodEnd())
                .bind("asOf", s.stateAsOf())
                .bind("now", now);
        spec = bindString(spec, "status", s.status());
        spec = bindInstant(spec, "ps", s.currentPeriodStart());
        spec = bindInstant(spec, "pe", s.currentPeriodEnd());
        return spec.fetch().rowsUpdated().map(n -> n > 0);
    }

    /**
     * Stripe ended the subscription: final, so it wins over any state held whatever its time (a later
     * customer.subscription.updated cannot revive it), and marks the end as reported.
     */
    public Mono<Void> endStripeSubscription(StripeSubscription s, Instant now) {
        GenericExecuteSpec spec = db.sql("INSERT INTO stripe_subscriptions (subscription_id, stripe_subscription_id,"
                        + " stripe_customer_id, status, cancel_at_period_end, current_period_start,"
                        + " current_period_end, state_as_of, ended_reported, created_at, updated_at) VALUES (:sub, :sid,"
                        + " :cus, 'canceled', false, :ps, :pe, :asOf, true, :now, :now) ON CONFLICT (subscription_id)"
                        + " DO UPDATE SET status = 'canceled', cancel_at_period_end = false,"
                        + " current_period_start = excluded.current_period_start,"
                        + " current_period_end = excluded.current_period_end,"
                        + " state_as_of = GREATEST(stripe_subscriptions.state_as_of, excluded.state_as_of),"
                        + " ended_reported = true, updated_at = excluded.updated_at")
                .bind("sub", s.subscriptionId())
                .bind("sid", s.stripeSubscriptionId())
                .bind("cus", s.stripeCustomerId())
                .bind("asOf", s.stateAsOf())
                .bind("now", now);
        spec = bindInstant(spec, "ps", s.currentPeriodStart());
        spec = bindInstant(spec, "pe", s.currentPeriodEnd());
        return spec.then();
    }

    private static StripeSubscription stripeSubscription(Readable r) {
        return new StripeSubscription(
                r.get("subscription_id", UUID.class),
                r.get("stripe_subscription_id", String.class),
                r.get("stripe_customer_id", String.class),
                r.get("status", String.class),
                Boolean.TRUE.equals(r.get("cancel_at_period_end", Boolean.class)),
                r.get("current_period_start", Instant.class),
                r.get("current_period_end", Instant.class),
                r.get("state_as_of", Instant.class),
                Boolean.TRUE.equals(r.get("ended_reported", Boolean.class)));
    }

    // ---- mapping

    private static GenericExecuteSpec bindInstant(GenericExecuteSpec spec, String name, Instant value) {
        return value == null ? spec.bindNull(name, Instant.class) : spec.bind(name, value);
    }

    private static GenericExecuteSpec bindString(GenericExecuteSpec spec, String name, String value) {
        return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
    }

    private static SubscriptionRow subscriptionRow(Readable r) {
        return new SubscriptionRow(
                r.get("id", UUID.class),
                r.get("user_id", UUID.class),
                r.get("plan_id", UUID.class),
                r.get("plan_name", String.class),
                r.get("price_version", Integer.class),
                r.get("amount", Long.class),
                r.get("currency", String.class),
                r.get("billing_interval", String.class),
                r.get("interval_count", Integer.class),
                r.get("status", String.class),
                r.get("current_period_start", Instant.class),
                r.get("current_period_end", Instant.class),
                r.get("cancel_at_period_end", Boolean.class),
                r.get("source_version", Long.class),
                r.get("billing_version", Long.class),
                r.get("paid_through", Instant.class),
                r.get("billing_anchor", Instant.class));
    }

    private static CustomerRow customerRow(Readable r) {
        return new CustomerRow(
                r.get("id", UUID.class),
                r.get("user_id", UUID.class),
                r.get("email", String.class),
                r.get("provider_reference", String.class),
                r.get("card_token", String.class),
                r.get("card_last4", String.class));
    }

    private static SessionRow sessionRow(Readable r) {
        return new SessionRow(
                r.get("id", UUID.class),
                r.get("subscription_id", UUID.class),
                r.get("user_id", UUID.class),
                r.get("customer_id", UUID.class),
                r.get("plan_name", String.class),
                r.get("amount", Long.class),
                r.get("currency", String.class),
                r.get("billing_interval", String.class),
                r.get("interval_count", Integer.class),
                r.get("url", String.class),
                r.get("status", String.class),
                r.get("attempts", Integer.class),
                r.get("invoice_id", UUID.class),
                r.get("expires_at", Instant.class),
                r.get("created_at", Instant.class),
                r.get("mode", String.class),
                r.get("trial_end", Instant.class));
    }

    private static InvoiceRow invoiceRow(Readable r) {
        return new InvoiceRow(
                r.get("id", UUID.class),
                r.get("number", String.class),
                r.get("subscription_id", UUID.class),
                r.get("user_id", UUID.class),
                r.get("billing_reason", String.class),
                r.get("period_start", Instant.class),
                r.get("period_end", Instant.class),
                r.get("lines", String.class),
                r.get("subtotal", Long.class),
                r.get("total", Long.class),
                r.get("currency", String.class),
                r.get("status", String.class),
                r.get("attempt_count", Integer.class),
                r.get("next_attempt_at", Instant.class),
                r.get("created_at", Instant.class),
                r.get("paid_at", Instant.class));
    }

    private static PaymentRow paymentRow(Readable r) {
        return new PaymentRow(
                r.get("id", UUID.class),
                r.get("invoice_id", UUID.class),
                r.get("subscription_id", UUID.class),
                r.get("user_id", UUID.class),
                r.get("amount", Long.class),
                r.get("currency", String.class),
                r.get("status", String.class),
                r.get("attempt", Integer.class),
                r.get("idempotency_key", String.class),
                r.get("provider_reference", String.class),
                r.get("failure_code", String.class),
                r.get("failure_message", String.class),
                r.get("refunded_amount", Long.class),
                r.get("created_at", Instant.class));
    }

    private static RefundRow refundRow(Readable r) {
        return new RefundRow(
                r.get("id", UUID.class),
                r.get("payment_id", UUID.class),
                r.get("amount", Long.class),
                r.get("currency", String.class),
                r.get("reason", String.class),
                r.get("idempotency_key", String.class),
                r.get("provider_reference", String.class),
                r.get("created_at", Instant.class));
    }
}
