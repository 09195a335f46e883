package dev.billing.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import dev.billing.platform.test.TestClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The signing-key cache against a real JWKS endpoint, with a clock the test moves. */
class JwksCacheTest {

    private final List<JWK> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private final TestClock clock = new TestClock();
    private HttpServer server;
    private JwksCache cache;

    @BeforeEach
    void start() throws Exception {
        published.add(key("k1"));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks", exchange -> {
            fetches.incrementAndGet();
            byte[] body = new JWKSet(List.copyOf(published)).toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        cache = new JwksCache(
                WebClient.create(),
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks"),
                Duration.ofMinutes(5),
                Duration.ofSeconds(10),
                clock);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void keysAreFetchedOnceAndCached() {
        assertThat(kids("k1")).containsExactly("k1");
        assertThat(kids("k1")).containsExactly("k1");
        assertThat(fetches).hasValue(1);
    }

    @Test
    void anUnknownKidRefetchesAtMostOncePerMinimumInterval() {
        assertThat(kids("k1")).containsExactly("k1");
        published.add(key("k2"));
        assertThat(kids("k2")).as("within 10 s of the last fetch").isEmpty();
        assertThat(fetches).hasValue(1);
        clock.advance(Duration.ofSeconds(10));
        assertThat(kids("k2")).containsExactly("k2");
        assertThat(fetches).hasValue(2);
        assertThat(kids("made-up")).isEmpty();
        assertThat(fetches).hasValue(2);
    }

    @Test
    void concurrentMissesShareOneFetch() {
        List<List<String>> all = Flux.range(0, 20)
                .flatMap(i -> cache.keysFor(header("k1")).map(JWK::getKeyID).collectList())
                .collectList()
                .block(Duration.ofSeconds(10));
        assertThat(all).hasSize(20).allSatisfy(kids -> assertThat(kids).containsExactly("k1"));
        assertThat(fetches).hasValue(1);
    }

    @Test
    void afterTheTtlKeysAreFetchedAgainAndAnOutageKeepsTheOldOnes() {
        assertThat(kids("k1")).containsExactly("k1");
        clock.advance(Duration.ofMinutes(6));
        assertThat(kids("k1")).containsExactly("k1");
        assertThat(fetches).hasValue(2);
        server.stop(0);
        clock.advance(Duration.ofMinutes(6));
        assertThat(kids("k1")).as("JWKS down: the held keys still verify").containsExactly("k1");
    }

    @Test
    void withoutAnyKeysAnOutageIsAnError() {
        server.stop(0);
        Mono<List<JWK>> keys = cache.keysFor(header("k1")).collectList();
        assertThat(keys.onErrorReturn(List.of()).block(Duration.ofSeconds(10))).isEmpty();
        assertThat(keys.map(List::size).onErrorReturn(-1).block(Duration.ofSeconds(10)))
                .isEqualTo(-1);
    }

    private List<String> kids(String kid) {
        return cache.keysFor(header(kid)).map(JWK::getKeyID).collectList().block(Duration.ofSeconds(10));
    }

    private static JWSHeader header(String kid) {
        return new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build();
    }

    private static JWK key(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate().toPublicJWK();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
