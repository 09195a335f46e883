package dev.billing.gateway.entitlement;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;

/**
 * {@code RequireEntitlement}: a route filter that lets a request through only when its caller has
 * an active entitlement, optionally with a feature; otherwise a 403 problem and no call to the
 * service. In {@code application.yml}: {@code - RequireEntitlement} (any active subscription) or
 * {@code - RequireEntitlement=resolution:4K} ({@code feature} argument, see {@link Requirement}).
 * Put it before {@code CircuitBreaker} so that denials do not count against the service.
 */
public class RequireEntitlementGatewayFilterFactory
        extends AbstractGatewayFilterFactory<RequireEntitlementGatewayFilterFactory.Config> {

    /** @param feature {@code key}, {@code key:value} or {@code key:v1|v2}; empty: any active subscription */
    public static class Config {
        private @Nullable String feature;

        public @Nullable String getFeature() {
            return feature;
        }

        public Config setFeature(@Nullable String feature) {
            this.feature = feature;
            return this;
        }
    }

    private final EntitlementGuard guard;

    public RequireEntitlementGatewayFilterFactory(EntitlementGuard guard) {
        super(Config.class);
        this.guard = guard;
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("feature");
    }

    @Override
    public GatewayFilter apply(Config config) {
        Requirement requirement = Requirement.parse(config.getFeature());
        return (exchange, chain) -> guard.check(exchange, requirement).flatMap(entitlement -> chain.filter(exchange));
    }
}
