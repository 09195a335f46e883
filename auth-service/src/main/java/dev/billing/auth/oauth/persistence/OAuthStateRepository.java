package dev.billing.auth.oauth.persistence;

import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Logins in progress: state (by its hash), PKCE verifier and nonce; deleted when used. */
@Repository
public class OAuthStateRepository {

    /** A started login. */
    public record PendingLogin(String codeVerifier, String nonce) {}

    private final DatabaseClient db;

    OAuthStateRepository(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Void> save(
            String stateHash, String provider, String codeVerifier, String nonce, Instant now, Instant expiresAt) {
        return db.sql("INSERT INTO oauth_states (state, provider, code_verifier, nonce, created_at, expires_at)"
                        + " VALUES (:state, :provider, :verifier, :nonce, :now, :expires)")
                .bind("state", stateHash)
                .bind("provider", provider)
                .bind("verifier", codeVerifier)
                .bind("nonce", nonce)
                .bind("now", now)
                .bind("expires", expiresAt)
                .then();
    }

    /** Takes the state (single use): empty when unknown, of another provider or expired. */
    public Mono<PendingLogin> take(String stateHash, String provider, Instant now) {
        return db.sql("DELETE FROM oauth_states WHERE state = :state RETURNING provider, code_verifier, nonce,"
                        + " expires_at > :now AS live")
                .bind("state", stateHash)
                .bind("now", now)
                .map(row -> provider.equals(row.get("provider", String.class))
                                && Boolean.TRUE.equals(row.get("live", Boolean.class))
                        ? new PendingLogin(row.get("code_verifier", String.class), row.get("nonce", String.class))
                        : new PendingLogin(null, null))
                .one()
                .filter(pending -> pending.codeVerifier() != null);
    }
}
