package dev.billing.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With {@code REDIS_HOST} set, the buckets live in a real Redis server (Spring Cloud Gateway's
 * Redis limiter). Skipped, with the reason printed, only where no Redis server can run.
 */
class RedisRateLimitIT extends GatewayTestSupport {

    static final String[] whyNot = new String[1];
    static final RedisServerProcess redis = RedisServerProcess.start(whyNot).orElse(null);

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        // without a server the context still starts (on an unused port); the tests are skipped
        registry.add("REDIS_HOST", () -> "127.0.0.1");
        registry.add("REDIS_PORT", () -> redis == null ? "1" : Integer.toString(redis.port));
    }

    @BeforeAll
    static void requireRedis() {
        if (redis == null) {
            System.out.println("RedisRateLimitIT skipped: " + whyNot[0]);
        }
        Assumptions.assumeTrue(redis != null, () -> "no Redis server: " + whyNot[0]);
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.stop();
        }
    }

    @Autowired
    ReactiveStringRedisTemplate template;

    @Test
    void bruteForceLoginIsLimitedInRedisPerIpAndEmail() {
        String ip = RateLimitIT.randomIp();
        String email = "redis-" + UUID.randomUUID() + "@example.com";
        for (int i = 0; i < 5; i++) {
            login(ip, email).expectStatus().isOk();
        }
        login(ip, email)
                .expectStatus()
                .isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader()
                .valueEquals(HttpHeaders.RETRY_AFTER, "12")
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        login(ip, "other-" + email).expectStatus().isOk();

        // the bucket is in Redis, where every gateway replica sees it
        var keys = template.keys("request_rate_limiter.{credentials.*:email:" + email + "}.tokens")
                .collectList()
                .block(Duration.ofSeconds(5));
        assertThat(keys).hasSize(1);
        assertThat(keys.getFirst()).contains(ip);
    }

    @Test
    void usersAreLimitedInRedisToo() {
        String token = token();
        http().get()
                .uri("/api/v1/auth/me")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange()
                .expectStatus()
                .isOk();
        var keys = template.keys("request_rate_limiter.{general.user:*}.tokens")
                .collectList()
                .block(Duration.ofSeconds(5));
        assertThat(keys).isNotEmpty();
    }

    @Test
    void healthReportsRedis() {
        http().get()
                .uri("/health")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.redis")
                .isEqualTo("UP");
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec login(String ip, String email) {
        return http().post()
                .uri("/api/v1/auth/login")
                .header("X-Forwarded-For", ip)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"email\":\"" + email + "\",\"password\":\"guess\"}")
                .exchange();
    }
}
