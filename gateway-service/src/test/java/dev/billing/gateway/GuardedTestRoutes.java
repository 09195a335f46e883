package dev.billing.gateway;

import dev.billing.gateway.entitlement.RequireEntitlementGatewayFilterFactory;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;

/**
 * Entitlement-guarded routes to the fake {@code media-service}, beside the configured ones (a
 * route list in a test {@code application.yml} would replace the real list):
 * {@code /media/any/**} needs any active subscription, {@code /media/4k/**} one with
 * {@code resolution: 4K}, {@code /media/screens/**} at least 2 screens.
 */
@TestConfiguration(proxyBeanMethods = false)
class GuardedTestRoutes {

    @Bean
    RouteLocator guardedTestRoutes(RouteLocatorBuilder routes, RequireEntitlementGatewayFilterFactory guard) {
        return routes.routes()
                .route("media-any", r -> r.path("/media/any/**")
                        .filters(f -> f.filter(guard.apply(new RequireEntitlementGatewayFilterFactory.Config())))
                        .uri(GatewayTestSupport.media.url()))
                .route("media-4k", r -> r.path("/media/4k/**")
                        .filters(f -> f.filter(guard.apply(
                                new RequireEntitlementGatewayFilterFactory.Config().setFeature("resolution:4K"))))
                        .uri(GatewayTestSupport.media.url()))
                .route("media-screens", r -> r.path("/media/screens/**")
                        .filters(f -> f.filter(guard.apply(
                                new RequireEntitlementGatewayFilterFactory.Config().setFeature("screens:2"))))
                        .uri(GatewayTestSupport.media.url()))
                .build();
    }
}
