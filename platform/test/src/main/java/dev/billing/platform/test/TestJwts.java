package dev.billing.platform.test;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Access tokens for tests, signed like auth-service signs them (RS256, {@code kid}, {@code iss},
 * {@code aud}, {@code sub}, {@code roles}) by a key whose public half is served over real HTTP at
 * {@link #jwksUri()}, so services verify them exactly as in production.
 */
public final class TestJwts {

    public static final String ISSUER = "http://test-issuer.local";
    public static final String AUDIENCE = "billing-api";

    private static TestJwts instance;

    private final RSAKey key;
    private final String jwksUri;

    private TestJwts() {
        this.key = newKey("test-key-1");
        this.jwksUri = serve(new JWKSet(key.toPublicJWK()).toString());
    }

    public static synchronized TestJwts shared() {
        if (instance == null) {
            instance = new TestJwts();
        }
        return instance;
    }

    public String jwksUri() {
        return jwksUri;
    }

    /** A valid token for the user with these roles, valid for 5 minutes. */
    public String token(UUID userId, String... roles) {
        return claims(userId, roles).sign();
    }

    public Builder claims(UUID userId, String... roles) {
        return new Builder(key, userId, List.of(roles));
    }

    /** A key that the services do not trust (signs well-formed but foreign tokens). */
    public static RSAKey foreignKey() {
        return newKey("foreign-key");
    }

    /** Changes to the default claims, for tokens that must be rejected. */
    public static final class Builder {
        private RSAKey signingKey;
        private final JWTClaimsSet.Builder claims;

        private Builder(RSAKey key, UUID userId, List<String> roles) {
            Instant now = Instant.now();
            this.signingKey = key;
            this.claims = new JWTClaimsSet.Builder()
                    .issuer(ISSUER)
                    .audience(AUDIENCE)
                    .subject(userId.toString())
                    .claim("email", "user-" + userId + "@example.com")
                    .claim("roles", roles)
                    .issueTime(Date.from(now))
                    .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                    .jwtID(UUID.randomUUID().toString());
        }

        public Builder issuer(String issuer) {
            claims.issuer(issuer);
            return this;
        }

        public Builder audience(String audience) {
            claims.audience(audience);
            return this;
        }

        public Builder expiresAt(Instant expiry) {
            claims.expirationTime(Date.from(expiry));
            return this;
        }

        public Builder signedBy(RSAKey other) {
            this.signingKey = other;
            return this;
        }

        public String sign() {
            try {
                var jwt = new SignedJWT(
                        new JWSHeader.Builder(JWSAlgorithm.RS256)
                                .keyID(signingKey.getKeyID())
                                .build(),
                        claims.build());
                jwt.sign(new RSASSASigner(signingKey));
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static RSAKey newKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String serve(String jwks) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
            server.createContext("/.well-known/jwks.json", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.setExecutor(null);
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0), "test-jwks-stop"));
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
