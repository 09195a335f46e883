package dev.billing.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

/**
 * Rate limits, in memory (no Redis configured): per user, per anonymous IP, and much stricter per
 * IP + email on credential requests. Test settings: 200 a minute per user or IP, 5 a minute per
 * IP + email; the client IP comes from X-Forwarded-For (one trusted proxy).
 */
class RateLimitIT extends GatewayTestSupport {

    @Test
    void bruteForceLoginFromOneIpAndEmailIs429WithRetryAfterWhileAnotherEmailStillPasses() {
        String ip = randomIp();
        String email = "victim-" + UUID.randomUUID() + "@example.com";
        for (int i = 0; i < 5; i++) {
            login(ip, email).expectStatus().isOk();
        }
        String marker = marker();
        http().post()
                .uri("/api/v1/auth/login?t=" + marker)
                .header("X-Forwarded-For", ip)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"email\":\"" + email + "\",\"password\":\"guess-6\"}")
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader()
                .valueEquals(HttpHeaders.RETRY_AFTER, "12") // 5 a minute: one more every 12 s
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(429);
        assertThat(auth.count(marker))
                .as("the 6th attempt never reaches auth-service")
                .isZero();

        // the same email however it is written
        login(ip, "  " + email.toUpperCase() + " ").expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        // another email from the same IP, and the same email from another IP, still pass
        login(ip, "someone-else-" + UUID.randomUUID() + "@example.com")
                .expectStatus()
                .isOk();
        login(randomIp(), email).expectStatus().isOk();
    }

    @Test
    void everyCredentialEndpointIsLimitedIncludingTheOAuth2FormOne() {
        for (String path : new String[] {
            "/api/v1/auth/register",
            "/api/v1/auth/password-reset",
            "/api/v1/auth/login-code",
            "/api/v1/auth/login-code/verify"
        }) {
            String ip = randomIp();
            String body = "{\"email\":\"u-" + UUID.randomUUID() + "@example.com\"}";
            for (int i = 0; i < 5; i++) {
                post(path, ip, MediaType.APPLICATION_JSON, body).expectStatus().isOk();
            }
            post(path, ip, MediaType.APPLICATION_JSON, body).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        }
        String ip = randomIp();
        String form = "grant_type=password&username=u-" + UUID.randomUUID() + "%40example.com&password=x";
        for (int i = 0; i < 5; i++) {
            post("/api/v1/auth/token", ip, MediaType.APPLICATION_FORM_URLENCODED, form)
                    .expectStatus()
                    .isOk();
        }
        post("/api/v1/auth/token", ip, MediaType.APPLICATION_FORM_URLENCODED, form)
                .expectStatus()
                .isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader()
                .exists(HttpHeaders.RETRY_AFTER);
    }

    @Test
    void aCredentialRequestBodyReachesTheServiceByteForByte() {
        String marker = marker();
        byte[] body = ("{ \"email\" :\t\"José+" + marker
                        + "@example.com\",\n  \"password\": \"pä ss \\u00e9 😀\"  }\r\n")
                .getBytes(StandardCharsets.UTF_8);
        http().post()
                .uri("/api/v1/auth/login?t=" + marker)
                .header("X-Forwarded-For", randomIp())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isOk();
        assertThat(auth.last(marker).orElseThrow().body()).isEqualTo(body);
    }

    @Test
    void eachUserHasTheirOwnLimit() {
        String token = token();
        int allowed = 0;
        org.springframework.test.web.reactive.server.FluxExchangeResult<String> result;
        do {
            result = http().get()
                    .uri("/api/v1/auth/me")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                    .exchange()
                    .returnResult(String.class);
            if (result.getStatus().value() == 200) {
                allowed++;
            }
        } while (result.getStatus().value() == 200 && allowed < 300);
        assertThat(result.getStatus().value()).isEqualTo(429);
        assertThat(allowed).isBetween(200, 260);
        assertThat(result.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER))
                .isNotBlank();
        assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        // another user is not affected
        http().get()
                .uri("/api/v1/auth/me")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token())
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void anonymousCallersAreLimitedPerIp() {
        String ip = randomIp();
        int allowed = 0;
        int status = 200;
        while (status == 200 && allowed < 300) {
            status = http().get()
                    .uri("/api/v1/plans")
                    .header("X-Forwarded-For", ip)
                    .exchange()
                    .returnResult(String.class)
                    .getStatus()
                    .value();
            if (status == 200) {
                allowed++;
            }
        }
        assertThat(status).isEqualTo(429);
        assertThat(allowed).isBetween(200, 260);
        http().get()
                .uri("/api/v1/plans")
                .header("X-Forwarded-For", randomIp())
                .exchange()
                .expectStatus()
                .isOk();
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec login(String ip, String email) {
        return post(
                "/api/v1/auth/login",
                ip,
                MediaType.APPLICATION_JSON,
                "{\"email\":\"" + email + "\",\"password\":\"guess\"}");
    }

    /**
     * Stripe posts many events from few addresses: webhooks have their own per-IP limit (250 an
     * hour here) instead of the general one (200 a minute), and still end in a 429 past it.
     */
    @Test
    void webhooksFromOneIpHaveTheirOwnHigherLimit() {
        String ip = randomIp();
        String marker = marker();
        List<Integer> statuses = Flux.range(0, 260)
                .concatMap(i -> WebClient.create("http://localhost:" + port)
                        .post()
                        .uri("/webhooks/stripe?t=" + marker)
                        .header("X-Forwarded-For", ip)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"id\":\"evt_" + i + "\"}")
                        .exchangeToMono(
                                r -> r.releaseBody().thenReturn(r.statusCode().value())))
                .collectList()
                .block(Duration.ofSeconds(60));
        assertThat(statuses.subList(0, 250)).containsOnly(200);
        assertThat(statuses.subList(250, 260)).containsOnly(429);
        assertThat(payments.count(marker)).isEqualTo(250);
        // the general limit of that IP is untouched
        http().get()
                .uri("/api/v1/plans?t=" + marker)
                .header("X-Forwarded-For", ip)
                .exchange()
                .expectStatus()
                .isOk();
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec post(
            String path, String ip, MediaType type, String body) {
        return http().post()
                .uri(path)
                .header("X-Forwarded-For", ip)
                .contentType(type)
                .bodyValue(body)
                .exchange();
    }

    static String randomIp() {
        var random = ThreadLocalRandom.current();
        return "198.51." + random.nextInt(256) + "." + random.nextInt(1, 255);
    }
}
