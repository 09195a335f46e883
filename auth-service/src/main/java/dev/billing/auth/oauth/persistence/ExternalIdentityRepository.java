package dev.billing.auth.oauth.persistence;

import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Which user a provider's account is linked to. */
@Repository
public class ExternalIdentityRepository {

    private final DatabaseClient db;

    ExternalIdentityRepository(DatabaseClient db) {
        this.db = db;
    }

    public Mono<UUID> findUser(String provider, String subject) {
        return db.sql("SELECT user_id FROM external_identities WHERE provider = :provider AND subject = :subject")
                .bind("provider", provider)
                .bind("subject", subject)
                .map(row -> row.get("user_id", UUID.class))
                .one();
    }

    public Mono<Void> link(String provider, String subject, UUID userId, String email, Instant now) {
        return db.sql("INSERT INTO external_identities (provider, subject, user_id, email, linked_at)"
                        + " VALUES (:provider, :subject, :user, :email, :now) ON CONFLICT DO NOTHING")
                .bind("provider", provider)
                .bind("subject", subject)
                .bind("user", userId)
                .bind("email", email)
                .bind("now", now)
                .then();
    }
}
