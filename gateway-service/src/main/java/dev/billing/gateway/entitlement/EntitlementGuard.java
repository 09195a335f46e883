package dev.billing.gateway.entitlement;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.Authentication;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Decides whether the caller of a request (the verified token's subject) has an active
 * entitlement meeting a {@link Requirement}, from the in-memory view only: no service is asked.
 * Denied is a 403 problem naming what would grant access; the request goes no further.
 */
public class EntitlementGuard {

    /** Where a denied caller can see the plans. */
    static final URI TYPE = URI.create("urn:billing:problem:subscription-required");

    private final EntitlementView view;
    private final EntitlementFeed feed;
    private final EntitlementProperties props;
    private final Clock clock;

    public EntitlementGuard(EntitlementView view, EntitlementFeed feed, EntitlementProperties props, Clock clock) {
        this.view = view;
        this.feed = feed;
        this.props = props;
        this.clock = clock;
    }

    /**
     * The caller's entitlement when it meets {@code requirement}; otherwise an error: 403 problem
     * (not entitled), 401 (no verified caller), 503 (the view is still loading after a start).
     */
    public Mono<Entitlement> check(ServerWebExchange exchange, Requirement requirement) {
        return exchange.getPrincipal()
                .filter(p -> p instanceof Authentication a && a.isAuthenticated())
                .switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.UNAUTHORIZED)))
                .flatMap(principal ->
                        loaded(exchange).then(Mono.fromCallable(() -> decide(principal.getName(), requirement))));
    }

    private Mono<Void> loaded(ServerWebExchange exchange) {
        if (feed.ready()) {
            return Mono.empty();
        }
        // never blocks a thread: waits on the feed's future, bounded
        return Mono.fromFuture(feed.whenReady(), true)
                .timeout(props.startupWait())
                .onErrorMap(TimeoutException.class, e -> {
                    exchange.getResponse().getHeaders().set("Retry-After", "2");
                    return loading();
                });
    }

    private Entitlement decide(String userId, Requirement requirement) {
        Entitlement entitlement = view.get(userId).orElse(null);
        if (entitlement == null) {
            throw denied(requirement, null, "You have no subscription.");
        }
        if (!Entitlement.ACTIVE_STATUSES.contains(entitlement.status())) {
            throw denied(requirement, entitlement, "Your subscription is not active.");
        }
        if (!entitlement.activeAt(clock.instant())) {
            throw denied(requirement, entitlement, "Your subscription has lapsed.");
        }
        if (!requirement.metBy(entitlement.features())) {
            throw denied(requirement, entitlement, "Your plan does not include it.");
        }
        return entitlement;
    }

    static ErrorResponseException denied(Requirement requirement, @Nullable Entitlement held, String why) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.FORBIDDEN, "This resource needs " + requirement.sentence() + ". " + why);
        problem.setTitle("Subscription required");
        problem.setType(TYPE);
        problem.setProperty("required", requirement.describe());
        if (held != null) {
            Map<String, Object> current = new LinkedHashMap<>();
            current.put("status", held.status());
            current.put("planId", held.planId());
            current.put(
                    "validUntil",
                    held.validUntil() == null ? null : held.validUntil().toString());
            problem.setProperty("current", current);
        }
        problem.setProperty("plans", "/api/v1/plans");
        return new ErrorResponseException(HttpStatus.FORBIDDEN, problem, null);
    }

    private static ErrorResponseException loading() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.SERVICE_UNAVAILABLE, "Entitlements are still loading. Try again shortly.");
        problem.setTitle("Service Unavailable");
        return new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, null);
    }
}
