package dev.billing.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stripe's API as payment-service's Stripe provider uses it, served by WireMock in the test JVM
 * with bodies from Stripe's own example objects (payment-service's test fixtures, taken from
 * fixtures3.json): every create answers a fresh id, lists and searches answer empty.
 */
final class FakeStripe implements AutoCloseable {

    private static final String FRESH_ID = "{{randomValue length=14 type='ALPHANUMERIC'}}";

    private final WireMockServer server =
            new WireMockServer(options().dynamicPort().globalTemplating(true));
    private final JsonMapper json = JsonMapper.builder().build();
    private final Path fixtures;

    FakeStripe(Path repositoryRoot) {
        this.fixtures = repositoryRoot.resolve("payment-service/src/test/resources/stripe");
        server.start();
        create("/v1/customers", "customer.json", "cus_e2e", Map.of());
        create("/v1/products", "product.json", "prod_e2e", Map.of("active", true));
        create("/v1/prices", "price.json", "price_e2e", Map.of("active", true));
        create(
                "/v1/checkout/sessions",
                "checkout_session.json",
                "cs_test_e2e",
                Map.of(
                        "mode",
                        "subscription",
                        "status",
                        "open",
                        "url",
                        "https://checkout.stripe.com/c/pay/cs_test_e2e"));
        create("/v1/billing_portal/sessions", "billing_portal_session.json", "bps_e2e", Map.of());
        stub(post(urlPathMatching("/v1/(products|prices)/[^/]+")), "product.json", Map.of());
        stub(
                post(urlPathMatching("/v1/checkout/sessions/[^/]+/expire")),
                "checkout_session.json",
                Map.of("status", "expired"));
        stub(get(urlPathMatching("/v1/subscriptions/[^/]+")), "subscription.json", Map.of());
        stub(post(urlPathMatching("/v1/subscriptions/[^/]+")), "subscription.json", Map.of());
        stub(delete(urlPathMatching("/v1/subscriptions/[^/]+")), "subscription.json", Map.of("status", "canceled"));
        for (String list : List.of("/v1/customers/search", "/v1/prices", "/v1/products", "/v1/checkout/sessions")) {
            server.stubFor(get(urlPathEqualTo(list))
                    .willReturn(aResponse()
                            .withHeader("Content-Type", "application/json")
                            .withBody(
                                    "{\"object\":\"list\",\"data\":[],\"has_more\":false,\"url\":\"" + list + "\"}")));
        }
    }

    String baseUrl() {
        return server.baseUrl();
    }

    /** The form parameters of every request posted to {@code path}, oldest first. */
    List<Map<String, String>> posted(String path) {
        return server.findAll(postRequestedFor(urlPathEqualTo(path))).stream()
                .map(FakeStripe::form)
                .toList();
    }

    /** The Idempotency-Key headers sent with posts to {@code path}. */
    List<String> idempotencyKeys(String path) {
        return server.findAll(postRequestedFor(urlPathEqualTo(path))).stream()
                .map(r -> r.getHeader("Idempotency-Key"))
                .toList();
    }

    private void create(String path, String fixture, String idPrefix, Map<String, Object> fields) {
        Map<String, Object> all = new LinkedHashMap<>(fields);
        all.put("id", idPrefix + FRESH_ID);
        stub(post(urlPathEqualTo(path)), fixture, all);
    }

    private void stub(
            com.github.tomakehurst.wiremock.client.MappingBuilder request, String fixture, Map<String, Object> fields) {
        ObjectNode body = fixture(fixture);
        fields.forEach((k, v) -> body.set(k, json.valueToTree(v)));
        server.stubFor(request.willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withHeader("Request-Id", "req_e2e")
                .withBody(json.writeValueAsString(body))));
    }

    ObjectNode fixture(String name) {
        try {
            return (ObjectNode) json.readTree(Files.readString(fixtures.resolve(name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> form(LoggedRequest request) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : request.getBodyAsString().split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    @Override
    public void close() {
        server.stop();
    }
}
