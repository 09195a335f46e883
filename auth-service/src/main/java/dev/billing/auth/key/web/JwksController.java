package dev.billing.auth.key.web;

import com.nimbusds.jose.jwk.JWKSet;
import dev.billing.auth.key.application.KeyStore;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The public keys (JWKS) and the admin's manual rotation. */
@RestController
class JwksController {

    private final KeyStore keys;

    JwksController(KeyStore keys) {
        this.keys = keys;
    }

    /** Every key that may still have live tokens; verifiers cache it briefly and re-fetch on an unknown kid. */
    @GetMapping(value = "/.well-known/jwks.json", produces = "application/json")
    Mono<ResponseEntity<Map<String, Object>>> jwks() {
        return keys.publishedKeys().map(list -> ResponseEntity.ok()
                .cacheControl(CacheControl.maxAge(Duration.ofMinutes(1)).cachePublic())
                .body(new JWKSet(list).toJSONObject(true)));
    }

    @PostMapping("/api/v1/auth/keys/rotate")
    @PreAuthorize("hasRole('ADMIN')")
    Mono<Map<String, Object>> rotate() {
        return keys.rotate().map(key -> Map.of("kid", key.kid(), "createdAt", key.createdAt()));
    }
}
