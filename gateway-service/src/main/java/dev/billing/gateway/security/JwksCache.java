package dev.billing.gateway.security;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * auth-service's published signing keys, cached. Keys are fetched again when the cache is older
 * than {@code ttl}, and at once when a token names a {@code kid} the cache does not hold (a key
 * rotation), but not more often than {@code minRefreshInterval}. One fetch at a time; if a
 * fetch fails, the keys already held keep verifying.
 */
final class JwksCache {

    private static final Logger log = LoggerFactory.getLogger(JwksCache.class);

    private record Snapshot(JWKSet keys, Instant fetchedAt) {}

    private final WebClient web;
    private final URI uri;
    private final Duration ttl;
    private final Duration minRefreshInterval;
    private final Clock clock;
    private final AtomicReference<Snapshot> current = new AtomicReference<>();
    private final AtomicReference<Mono<Snapshot>> inflight = new AtomicReference<>();

    JwksCache(WebClient web, URI uri, Duration ttl, Duration minRefreshInterval, Clock clock) {
        this.web = web;
        this.uri = uri;
        this.ttl = ttl;
        this.minRefreshInterval = minRefreshInterval;
        this.clock = clock;
    }

    /** The keys that may have signed a token with this header. */
    Flux<JWK> keysFor(JWSHeader header) {
        JWKSelector selector = new JWKSelector(JWKMatcher.forJWSHeader(header));
        return snapshot()
                .flatMap(snapshot -> {
                    List<JWK> keys = selector.select(snapshot.keys());
                    if (!keys.isEmpty() || !mayRefresh(snapshot)) {
                        return Mono.just(keys);
                    }
                    log.info("token signed with unknown key id {}: fetching the signing keys again", header.getKeyID());
                    return refresh().map(fresh -> selector.select(fresh.keys()));
                })
                .flatMapMany(Flux::fromIterable);
    }

    private Mono<Snapshot> snapshot() {
        Snapshot held = current.get();
        if (held != null && age(held).compareTo(ttl) < 0) {
            return Mono.just(held);
        }
        return refresh().onErrorResume(e -> {
            if (held == null) {
                return Mono.error(e);
            }
            log.warn("could not refresh the signing keys from {}: using the ones held", uri, e);
            return Mono.just(held);
        });
    }

    private boolean mayRefresh(Snapshot snapshot) {
        return age(snapshot).compareTo(minRefreshInterval) >= 0;
    }

    private Duration age(Snapshot snapshot) {
        return Duration.between(snapshot.fetchedAt(), clock.instant());
    }

    private Mono<Snapshot> refresh() {
        while (true) {
            Mono<Snapshot> running = inflight.get();
            if (running != null) {
                return running;
            }
            AtomicReference<Mono<Snapshot>> self = new AtomicReference<>();
            // done before the result reaches anyone (doFinally would run after: a caller could
            // then be handed this finished fetch again instead of a new one)
            Mono<Snapshot> fetch = fetch().doOnNext(snapshot -> {
                        current.set(snapshot);
                        inflight.compareAndSet(self.get(), null);
                    })
                    .doOnError(e -> inflight.compareAndSet(self.get(), null))
                    .doFinally(signal -> inflight.compareAndSet(self.get(), null))
                    .cache();
            self.set(fetch);
            if (inflight.compareAndSet(null, fetch)) {
                return fetch;
            }
        }
    }

    private Mono<Snapshot> fetch() {
        return web.get()
                .uri(uri)
                .retrieve()
                .bodyToMono(String.class)
                .timeout(Duration.ofSeconds(5))
                .map(body -> {
                    try {
                        return new Snapshot(JWKSet.parse(body), clock.instant());
                    } catch (ParseException e) {
                        throw new IllegalStateException("the JWKS at " + uri + " is not a JWK set", e);
                    }
                });
    }
}
