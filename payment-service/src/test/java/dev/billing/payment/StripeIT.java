package dev.billing.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The service in Stripe mode against a fake Stripe API: one WireMock server per test JVM, stubs
 * answering with Stripe's own example objects ({@code src/test/resources/stripe/}, from Stripe's
 * OpenAPI fixtures), reset before each test. Every Stripe IT shares this one Spring context.
 */
@TestPropertySource(
        properties = {
            "payment.stripe.api-key=sk_test_fake",
            // short, so a slow fake is a timeout quickly; stripe-java retries twice with backoff
            "payment.stripe.read-timeout=1s",
            "payment.stripe.max-network-retries=2",
            "payment.stripe-provider.circuit-breaker.sliding-window-size=4",
            "payment.stripe-provider.circuit-breaker.minimum-number-of-calls=4",
            "payment.stripe-provider.circuit-breaker.wait-in-open-state=1h"
        })
public abstract class StripeIT extends PaymentIT {

    protected static final WireMockServer STRIPE = new WireMockServer(options().dynamicPort());

    static {
        STRIPE.start();
    }

    @DynamicPropertySource
    static void stripeApi(DynamicPropertyRegistry registry) {
        registry.add("payment.stripe.api-base", STRIPE::baseUrl);
    }

    @Autowired
    protected CircuitBreaker stripeCircuitBreaker;

    /** Stripe's ids of this test's product and first price (unique, as Stripe's are). */
    protected String productId;

    protected String priceId;

    @BeforeEach
    void freshStripe() {
        productId = "prod_" + UUID.randomUUID().toString().replace("-", "");
        priceId = "price_" + UUID.randomUUID().toString().replace("-", "");
        STRIPE.resetAll();
        stripeCircuitBreaker.reset();
        stub(post(urlPathEqualTo("/v1/customers")), "customer", Map.of("id", "cus_test_1"));
        STRIPE.stubFor(get(urlPathEqualTo("/v1/customers/search")).willReturn(json(list("search_result"))));
        stub(post(urlPathEqualTo("/v1/products")), "product", Map.of("id", productId));
        stub(post(urlPathMatching("/v1/products/[^/]+")), "product", Map.of("id", productId, "active", false));
        stub(post(urlPathEqualTo("/v1/prices")), "price", Map.of("id", priceId));
        stub(post(urlPathMatching("/v1/prices/[^/]+")), "price", Map.of("id", priceId, "active", false));
        STRIPE.stubFor(get(urlPathEqualTo("/v1/checkout/sessions")).willReturn(json(list("list"))));
        stub(
                post(urlPathMatching("/v1/checkout/sessions/[^/]+/expire")),
                "checkout_session",
                Map.of("id", "cs_test_1", "status", "expired"));
        stub(get(urlPathMatching("/v1/subscriptions/[^/]+")), "subscription", Map.of("id", "sub_test_1"));
        stub(post(urlPathMatching("/v1/subscriptions/[^/]+")), "subscription", Map.of("id", "sub_test_1"));
        stub(
                delete(urlPathMatching("/v1/subscriptions/[^/]+")),
                "subscription",
                Map.of("id", "sub_test_1", "status", "canceled"));
        stub(
                post(urlPathEqualTo("/v1/billing_portal/sessions")),
                "billing_portal_session",
                Map.of("url", "https://billing.stripe.test/p/session/test_1"));
        stub(post(urlPathEqualTo("/v1/refunds")), "refund", Map.of("id", "re_test_1"));
    }

    /** Stripe's example object of a resource with some fields replaced. */
    protected static ObjectNode fixture(String resource, Map<String, Object> fields) {
        try (InputStream in = StripeIT.class.getResourceAsStream("/stripe/" + resource + ".json")) {
            ObjectNode node = (ObjectNode) JSON.readTree(in);
            fields.forEach((k, v) -> node.set(k, JSON.valueToTree(v)));
            return node;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static void stub(MappingBuilder request, String resource, Map<String, Object> fields) {
        STRIPE.stubFor(request.willReturn(json(fixture(resource, fields))));
    }

    protected static ObjectNode list(String object, ObjectNode... items) {
        ObjectNode list = JSON.createObjectNode();
        list.put("object", object);
        ArrayNode data = list.putArray("data");
        for (ObjectNode item : items) {
            data.add(item);
        }
        list.put("has_more", false);
        list.put("url", "/v1/test");
        return list;
    }

    protected static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(ObjectNode body) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(JSON.writeValueAsString(body));
    }

    /** A Stripe error answer ({@code {"error": {type, code, message}}}). */
    protected static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder stripeError(
            int status, String type, String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("type", type);
        error.put("code", code);
        error.put("message", message);
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(JSON.writeValueAsString(body));
    }

    /** The requests Stripe received for a method and path, oldest first. */
    protected static List<LoggedRequest> requests(String method, String path) {
        return STRIPE.getAllServeEvents().stream()
                .map(e -> e.getRequest())
                .sorted(java.util.Comparator.comparing(r -> r.getLoggedDate()))
                .filter(r -> r.getMethod().getName().equals(method)
                        && r.getUrl().split("\\?")[0].equals(path))
                .map(r -> (LoggedRequest) r)
                .toList();
    }

    /** A form-encoded Stripe request body, decoded ({@code metadata[user_id]} → value). */
    protected static Map<String, String> form(LoggedRequest request) {
        Map<String, String> form = new LinkedHashMap<>();
        String body = request.getBodyAsString();
        if (body == null || body.isEmpty()) {
            return form;
        }
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(
                    URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return form;
    }
}
