package dev.billing.payment.billing.provider;

import dev.billing.payment.billing.application.PaymentProvider;
import dev.billing.payment.billing.domain.Statuses.PaymentStatus;
import dev.billing.payment.config.PaymentProperties;
import java.time.Clock;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The built-in provider (no Stripe key): a PSP inside this service. Its checkout page is
 * {@link SimulatedCheckoutController}; its ledger ({@code simulated_charges}) holds one row per
 * idempotency key, so a repeated charge returns the first outcome and moves no money twice.
 * Stripe's test cards decide the outcome: {@code 4242424242424242} succeeds,
 * {@code 4000000000000002} is declined ({@code card_declined}); the saved payment method is
 * {@code pm_sim_<card number>} (test cards only, never a real card).
 */
@Component
@ConditionalOnExpression("'${payment.stripe.api-key:}' == ''")
class SimulatedPaymentProvider implements PaymentProvider {

    static final String GOOD_CARD = "4242424242424242";
    static final String DECLINED_CARD = "4000000000000002";
    private static final String METHOD_PREFIX = "pm_sim_";

    private final DatabaseClient db;
    private final Clock clock;
    private final PaymentProperties props;

    SimulatedPaymentProvider(DatabaseClient db, Clock clock, PaymentProperties props) {
        this.db = db;
        this.clock = clock;
        this.props = props;
    }

    @Override
    public Mono<String> createCustomer(UUID userId, String email, String idempotencyKey) {
        return Mono.just("cus_sim_" + userId.toString().replace("-", ""));
    }

    @Override
    public Mono<String> findCustomer(UUID userId) {
        return createCustomer(userId, null, "customer:" + userId);
    }

    /** The page is ours: the session id is its reference, the URL points at this service (through the gateway). */
    @Override
    public Mono<Checkout> createCheckout(CheckoutRequest request) {
        String base = props.publicBaseUrl().replaceAll("/+$", "");
        return Mono.just(new Checkout(null, base + "/checkout/" + request.sessionId(), request.expiresAt()));
    }

    @Override
    public Mono<Checkout> findCheckout(CheckoutRequest request) {
        return Mono.empty();
    }

    /** Prices live in our own plans read model: nothing to publish. */
    @Override
    public Mono<Void> publishPrice(PlanPrice price) {
        return Mono.empty();
    }

    @Override
    public Mono<Void> archivePlan(UUID planId) {
        return Mono.empty();
    }

    /** The read model is the subscription here: the use cases already applied the change. */
    @Override
    public Mono<Void> updateSubscription(SubscriptionUpdate update) {
        return Mono.empty();
    }

    @Override
    public Mono<String> billingPortal(String customerReference) {
        return Mono.error(new NotSupported(
                "The billing portal needs the Stripe provider (STRIPE_API_KEY); the simulated provider has none."));
    }

    @Override
    public Mono<ChargeResult> charge(ChargeRequest request) {
        String card =
                request.paymentMethod() == null || !request.paymentMethod().startsWith(METHOD_PREFIX)
                        ? null
                        : request.paymentMethod().substring(METHOD_PREFIX.length());
        return chargeCard(request.idempotencyKey(), card, request.amount(), request.currency());
    }

    /** Normalises a typed card number; throws {@link InvalidCard} for anything but the test cards. */
    static String testCard(String input) {
        String card = input == null ? "" : input.replaceAll("[\\s-]", "");
        if (!card.equals(GOOD_CARD) && !card.equals(DECLINED_CARD)) {
            throw new InvalidCard("Use a test card: " + GOOD_CARD + " (succeeds) or " + DECLINED_CARD + " (declined).");
        }
        return card;
    }

    static String paymentMethod(String card) {
        return METHOD_PREFIX + card;
    }

    static String last4(String card) {
        return card.substring(card.length() - 4);
    }

    /** Charges a test card once per idempotency key; a repeat returns the recorded outcome. */
    Mono<ChargeResult> chargeCard(String idempotencyKey, String card, long amount, String currency) {
        String outcome;
        String code = null;
        if (card == null) {
            outcome = PaymentStatus.FAILED.name();
            code = "missing_payment_method";
        } else if (card.equals(GOOD_CARD)) {
            outcome = PaymentStatus.SUCCEEDED.name();
        } else {
            outcome = PaymentStatus.FAILED.name();
            code = "card_declined";
        }
        var insert = db.sql("INSERT INTO simulated_charges (idempotency_key, reference, amount, currency, outcome,"
                        + " failure_code, created_at) VALUES (:key, :ref, :amount, :currency, :outcome, :code, :now)"
                        + " ON CONFLICT (idempotency_key) DO NOTHING")
                .bind("key", idempotencyKey)
                .bind("ref", "ch_sim_" + UUID.randomUUID().toString().replace("-", ""))
                .bind("amount", amount)
                .bind("currency", currency)
                .bind("outcome", outcome)
                .bind("now", clock.instant());
        insert = code == null ? insert.bindNull("code", String.class) : insert.bind("code", code);
        return insert.then()
                .then(db.sql(
                                "SELECT reference, outcome, failure_code FROM simulated_charges WHERE idempotency_key = :key")
                        .bind("key", idempotencyKey)
                        .map(r -> {
                            String failure = r.get("failure_code", String.class);
                            return new ChargeResult(
                                    PaymentStatus.valueOf(r.get("outcome", String.class)),
                                    r.get("reference", String.class),
                                    failure,
                                    failure == null ? null : message(failure));
                        })
                        .one());
    }

    private static String message(String failureCode) {
        return switch (failureCode) {
            case "card_declined" -> "Your card was declined.";
            case "missing_payment_method" -> "No card is saved for this subscription.";
            default -> "The payment failed.";
        };
    }

    @Override
    public Mono<SavedCard> saveCard(String customerReference, String card) {
        return Mono.fromCallable(() -> {
            String number = testCard(card);
            return new SavedCard(paymentMethod(number), last4(number));
        });
    }

    @Override
    public Mono<String> refund(RefundRequest request) {
        return Mono.just("re_sim_"
                + UUID.nameUUIDFromBytes(request.idempotencyKey().getBytes())
                        .toString()
                        .replace("-", ""));
    }

    @Override
    public boolean renewalsChargedByUs() {
        return true;
    }
}
