package dev.billing.payment.billing.provider.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.net.RequestOptions;
import dev.billing.payment.billing.application.PaymentProvider.OutcomeUnknown;
import dev.billing.payment.billing.application.PaymentProvider.Rejected;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Every call to Stripe goes through here: on {@code boundedElastic} (stripe-java blocks), inside
 * the circuit breaker, with Stripe's failures translated to the port's. stripe-java itself retries
 * connection errors, 409 and 5xx (and whatever Stripe marks {@code Stripe-Should-Retry}) with
 * exponential backoff under the same idempotency key, never another 4xx; what still fails here is
 * final for this attempt: a 4xx is {@link Rejected}, anything else (timeout, 429, 5xx, breaker
 * open) {@link OutcomeUnknown}.
 */
class StripeApi {

    /** One Stripe call (stripe-java's checked exception allowed). */
    @FunctionalInterface
    interface Call<T> {
        T run(StripeClient client) throws StripeException;
    }

    private final StripeClient client;
    private final CircuitBreaker breaker;

    StripeApi(StripeClient client, CircuitBreaker breaker) {
        this.client = client;
        this.breaker = breaker;
    }

    /** Options of a write: its idempotency key (timeouts and retries come from the client). */
    static RequestOptions key(String idempotencyKey) {
        return RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
    }

    <T> Mono<T> call(String what, Call<T> call) {
        return Mono.fromCallable(() -> call.run(client))
                .subscribeOn(Schedulers.boundedElastic())
                .transformDeferred(CircuitBreakerOperator.of(breaker))
                .onErrorMap(e -> translate(what, e));
    }

    /** Failures that say Stripe (or the way to it) is unwell: what the breaker counts. */
    static boolean unhealthy(Throwable e) {
        return e instanceof ApiConnectionException
                || e instanceof RateLimitException
                || (e instanceof ApiException api && (api.getStatusCode() == null || api.getStatusCode() >= 500));
    }

    private static Throwable translate(String what, Throwable e) {
        if (e instanceof CallNotPermittedException) {
            return new OutcomeUnknown("Stripe " + what + " not sent: circuit breaker open", e);
        }
        if (e instanceof StripeException stripe) {
            if (unhealthy(stripe)) {
                return new OutcomeUnknown("Stripe " + what + ": " + describe(stripe), e);
            }
            return new Rejected("Stripe refused " + what + ": " + describe(stripe), e);
        }
        return e;
    }

    private static String describe(StripeException e) {
        // stripe-java reports a connection error or timeout with status 0
        String status = e.getStatusCode() == null || e.getStatusCode() == 0 ? "no answer" : "HTTP " + e.getStatusCode();
        String code = e.getCode() == null ? "" : " " + e.getCode();
        return status + code + " (" + e.getMessage() + ")";
    }
}
