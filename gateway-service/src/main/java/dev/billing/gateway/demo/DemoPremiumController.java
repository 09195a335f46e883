package dev.billing.gateway.demo;

import dev.billing.gateway.entitlement.EntitlementGuard;
import dev.billing.gateway.entitlement.Requirement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/demo/premium}: a premium resource served by the gateway itself, for trying the
 * subscribe flow by hand. Any active subscription gets 200 with its plan and features; no token
 * is a 401, no active subscription a 403 problem (the same guard as {@code RequireEntitlement}).
 */
@RestController
class DemoPremiumController {

    private final EntitlementGuard guard;

    DemoPremiumController(EntitlementGuard guard) {
        this.guard = guard;
    }

    @GetMapping(path = "/api/v1/demo/premium", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Object>> premium(ServerWebExchange exchange) {
        return guard.check(exchange, Requirement.ANY).map(entitlement -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("message", "Welcome to the premium content: your subscription is active.");
            body.put("planId", entitlement.planId());
            body.put("status", entitlement.status());
            body.put("features", entitlement.features());
            body.put(
                    "validUntil",
                    entitlement.validUntil() == null
                            ? null
                            : entitlement.validUntil().toString());
            return body;
        });
    }
}
