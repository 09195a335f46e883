package dev.billing.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import reactor.core.publisher.Flux;

/** Stripe webhooks untouched, request ids, CORS and the request size limit. */
@ExtendWith(OutputCaptureExtension.class)
class EdgeIT extends GatewayTestSupport {

    @Test
    void aStripeWebhookReachesPaymentServiceByteForByte() {
        String marker = marker();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.writeBytes(("{\n  \"id\": \"evt_" + marker
                        + "\",\r\n\t\"object\":\"event\" ,  \"data\": {\"name\": \"Zoë 😀 \\u00e9\","
                        + " \"amount\":  1999 }   }\n\n")
                .getBytes(StandardCharsets.UTF_8));
        raw.writeBytes(new byte[] {(byte) 0xC3, (byte) 0xA9, ' ', '\t', 0x7f}); // odd tail, still UTF-8
        byte[] body = raw.toByteArray();
        String signature = "t=1700000000,v1=" + "ab".repeat(32);
        http().post()
                .uri("/webhooks/stripe?t=" + marker)
                .header("Stripe-Signature", signature)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isOk();
        var received = payments.last(marker).orElseThrow();
        assertThat(received.body()).isEqualTo(body);
        assertThat(received.header("Stripe-Signature")).isEqualTo(signature);
        assertThat(received.header(HttpHeaders.CONTENT_TYPE)).isEqualTo("application/json");
    }

    @Test
    void aChunkedWebhookBodyIsAlsoPassedUnchanged() {
        String marker = marker();
        byte[] first = ("{\"id\":\"evt_" + marker + "\",").getBytes(StandardCharsets.UTF_8);
        byte[] second = " \"x\" : \"ü\" }\n".getBytes(StandardCharsets.UTF_8);
        Flux<DataBuffer> chunks = Flux.just(
                DefaultDataBufferFactory.sharedInstance.wrap(first),
                DefaultDataBufferFactory.sharedInstance.wrap(second));
        http().post()
                .uri("/webhooks/stripe?t=" + marker)
                .contentType(MediaType.APPLICATION_JSON)
                .body(chunks, DataBuffer.class)
                .exchange()
                .expectStatus()
                .isOk();
        byte[] expected = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, expected, first.length, second.length);
        assertThat(payments.last(marker).orElseThrow().body()).isEqualTo(expected);
    }

    @Test
    void aSaneRequestIdIsKeptPropagatedEchoedAndLogged(CapturedOutput output) throws InterruptedException {
        String marker = marker();
        String id = "client-" + UUID.randomUUID();
        http().get()
                .uri("/api/v1/plans?t=" + marker)
                .header("X-Request-Id", id)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("X-Request-Id", id);
        assertThat(plans.last(marker).orElseThrow().header("X-Request-Id")).isEqualTo(id);
        // and the trace context goes downstream too (W3C trace context)
        String traceparent = plans.last(marker).orElseThrow().header("traceparent");
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
        String traceId = traceparent.split("-")[1];
        // the access-log line is written as the exchange completes, maybe just after the client has the answer
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!output.getOut().contains("\"requestId\":\"" + id + "\"") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(output.getOut()).contains("\"requestId\":\"" + id + "\"");
        String accessLine = output.getOut()
                .lines()
                .filter(line -> line.contains("\"requestId\":\"" + id + "\""))
                .findFirst()
                .orElseThrow();
        // the same trace id as the one sent downstream, so the line joins the services' logs
        assertThat(accessLine).contains("\"traceId\":\"" + traceId + "\"");
    }

    @Test
    void aMissingOrInsaneRequestIdIsReplacedByAFreshOne() {
        for (String sent : new String[] {null, "", "a b", "x".repeat(200), "<script>", "id\u00e9"}) {
            String marker = marker();
            var spec = http().get().uri("/api/v1/plans?t=" + marker);
            if (sent != null) {
                spec = spec.header("X-Request-Id", sent);
            }
            String echoed = spec.exchange()
                    .expectStatus()
                    .isOk()
                    .returnResult(String.class)
                    .getResponseHeaders()
                    .getFirst("X-Request-Id");
            assertThat(echoed).isNotEqualTo(sent);
            assertThat(UUID.fromString(echoed)).isNotNull();
            assertThat(plans.last(marker).orElseThrow().header("X-Request-Id")).isEqualTo(echoed);
        }
    }

    @Test
    void errorsAnsweredAtTheGatewayCarryTheRequestIdToo() {
        http().get()
                .uri("/api/v1/subscriptions/me")
                .header("X-Request-Id", "req-401")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .valueEquals("X-Request-Id", "req-401");
    }

    @Test
    void anAllowedOriginGetsItsPreflightAnsweredWithoutAToken() {
        http().options()
                .uri("/api/v1/subscriptions/me")
                .header(HttpHeaders.ORIGIN, "https://app.example.com")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "Authorization")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "https://app.example.com")
                .expectHeader()
                .value(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, methods -> assertThat(methods)
                        .contains("GET"))
                .expectHeader()
                .value(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, headers -> assertThat(headers)
                        .containsIgnoringCase("Authorization"));
        // and the actual request gets the header once (the service's own CORS headers are dropped)
        http().get()
                .uri("/api/v1/plans")
                .header(HttpHeaders.ORIGIN, "https://app.example.com")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valuesMatch(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "https://app.example.com");
    }

    @Test
    void anOriginNotListedIsRefused() {
        http().options()
                .uri("/api/v1/plans")
                .header(HttpHeaders.ORIGIN, "https://evil.example.com")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET")
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
    }

    @Test
    void aBodyOverTheLimitIs413AndNeverReachesTheService() {
        String marker = marker();
        byte[] big = new byte[65 * 1024]; // the test limit is 64KB
        Arrays.fill(big, (byte) 'a');
        http().post()
                .uri("/webhooks/stripe?t=" + marker)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(big)
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(payments.count(marker)).isZero();
    }

    @Test
    void aChunkedBodyOverTheLimitIs413TooAndDoesNotCountAgainstTheService() {
        String marker = marker();
        byte[] chunk = new byte[16 * 1024];
        Arrays.fill(chunk, (byte) 'b');
        for (int attempt = 0; attempt < 6; attempt++) {
            Flux<DataBuffer> chunks =
                    Flux.range(0, 5).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(chunk.clone()));
            http().post()
                    .uri("/webhooks/stripe?t=" + marker)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(chunks, DataBuffer.class)
                    .exchange()
                    .expectStatus()
                    .isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                    .expectHeader()
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
        // the client's fault never opens payment-service's breaker
        http().post()
                .uri("/webhooks/stripe?t=" + marker)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}")
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void anUnknownPathIsA404Problem() {
        http().get()
                .uri("/api/v1/nothing-here")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token())
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void badInputIsNeverA500() throws Exception {
        for (String path : new String[] {
            "/api/v1/plans/%zz",
            "/api/v1/plans?q=%",
            "/api/v1/plans/..%2f..%2factuator",
            "/api/v1/auth/login",
            "/%00",
            "/api/v1/plans/" + "x".repeat(3000)
        }) {
            String status = rawPost(path, "{not json");
            assertThat(status).as(path).matches("HTTP/1\\.1 [1-4]\\d\\d.*");
        }
    }

    /** A request as bytes on a socket, so that paths no HTTP client would send can be sent. */
    private String rawPost(String path, String body) throws java.io.IOException {
        try (var socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "X-Forwarded-For: " + RateLimitIT.randomIp() + "\r\nContent-Length: " + bytes.length
                    + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            var reader = new java.io.BufferedReader(
                    new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String status = reader.readLine();
            return status == null ? "" : status;
        }
    }
}
