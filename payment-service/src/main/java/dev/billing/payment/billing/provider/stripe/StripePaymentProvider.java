package dev.billing.payment.billing.provider.stripe;

import com.stripe.model.Customer;
import com.stripe.model.Product;
import com.stripe.model.Refund;
import com.stripe.model.Subscription;
import com.stripe.model.checkout.Session;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerSearchParams;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.PriceUpdateParams;
import com.stripe.param.ProductCreateParams;
import com.stripe.param.ProductUpdateParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.SubscriptionCancelParams;
import com.stripe.param.SubscriptionUpdateParams;
import com.stripe.param.checkout.SessionCreateParams;
import com.stripe.param.checkout.SessionListParams;
import dev.billing.payment.billing.application.PaymentProvider;
import dev.billing.payment.billing.domain.Times;
import dev.billing.payment.config.PaymentProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Stripe Billing as the provider: customers, a Product per plan and a Price per price version,
 * Checkout Sessions in subscription mode, changes to the Stripe subscription the checkout made, the
 * customer portal and refunds. Stripe renews, invoices and prorates; its webhooks (another package)
 * report what happened. Every write carries an idempotency key derived from our ids.
 */
class StripePaymentProvider implements PaymentProvider {

    private final StripeApi api;
    private final StripeStore store;
    private final Clock clock;
    private final String successUrl;
    private final String cancelUrl;
    private final String portalReturnUrl;

    StripePaymentProvider(
            StripeApi api, StripeStore store, Clock clock, PaymentProperties payment, StripeProviderProperties props) {
        this.api = api;
        this.store = store;
        this.clock = clock;
        String base = payment.publicBaseUrl().replaceAll("/+$", "");
        this.successUrl = orDefault(props.successUrl(), base + "/checkout/success?session_id={CHECKOUT_SESSION_ID}");
        this.cancelUrl = orDefault(props.cancelUrl(), base + "/checkout/canceled");
        this.portalReturnUrl = orDefault(props.portalReturnUrl(), base + "/");
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    // ---- customers

    @Override
    public Mono<String> createCustomer(UUID userId, String email, String idempotencyKey) {
        CustomerCreateParams.Builder params = CustomerCreateParams.builder().putMetadata("user_id", userId.toString());
        if (email != null) {
            params.setEmail(email);
        }
        return api.call("customer creation", c -> c.v1().customers()
                        .create(params.build(), StripeApi.key(idempotencyKey)))
                .map(Customer::getId);
    }

    /** Stripe's search by our metadata (eventually consistent: a customer a second old may not show yet). */
    @Override
    public Mono<String> findCustomer(UUID userId) {
        String query = "metadata['user_id']:'" + userId + "'";
        return api.call("customer search", c -> c.v1().customers()
                        .search(CustomerSearchParams.builder().setQuery(query).build()))
                .flatMap(result -> Mono.justOrEmpty(
                        result.getData().stream().map(Customer::getId).findFirst()));
    }

    // ---- products and prices

    @Override
    public Mono<Void> publishPrice(PlanPrice price) {
        return ensurePrice(price).flatMap(priceId -> store.activePrices(price.planId(), price.priceVersion())
                // the older versions stop taking sign-ups; their subscribers keep them
                .concatMap(old -> api.call("price deactivation", c -> c.v1().prices()
                                .update(
                                        old,
                                        PriceUpdateParams.builder()
                                                .setActive(false)
                                                .build(),
                                        StripeApi.key("price-deactivate:" + old)))
                        .then(store.deactivate(old)))
                .then());
    }

    /** The Stripe price of a plan version: the one recorded, or a new one (and the plan's product). */
    Mono<String> ensurePrice(PlanPrice price) {
        return store.price(price.planId(), price.priceVersion())
                .map(StripeStore.PriceRow::priceId)
                .switchIfEmpty(Mono.defer(() -> product(price).flatMap(productId -> api.call(
                                "price creation", c -> c.v1().prices()
                                        .create(
                                                priceParams(price, productId),
                                                StripeApi.key("price:" + price.planId() + ":" + price.priceVersion())))
                        .flatMap(p -> store.insertPrice(
                                        price.planId(), price.priceVersion(), productId, p.getId(), Times.now(clock))
                                .thenReturn(p.getId())))));
    }

    private Mono<String> product(PlanPrice price) {
        return store.product(price.planId())
                .switchIfEmpty(Mono.defer(() -> api.call("product creation", c -> c.v1().products()
                                .create(
                                        ProductCreateParams.builder()
                                                .setName(price.planName())
                                                .putMetadata(
                                                        "plan_id",
                                                        price.planId().toString())
                                                .build(),
                                        StripeApi.key("product:" + price.planId())))
                        .map(Product::getId)));
    }

    private static PriceCreateParams priceParams(PlanPrice price, String productId) {
        return PriceCreateParams.builder()
                .setProduct(productId)
                .setUnitAmount(price.amount())
                .setCurrency(price.currency().toLowerCase(Locale.ROOT))
                .setRecurring(PriceCreateParams.Recurring.builder()
                        .setInterval(PriceCreateParams.Recurring.Interval.valueOf(price.interval()))
                        .setIntervalCount((long) price.intervalCount())
                        .build())
                .putMetadata("plan_id", price.planId().toString())
                .putMetadata("price_version", Integer.toString(price.priceVersion()))
                .build();
    }

    @Override
    public Mono<Void> archivePlan(UUID planId) {
        Flux<Void> prices = store.activePrices(planId, -1)
                .concatMap(old -> api.call("price deactivation", c -> c.v1().prices()
                                .update(
                                        old,
                                        PriceUpdateParams.builder()
                                                .setActive(false)
                                                .build(),
                                        StripeApi.key("price-deactivate:" + old)))
                        .then(store.deactivate(old)));
        Mono<Void> product = store.product(planId)
                .flatMap(productId -> api.call("product archive", c -> c.v1().products()
                        .update(
                                productId,
                                ProductUpdateParams.builder().setActive(false).build(),
                                StripeApi.key("product-archive:" + productId))))
                .then();
        return prices.then(product);
    }

    // ---- checkout

    @Override
    public Mono<Checkout> createCheckout(CheckoutRequest request) {
        return ensurePrice(request.price()).flatMap(priceId -> {
            Map<String, String> metadata = metadata(request);
            SessionCreateParams.SubscriptionData.Builder subscriptionData =
                    SessionCreateParams.SubscriptionData.builder().putAllMetadata(metadata);
            if (request.trialEnd() != null) {
                subscriptionData.setTrialEnd(request.trialEnd().getEpochSecond());
            }
            SessionCreateParams params = SessionCreateParams.builder()
                    .setMode(SessionCreateParams.Mode.SUBSCRIPTION)
                    .setCustomer(request.customerReference())
                    .setClientReferenceId(request.subscriptionId().toString())
                    .addLineItem(SessionCreateParams.LineItem.builder()
                            .setPrice(priceId)
                            .setQuantity(1L)
                            .build())
                    .putAllMetadata(metadata)
                    .setSubscriptionData(subscriptionData.build())
                    .setSuccessUrl(successUrl)
                    .setCancelUrl(cancelUrl)
                    .setExpiresAt(request.expiresAt().getEpochSecond())
                    .build();
            return api.call(
                            "checkout session creation",
                            c -> c.v1().checkout().sessions().create(params, StripeApi.key(request.idempotencyKey())))
                    .map(s -> checkout(s, request.expiresAt()));
        });
    }

    /** The customer's sessions, the one carrying our session id in its metadata. */
    @Override
    public Mono<Checkout> findCheckout(CheckoutRequest request) {
        String ours = request.sessionId().toString();
        return api.call("checkout session list", c -> c.v1().checkout()
                        .sessions()
                        .list(SessionListParams.builder()
                                .setCustomer(request.customerReference())
                                .setLimit(100L)
                                .build()))
                .flatMap(list -> Mono.justOrEmpty(list.getData().stream()
                        .filter(s -> s.getMetadata() != null
                                && ours.equals(s.getMetadata().get("checkout_session_id")))
                        .findFirst()))
                .map(s -> checkout(s, request.expiresAt()));
    }

    /** The keys the webhook side reads (exactly these). */
    private static Map<String, String> metadata(CheckoutRequest request) {
        return Map.of(
                "subscription_id", request.subscriptionId().toString(),
                "checkout_session_id", request.sessionId().toString(),
                "user_id", request.userId().toString());
    }

    private static Checkout checkout(Session s, Instant requestedExpiry) {
        Instant expiresAt = s.getExpiresAt() == null ? requestedExpiry : Instant.ofEpochSecond(s.getExpiresAt());
        return new Checkout(s.getId(), s.getUrl(), expiresAt);
    }

    // ---- subscription changes

    /**
     * Applied to the Stripe subscription the checkout made ({@code stripe_subscriptions}). Without
     * one (not paid yet) nothing is sent, except that an immediate cancel expires the open
     * checkout session so it cannot be paid any more.
     */
    @Override
    public Mono<Void> updateSubscription(SubscriptionUpdate update) {
        return store.stripeSubscription(update.subscriptionId())
                .flatMap(stripeId -> apply(stripeId, update))
                .switchIfEmpty(Mono.defer(() -> update.kind() == UpdateKind.CANCEL_NOW
                        ? store.openCheckouts(update.subscriptionId())
                                .concatMap(cs -> api.call(
                                        "checkout session expiry",
                                        c -> c.v1().checkout().sessions().expire(cs, StripeApi.key("expire:" + cs))))
                                .then()
                        : Mono.empty()))
                .then();
    }

    private Mono<Void> apply(String stripeId, SubscriptionUpdate update) {
        var options = StripeApi.key(update.idempotencyKey());
        return switch (update.kind()) {
            case CANCEL_NOW ->
                api.call("subscription cancel", c -> c.v1().subscriptions()
                                .cancel(
                                        stripeId,
                                        SubscriptionCancelParams.builder().build(),
                                        options))
                        .then();
            case CANCEL_AT_PERIOD_END, RESUME ->
                api.call("subscription update", c -> c.v1().subscriptions()
                                .update(
                                        stripeId,
                                        SubscriptionUpdateParams.builder()
                                                .setCancelAtPeriodEnd(update.kind() == UpdateKind.CANCEL_AT_PERIOD_END)
                                                .build(),
                                        options))
                        .then();
            case CHANGE_PLAN -> changePlan(stripeId, update);
        };
    }

    /**
     * The subscription's item moves to the new plan's price. With proration (an upgrade that
     * subscription-service prorates now) Stripe invoices the difference at once
     * ({@code always_invoice}); without it the new price starts with the next period ({@code none}),
     * as subscription-service's plan change does.
     */
    private Mono<Void> changePlan(String stripeId, SubscriptionUpdate update) {
        return ensurePrice(update.price())
                .zipWith(api.call(
                        "subscription retrieval", c -> c.v1().subscriptions().retrieve(stripeId)))
                .flatMap(t -> {
                    String priceId = t.getT1();
                    Subscription sub = t.getT2();
                    String itemId = sub.getItems().getData().getFirst().getId();
                    SubscriptionUpdateParams params = SubscriptionUpdateParams.builder()
                            .addItem(SubscriptionUpdateParams.Item.builder()
                                    .setId(itemId)
                                    .setPrice(priceId)
                                    .build())
                            .setProrationBehavior(
                                    update.prorate()
                                            ? SubscriptionUpdateParams.ProrationBehavior.ALWAYS_INVOICE
                                            : SubscriptionUpdateParams.ProrationBehavior.NONE)
                            .putMetadata(
                                    "subscription_id", update.subscriptionId().toString())
                            .build();
                    return api.call("subscription plan change", c -> c.v1().subscriptions()
                            .update(stripeId, params, StripeApi.key(update.idempotencyKey())));
                })
                .then();
    }

    // ---- money

    /** Stripe Billing charges renewals and proration itself; this service's job never does. */
    @Override
    public Mono<ChargeResult> charge(ChargeRequest request) {
        return Mono.error(new NotSupported("Stripe Billing charges renewals; this service does not."));
    }

    /** Cards are entered on Stripe's pages only (checkout, customer portal): we never see a number. */
    @Override
    public Mono<SavedCard> saveCard(String customerReference, String card) {
        return Mono.error(new NotSupported(
                "Cards are managed in Stripe's billing portal: POST /api/v1/billing-portal gives its URL."));
    }

    @Override
    public Mono<String> refund(RefundRequest request) {
        RefundCreateParams.Builder params = RefundCreateParams.builder().setAmount(request.amount());
        String ref = request.chargeReference();
        if (ref != null && ref.startsWith("pi_")) {
            params.setPaymentIntent(ref);
        } else {
            params.setCharge(ref);
        }
        switch (request.reason()) {
            case "DUPLICATE" -> params.setReason(RefundCreateParams.Reason.DUPLICATE);
            case "FRAUDULENT" -> params.setReason(RefundCreateParams.Reason.FRAUDULENT);
            case "REQUESTED_BY_CUSTOMER" -> params.setReason(RefundCreateParams.Reason.REQUESTED_BY_CUSTOMER);
            default -> {
                // OTHER: Stripe has no such reason; sent without one
            }
        }
        return api.call("refund", c -> c.v1().refunds().create(params.build(), StripeApi.key(request.idempotencyKey())))
                .map(Refund::getId);
    }

    @Override
    public Mono<String> billingPortal(String customerReference) {
        var params = com.stripe.param.billingportal.SessionCreateParams.builder()
                .setCustomer(customerReference)
                .setReturnUrl(portalReturnUrl)
                .build();
        // a portal session is read-only for our records and short-lived: no idempotency key needed
        return api.call(
                        "billing portal session",
                        c -> c.v1().billingPortal().sessions().create(params))
                .map(com.stripe.model.billingportal.Session::getUrl);
    }

    @Override
    public boolean renewalsChargedByUs() {
        return false;
    }
}
