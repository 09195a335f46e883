package dev.billing.auth.key.application;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import dev.billing.auth.config.AuthProperties;
import dev.billing.auth.key.domain.KeyCipher;
import dev.billing.auth.key.domain.SigningKey;
import dev.billing.auth.key.persistence.SigningKeyRepository;
import dev.billing.auth.key.persistence.SigningKeyRepository.KeyRow;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The signing keys, shared by every replica through the {@code signing_keys} table. Each replica
 * keeps a copy for {@code auth.keys.cache-ttl} and re-reads it when a token names a key it does
 * not know (a key another replica just created). Creation and rotation take a database lock, so
 * several replicas starting or rotating at once still end with exactly one current key (a unique
 * index enforces it as well).
 */
@Service
public class KeyStore {

    private static final Logger log = LoggerFactory.getLogger(KeyStore.class);
    private static final String ALGORITHM = "RS256";

    private record Snapshot(List<SigningKey> keys, Instant loadedAt) {
        SigningKey current() {
            return keys.stream().filter(SigningKey::isCurrent).findFirst().orElse(null);
        }
    }

    private final SigningKeyRepository repository;
    private final TransactionalOperator tx;
    private final Clock clock;
    private final AuthProperties props;
    private final KeyCipher cipher;
    private final Map<String, RSAKey> decrypted = new ConcurrentHashMap<>();
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();
    private final AtomicLong lastUnknownKidReload = new AtomicLong(System.nanoTime() - TimeUnit.SECONDS.toNanos(10));

    KeyStore(SigningKeyRepository repository, TransactionalOperator tx, Clock clock, AuthProperties props) {
        this.repository = repository;
        this.tx = tx;
        this.clock = clock;
        this.props = props;
        this.cipher = new KeyCipher(props.keys().encryptionSecret());
    }

    /** The key that signs new tokens; created on first use if the table has none. */
    public Mono<SigningKey> signer() {
        return snapshot()
                .flatMap(s -> s.current() != null
                        ? Mono.just(s.current())
                        : ensureCurrent().then(reload()).mapNotNull(Snapshot::current));
    }

    /** The public halves of every key that may still have live tokens (the JWKS). */
    public Mono<List<JWK>> publishedKeys() {
        return snapshot().map(s -> s.keys().stream()
                .filter(k -> k.verifiesAt(clock.instant(), props.keyRetention()))
                .map(k -> (JWK) k.jwk().toPublicJWK())
                .toList());
    }

    /** The public key with this id, if it still verifies; re-reads the table for an unknown id (rate-limited). */
    public Flux<JWK> verificationKey(String kid) {
        if (kid == null) {
            return Flux.empty();
        }
        return snapshot()
                .flatMap(s -> find(s, kid) != null || !mayReload() ? Mono.just(s) : reload())
                .flatMapMany(s -> {
                    SigningKey key = find(s, kid);
                    return key == null ? Flux.empty() : Flux.just(key.jwk().toPublicJWK());
                });
    }

    /** Creates the first key unless one exists (any replica may call it; the lock makes it once). */
    public Mono<Void> ensureCurrent() {
        return tx.transactional(repository
                        .lock()
                        .then(repository.current().hasElement())
                        .flatMap(exists -> exists ? Mono.empty() : insertNew()))
                .then();
    }

    /** Retires the current key and makes a new one the signer; returns the new key. */
    public Mono<SigningKey> rotate() {
        return tx.transactional(repository
                        .lock()
                        .then(repository.retireCurrent(clock.instant()))
                        .then(insertNew()))
                .flatMap(kid -> reload().mapNotNull(s -> find(s, kid)))
                .doOnNext(key -> log.info("signing key rotated: {} now signs", key.kid()));
    }

    /** Rotates when the current key is older than {@code auth.keys.rotation-interval}. */
    public Mono<Boolean> rotateIfDue() {
        Instant now = clock.instant();
        return tx.transactional(repository
                        .lock()
                        .then(repository.current())
                        .filter(row -> new SigningKey(row.kid(), null, row.createdAt(), null)
                                .rotationDue(now, props.keys().rotationInterval()))
                        .flatMap(row -> repository.retireCurrent(now).then(insertNew())))
                .flatMap(kid -> reload().doOnNext(s -> log.info("signing key rotated on schedule: {} now signs", kid)))
                .map(s -> true)
                .defaultIfEmpty(false);
    }

    private Mono<String> insertNew() {
        String kid = UUID.randomUUID().toString();
        Instant now = clock.instant();
        return Mono.fromCallable(() -> {
                    SigningKey key = SigningKey.generate(kid, now);
                    String encrypted = cipher.encrypt(key.jwk().toJSONString().getBytes(StandardCharsets.UTF_8), kid);
                    decrypted.put(kid, key.jwk());
                    return new KeyRow(kid, ALGORITHM, key.jwk().toPublicJWK().toJSONString(), encrypted, now, null);
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(row -> repository.insert(row).thenReturn(kid));
    }

    private Mono<Snapshot> snapshot() {
        Snapshot s = snapshot.get();
        if (s != null && s.loadedAt().plus(props.keys().cacheTtl()).isAfter(clock.instant())) {
            return Mono.just(s);
        }
        return reload();
    }

    private Mono<Snapshot> reload() {
        Instant now = clock.instant();
        return repository
                .usable(now.minus(props.keyRetention()))
                .concatMap(this::toKey)
                .collectList()
                .map(keys -> {
                    Snapshot fresh = new Snapshot(List.copyOf(keys), now);
                    snapshot.set(fresh);
                    return fresh;
                });
    }

    private Mono<SigningKey> toKey(KeyRow row) {
        RSAKey known = decrypted.get(row.kid());
        Mono<RSAKey> jwk = known != null
                ? Mono.just(known)
                : Mono.fromCallable(() -> {
                            byte[] plain = cipher.decrypt(row.privateKeyEncrypted(), row.kid());
                            RSAKey key = RSAKey.parse(new String(plain, StandardCharsets.UTF_8));
                            decrypted.put(row.kid(), key);
                            return key;
                        })
                        .subscribeOn(Schedulers.boundedElastic())
                        .onErrorMap(ParseException.class, e -> new IllegalStateException("corrupt signing key", e));
        return jwk.map(key -> new SigningKey(row.kid(), key, row.createdAt(), row.retiredAt()));
    }

    private SigningKey find(Snapshot s, String kid) {
        return s.keys().stream()
                .filter(k -> k.kid().equals(kid) && k.verifiesAt(clock.instant(), props.keyRetention()))
                .findFirst()
                .orElse(null);
    }

    private boolean mayReload() {
        long now = System.nanoTime();
        long last = lastUnknownKidReload.get();
        return now - last > TimeUnit.SECONDS.toNanos(1) && lastUnknownKidReload.compareAndSet(last, now);
    }
}
