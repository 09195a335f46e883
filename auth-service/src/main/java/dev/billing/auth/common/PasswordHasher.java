package dev.billing.auth.common;

import dev.billing.auth.config.AuthProperties;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Argon2id for passwords and one-time codes. Hashing is deliberately slow and blocking, so it runs
 * on {@code boundedElastic}, never on the event loop. {@link #matchesOrDummy} hashes even when
 * there is no stored hash (unknown user), so that an unknown email costs the same time as a wrong
 * password.
 */
@Component
public class PasswordHasher {

    private final Argon2PasswordEncoder encoder;
    private final Mono<String> dummyHash;

    PasswordHasher(AuthProperties props) {
        var a = props.argon2();
        this.encoder = new Argon2PasswordEncoder(
                a.saltLength(), a.hashLength(), a.parallelism(), a.memoryKib(), a.iterations());
        this.dummyHash = hash("dummy-password-for-unknown-users").cache();
    }

    public Mono<String> hash(String raw) {
        return Mono.fromCallable(() -> encoder.encode(raw)).subscribeOn(Schedulers.boundedElastic());
    }

    /** Whether {@code raw} matches {@code hash}; a null hash is compared with a dummy and never matches. */
    public Mono<Boolean> matchesOrDummy(String raw, String hash) {
        String candidate = raw == null ? "" : raw;
        if (hash == null) {
            return dummyHash
                    .flatMap(dummy -> Mono.fromCallable(() -> encoder.matches(candidate, dummy))
                            .subscribeOn(Schedulers.boundedElastic()))
                    .thenReturn(false);
        }
        return Mono.fromCallable(() -> encoder.matches(candidate, hash)).subscribeOn(Schedulers.boundedElastic());
    }
}
