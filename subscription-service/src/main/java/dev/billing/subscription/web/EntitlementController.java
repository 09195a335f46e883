package dev.billing.subscription.web;

import dev.billing.subscription.application.Subscriptions;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /api/v1/entitlements/me}: what the caller may use now. */
@RestController
@RequestMapping(path = "/api/v1/entitlements", produces = MediaType.APPLICATION_JSON_VALUE)
class EntitlementController {

    record EntitlementResponse(
            String status, UUID subscriptionId, UUID planId, Map<String, Object> features, Instant validUntil) {}

    private final Subscriptions subscriptions;

    EntitlementController(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @GetMapping("/me")
    Mono<EntitlementResponse> mine() {
        return SubscriptionController.actor()
                .flatMap(actor -> subscriptions.entitlement(actor.userId()))
                .map(e -> new EntitlementResponse(
                        e.status(), e.subscriptionId(), e.planId(), e.features(), e.validUntil()));
    }
}
