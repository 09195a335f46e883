package dev.billing.auth.key.domain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts private keys at rest: AES-256-GCM with a key derived from a secret by
 * PBKDF2-HMAC-SHA256 (a random salt per value). Stored form: base64(salt ‖ iv ‖ ciphertext+tag).
 * Decryption fails (tag mismatch) when the secret is wrong or the value was altered.
 */
public final class KeyCipher {

    private static final int SALT = 16;
    private static final int IV = 12;
    private static final int ITERATIONS = 210_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final char[] secret;

    public KeyCipher(String secret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("the key encryption secret must have at least 16 characters");
        }
        this.secret = secret.toCharArray();
    }

    public String encrypt(byte[] plain, String associatedData) {
        try {
            byte[] salt = random(SALT);
            byte[] iv = random(IV);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(salt), new GCMParameterSpec(128, iv));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            return Base64.getEncoder()
                    .encodeToString(ByteBuffer.allocate(SALT + IV + sealed.length)
                            .put(salt)
                            .put(iv)
                            .put(sealed)
                            .array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not encrypt", e);
        }
    }

    public byte[] decrypt(String stored, String associatedData) {
        try {
            ByteBuffer in = ByteBuffer.wrap(Base64.getDecoder().decode(stored));
            byte[] salt = new byte[SALT];
            byte[] iv = new byte[IV];
            in.get(salt).get(iv);
            byte[] sealed = new byte[in.remaining()];
            in.get(sealed);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(salt), new GCMParameterSpec(128, iv));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "could not decrypt a signing key: wrong AUTH_KEY_ENCRYPTION_SECRET or altered value", e);
        }
    }

    private SecretKeySpec key(byte[] salt) throws GeneralSecurityException {
        byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(secret, salt, ITERATIONS, 256))
                .getEncoded();
        return new SecretKeySpec(key, "AES");
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
