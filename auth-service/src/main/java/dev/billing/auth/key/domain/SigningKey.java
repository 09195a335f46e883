package dev.billing.auth.key.domain;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.time.Duration;
import java.time.Instant;

/**
 * A token signing key (RS256, 2048 bits). The current key ({@code retiredAt == null}) signs; a
 * retired key only verifies, until {@code retiredAt + retention} (the lifetime of the last tokens
 * it signed), after which it is no longer published.
 */
public record SigningKey(String kid, RSAKey jwk, Instant createdAt, Instant retiredAt) {

    public static SigningKey generate(String kid, Instant now) {
        try {
            RSAKey jwk = new RSAKeyGenerator(2048)
                    .keyID(kid)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .generate();
            return new SigningKey(kid, jwk, now, null);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean isCurrent() {
        return retiredAt == null;
    }

    /** Whether tokens it signed may still be alive at {@code now}. */
    public boolean verifiesAt(Instant now, Duration retention) {
        return retiredAt == null || retiredAt.plus(retention).isAfter(now);
    }

    public boolean rotationDue(Instant now, Duration interval) {
        return isCurrent() && !interval.isZero() && !createdAt.plus(interval).isAfter(now);
    }

    public SigningKey withRetiredAt(Instant at) {
        return new SigningKey(kid, jwk, createdAt, at);
    }
}
