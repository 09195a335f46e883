package dev.billing.gateway.health;

import dev.billing.gateway.GatewayServices;
import dev.billing.gateway.entitlement.EntitlementFeed;
import dev.billing.gateway.ratelimit.RateLimiterStore;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuples;

/**
 * {@code GET /health}: the gateway's own readiness and that of every service it routes to (their
 * {@code /actuator/health/readiness}, asked in parallel with a short timeout), plus Redis when
 * rate limits live there, and whether the entitlement view has loaded. 200 when everything is UP, 503 otherwise; only statuses, never an
 * error's details.
 */
@RestController
class HealthController {

    private final GatewayServices services;
    private final RateLimiterStore rateLimits;
    private final ApplicationAvailability availability;
    private final HealthProperties props;
    private final EntitlementFeed entitlements;
    private final WebClient web = WebClient.create();

    HealthController(
            GatewayServices services,
            RateLimiterStore rateLimits,
            ApplicationAvailability availability,
            HealthProperties props,
            EntitlementFeed entitlements) {
        this.services = services;
        this.entitlements = entitlements;
        this.rateLimits = rateLimits;
        this.availability = availability;
        this.props = props;
    }

    @GetMapping(path = "/health", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Map<String, Object>>> health() {
        Mono<Map<String, String>> routed = Flux.fromIterable(services.services().entrySet())
                .flatMap(service -> readiness(service.getValue()).map(status -> Tuples.of(service.getKey(), status)))
                .collectMap(t -> t.getT1(), t -> t.getT2(), TreeMap::new);
        Mono<String> redis = rateLimits.external() ? rateLimits.healthy().map(up -> up ? "UP" : "DOWN") : Mono.just("");
        return Mono.zip(routed, redis).map(results -> {
            String gateway = availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC ? "UP" : "DOWN";
            Map<String, Object> body = new LinkedHashMap<>();
            String entitlementView = entitlements.ready() ? "UP" : "DOWN";
            boolean up = gateway.equals("UP")
                    && entitlementView.equals("UP")
                    && results.getT1().values().stream().allMatch("UP"::equals)
                    && (results.getT2().isEmpty() || results.getT2().equals("UP"));
            body.put("status", up ? "UP" : "DOWN");
            body.put("gateway", gateway);
            // the in-memory entitlement view: DOWN until it has read the topic up to its end at start
            body.put("entitlements", entitlementView);
            body.put("services", results.getT1());
            if (!results.getT2().isEmpty()) {
                body.put("redis", results.getT2());
            }
            return ResponseEntity.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                    .body(body);
        });
    }

    private Mono<String> readiness(URI service) {
        return web.get()
                .uri(service.resolve("/actuator/health/readiness"))
                .accept(MediaType.APPLICATION_JSON)
                .exchangeToMono(response ->
                        response.releaseBody().thenReturn(response.statusCode().is2xxSuccessful() ? "UP" : "DOWN"))
                .timeout(props.timeout())
                .onErrorReturn("DOWN");
    }
}
