package dev.billing.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.platform.test.TestJwts;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/** The simulated provider's public checkout page, and {@code /internal/**} kept out. */
class CheckoutAndInternalIT extends GatewayTestSupport {

    @Test
    void theCheckoutPageIsPublicAndReachesPaymentService() {
        String session = marker();
        http().get()
                .uri("/checkout/" + session)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.service")
                .isEqualTo("payment-service");
        var received = payments.last("/checkout/" + session).orElseThrow();
        assertThat(received.method()).isEqualTo("GET");
        assertThat(received.uri()).isEqualTo("/checkout/" + session);
    }

    @Test
    void theCheckoutFormIsPostedWithoutATokenByteForByte() {
        String session = marker();
        byte[] form = "card=4242424242424242&name=Zo%C3%AB+M%C3%BCller&email=zoe%40example.com&note=a+b%26c"
                .getBytes(StandardCharsets.US_ASCII);
        http().post()
                .uri("/checkout/" + session)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue(form)
                .exchange()
                .expectStatus()
                .isOk();
        var received = payments.last("/checkout/" + session).orElseThrow();
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.body()).isEqualTo(form);
        assertThat(received.header(HttpHeaders.CONTENT_TYPE)).startsWith("application/x-www-form-urlencoded");
        assertThat(received.header(HttpHeaders.AUTHORIZATION)).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/internal/clock",
                "/internal/clock/advance",
                "/internal",
                "/INTERNAL/clock",
                "/internal;x=1/clock",
                "/%69nternal/clock",
            })
    void internalPathsAreDeniedForEveryoneAndNeverRouted(String path) {
        String admin = TestJwts.shared().token(UUID.randomUUID(), "ADMIN");
        for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.POST)) {
            for (String token : new String[] {null, admin}) {
                var request = http().method(method).uri(path);
                if (token != null) {
                    request = request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
                }
                request.contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"duration\":\"P31D\"}")
                        .exchange()
                        .expectStatus()
                        .isForbidden()
                        .expectHeader()
                        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
            }
        }
        for (FakeService service : List.of(auth, plans, subscriptions, payments, notifications, media)) {
            assertThat(service.count("nternal")).isZero();
        }
    }
}
