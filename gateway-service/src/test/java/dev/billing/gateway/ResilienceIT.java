package dev.billing.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

/** A dead service is a 503 problem, a hanging one a 504 problem in time; both recover. */
@ExtendWith(OutputCaptureExtension.class)
class ResilienceIT extends GatewayTestSupport {

    @Test
    void aDownedServiceAnswers503AndTheRouteRecoversWhenItIsBack() {
        String token = token();
        notifications.stop();
        try {
            for (int i = 0; i < 6; i++) {
                // a fresh connection per request: twice in CI, a request sent on the connection that
                // had just carried a 503 was never read by the gateway (no access-log line) and the
                // client timed out. Not reproduced locally; recorded as an open bug in the README.
                http().get()
                        .uri("/api/v1/notifications/me")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                        .header(HttpHeaders.CONNECTION, "close")
                        .exchange()
                        .expectStatus()
                        .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                        .expectHeader()
                        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                        .expectHeader()
                        .exists(HttpHeaders.RETRY_AFTER)
                        .expectBody()
                        .jsonPath("$.status")
                        .isEqualTo(503)
                        .jsonPath("$.detail")
                        .isEqualTo("The notification-service is unavailable. Try again shortly.");
            }
        } finally {
            notifications.start();
        }
        awaitOk("/api/v1/notifications/me", token);
    }

    @Test
    void aServiceThatDoesNotAnswerInTimeIsA504WithinTheTimeout(CapturedOutput output) {
        String token = token();
        String requestId = "slow-" + UUID.randomUUID();
        long start = System.nanoTime();
        http().get()
                .uri("/api/v1/payments/slow")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .header("X-Request-Id", requestId)
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.GATEWAY_TIMEOUT)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(504)
                .jsonPath("$.detail")
                .isEqualTo("The payment-service did not answer in time.");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // the configured timeout is 1.5 s; the fake would answer after 5 s
        assertThat(took).isBetween(Duration.ofMillis(1400), Duration.ofMillis(4000));
        // the gateway's warning names the request, so it can be found from the client's id
        assertThat(output.getOut().lines().filter(line -> line.contains("did not answer in time")))
                .anySatisfy(line -> assertThat(line).contains("\"requestId\":\"" + requestId + "\""));
        awaitOk("/api/v1/payments/me", token);
    }

    /**
     * Many requests in flight on one route all reach the service: nothing in the gateway caps a
     * route's concurrency (Spring Cloud CircuitBreaker's default semaphore bulkhead answered 503
     * to the 26th).
     */
    @Test
    void fortyConcurrentRequestsOnOneRouteAllReachTheService() {
        String token = token();
        String marker = marker();
        List<Integer> statuses = Flux.range(0, 40)
                .flatMap(
                        i -> WebClient.create("http://localhost:" + port)
                                .get()
                                .uri("/api/v1/plans/held/" + marker + "/" + i)
                                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                                .exchangeToMono(r -> r.releaseBody()
                                        .thenReturn(r.statusCode().value())),
                        40)
                .collectList()
                .block(Duration.ofSeconds(20));
        assertThat(statuses).hasSize(40).containsOnly(200);
        assertThat(plans.count(marker)).isEqualTo(40);
    }

    /** The breaker lets a trial call through after its open wait (1 s here) and closes. */
    private void awaitOk(String path, String token) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        int status = 0;
        while (System.nanoTime() < deadline) {
            status = http().get()
                    .uri(path)
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                    .exchange()
                    .returnResult(String.class)
                    .getStatus()
                    .value();
            if (status == 200) {
                return;
            }
            sleep(200);
        }
        assertThat(status).as(path + " recovers").isEqualTo(200);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
