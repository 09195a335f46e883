package dev.billing.auth.key.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class KeyCipherTest {

    private final KeyCipher cipher = new KeyCipher("a-secret-of-enough-length");

    @Test
    void roundTripsAndNeverStoresThePlainText() {
        byte[] plain = "{\"d\":\"private\"}".getBytes(StandardCharsets.UTF_8);
        String sealed = cipher.encrypt(plain, "kid-1");
        assertThat(sealed).doesNotContain("private");
        assertThat(cipher.encrypt(plain, "kid-1")).isNotEqualTo(sealed); // random salt and IV
        assertThat(cipher.decrypt(sealed, "kid-1")).isEqualTo(plain);
    }

    @Test
    void aWrongSecretAnotherKidOrAnAlteredValueFails() {
        String sealed = cipher.encrypt("x".getBytes(StandardCharsets.UTF_8), "kid-1");
        assertThatThrownBy(() -> new KeyCipher("another-secret-of-length").decrypt(sealed, "kid-1"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cipher.decrypt(sealed, "kid-2")).isInstanceOf(IllegalStateException.class);
        String altered = sealed.substring(0, sealed.length() - 4) + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThatThrownBy(() -> cipher.decrypt(altered, "kid-1")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aShortSecretIsRefused() {
        assertThatThrownBy(() -> new KeyCipher("short")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRetiredKeyVerifiesUntilItsRetentionEnds() {
        Instant t = Instant.parse("2026-11-22T10:00:00Z");
        SigningKey key = new SigningKey("k", null, t, null);
        assertThat(key.verifiesAt(t.plus(Duration.ofDays(400)), Duration.ofMinutes(17)))
                .isTrue();
        assertThat(key.rotationDue(t.plus(Duration.ofDays(29)), Duration.ofDays(30)))
                .isFalse();
        assertThat(key.rotationDue(t.plus(Duration.ofDays(30)), Duration.ofDays(30)))
                .isTrue();
        assertThat(key.rotationDue(t.plus(Duration.ofDays(30)), Duration.ZERO)).isFalse();
        SigningKey retired = key.withRetiredAt(t);
        assertThat(retired.verifiesAt(t.plus(Duration.ofMinutes(16)), Duration.ofMinutes(17)))
                .isTrue();
        assertThat(retired.verifiesAt(t.plus(Duration.ofMinutes(17)), Duration.ofMinutes(17)))
                .isFalse();
    }
}
