package dev.billing.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billing.platform.test.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

class VerifiedTokensTest {

    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    /** Stands in for the Nimbus decoder: "good-*" tokens verify (expiring at NOW + 15 min), others fail. */
    static final class Verifier implements ReactiveJwtDecoder {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public Mono<Jwt> decode(String token) {
            calls.incrementAndGet();
            if (!token.startsWith("good-")) {
                return Mono.error(new BadJwtException("bad signature"));
            }
            return Mono.just(Jwt.withTokenValue(token)
                    .header("alg", "RS256")
                    .subject(token)
                    .issuedAt(NOW)
                    .expiresAt(NOW.plus(Duration.ofMinutes(15)))
                    .build());
        }
    }

    private final Verifier verifier = new Verifier();
    private final TestClock clock = new TestClock(NOW);
    private final VerifiedTokens tokens = new VerifiedTokens(verifier, Duration.ofMinutes(5), 1000, clock);

    @Test
    void aTokenIsVerifiedOnceThenRemembered() {
        assertThat(tokens.decode("good-a").block().getSubject()).isEqualTo("good-a");
        assertThat(tokens.decode("good-a").block().getSubject()).isEqualTo("good-a");
        assertThat(tokens.decode("good-b").block().getSubject()).isEqualTo("good-b");
        assertThat(verifier.calls).hasValue(2);
    }

    @Test
    void failuresAreNotRemembered() {
        assertThatThrownBy(() -> tokens.decode("forged").block()).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> tokens.decode("forged").block()).isInstanceOf(BadJwtException.class);
        assertThat(verifier.calls).hasValue(2);
    }

    @Test
    void aRememberedTokenPastItsExpiryIsVerifiedAgain() {
        tokens.decode("good-a").block();
        clock.advance(Duration.ofMinutes(16));
        tokens.decode("good-a").block();
        assertThat(verifier.calls).hasValue(2);
    }
}
