package dev.billing.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.platform.web.ProblemWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

class RateLimitFilterTest {

    private final JsonMapper json = JsonMapper.builder().build();
    private final RateLimitProperties props = new RateLimitProperties(
            "memory",
            3,
            Duration.ofSeconds(1),
            5,
            Duration.ofMinutes(1),
            List.of("/api/v1/auth/login"),
            10,
            Duration.ofSeconds(1),
            List.of("/webhooks/stripe"),
            0);
    private final RateLimitFilter filter = new RateLimitFilter(
            new InMemoryRateLimiterStore(Duration.ofMinutes(1), 1000),
            props,
            new ProblemWriter(json),
            json,
            DataSize.ofKilobytes(64));

    @Test
    void theEmailComesFromJsonOrTheOAuth2FormNormalised() {
        assertThat(email(MediaType.APPLICATION_JSON, "{\"email\":\"  Alice@Example.COM \",\"password\":\"x\"}"))
                .isEqualTo("alice@example.com");
        assertThat(email(
                        MediaType.APPLICATION_FORM_URLENCODED,
                        "grant_type=password&username=Bob%40Example.com&password=x"))
                .isEqualTo("bob@example.com");
        assertThat(email(
                        MediaType.parseMediaType("application/json;charset=UTF-8"), "{\"username\":\"c@example.com\"}"))
                .isEqualTo("c@example.com");
    }

    @Test
    void aBodyWithoutAnEmailOrNotJsonIsLimitedUnderNoEmail() {
        assertThat(email(MediaType.APPLICATION_JSON, "")).isEqualTo("-");
        assertThat(email(MediaType.APPLICATION_JSON, "not json {")).isEqualTo("-");
        assertThat(email(MediaType.APPLICATION_JSON, "{\"email\": 42}")).isEqualTo("-");
        assertThat(email(MediaType.APPLICATION_JSON, "[1,2]")).isEqualTo("-");
        assertThat(email(null, "{\"email\":\"d@example.com\"}")).isEqualTo("d@example.com");
        assertThat(email(MediaType.APPLICATION_FORM_URLENCODED, "password=x&username"))
                .isEqualTo("-");
    }

    @Test
    void theInMemoryBucketAllowsItsLimitThenSaysWhenToRetry() {
        var store = new InMemoryRateLimiterStore(Duration.ofMinutes(1), 1000);
        var limit = props.credentials();
        for (int i = 0; i < 5; i++) {
            StepVerifier.create(store.consume(limit, "k"))
                    .assertNext(d -> assertThat(d.allowed()).isTrue())
                    .verifyComplete();
        }
        StepVerifier.create(store.consume(limit, "k"))
                .assertNext(d -> {
                    assertThat(d.allowed()).isFalse();
                    assertThat(d.retryAfterSeconds()).isBetween(11L, 12L);
                })
                .verifyComplete();
        StepVerifier.create(store.consume(limit, "other"))
                .assertNext(d -> assertThat(d.allowed()).isTrue())
                .verifyComplete();
    }

    @Test
    void aLimitKnowsHowLongOneMoreRequestTakes() {
        assertThat(props.credentials().secondsPerRequest()).isEqualTo(12);
        assertThat(props.general().secondsPerRequest()).isEqualTo(1);
    }

    private String email(MediaType type, String body) {
        return filter.email(type, body.getBytes(StandardCharsets.UTF_8));
    }
}
