package dev.billing.gateway;

import dev.billing.platform.test.IntegrationTest;
import dev.billing.platform.test.TestClock;
import dev.billing.platform.test.TestHttp;
import dev.billing.platform.test.TestJwts;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The gateway on a random port in front of fake services (real HTTP servers in this JVM). Every
 * test class extending this shares one Spring context and one set of fakes; tests tell their
 * requests apart by a unique marker in the path or query.
 */
@IntegrationTest
@Import(GuardedTestRoutes.class)
abstract class GatewayTestSupport {

    static final FakeService auth = new FakeService("auth-service");
    static final FakeService plans = new FakeService("plan-service");
    static final FakeService subscriptions = new FakeService("subscription-service");
    static final FakeService payments = new FakeService("payment-service");
    static final FakeService notifications = new FakeService("notification-service");
    /** behind the entitlement-guarded test routes ({@link GuardedTestRoutes}) */
    static final FakeService media = new FakeService("media-service");

    static final RotatingJwks jwks = new RotatingJwks();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        registry.add("AUTH_SERVICE_URL", auth::url);
        registry.add("PLAN_SERVICE_URL", plans::url);
        registry.add("SUBSCRIPTION_SERVICE_URL", subscriptions::url);
        registry.add("PAYMENT_SERVICE_URL", payments::url);
        registry.add("NOTIFICATION_SERVICE_URL", notifications::url);
        registry.add("gateway.security.jwks-uri", jwks::uri);
    }

    @LocalServerPort
    int port;

    @Autowired
    TestClock clock;

    WebTestClient http() {
        return TestHttp.local(port);
    }

    static String token() {
        return TestJwts.shared().token(UUID.randomUUID(), "USER");
    }

    static String marker() {
        return UUID.randomUUID().toString();
    }
}
