package dev.billing.auth.key.persistence;

import java.time.Instant;
import java.time.OffsetDateTime;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The {@code signing_keys} table; private keys only in encrypted form. */
@Repository
public class SigningKeyRepository {

    /** A stored key. */
    public record KeyRow(
            String kid,
            String algorithm,
            String publicJwk,
            String privateKeyEncrypted,
            Instant createdAt,
            Instant retiredAt) {}

    /** Serialises key creation and rotation across replicas (pg_advisory_xact_lock). */
    private static final long LOCK = 0x61757468_6b657973L; // "authkeys"

    private static final String COLUMNS = "kid, algorithm, public_jwk, private_key_encrypted, created_at, retired_at";

    private final DatabaseClient db;

    SigningKeyRepository(DatabaseClient db) {
        this.db = db;
    }

    /** Holds the key lock until the current transaction ends. */
    public Mono<Void> lock() {
        return db.sql("SELECT pg_advisory_xact_lock(:lock)").bind("lock", LOCK).then();
    }

    /** The current key and the retired ones retired after {@code cutoff}. */
    public Flux<KeyRow> usable(Instant cutoff) {
        return db.sql("SELECT " + COLUMNS + " FROM signing_keys WHERE retired_at IS NULL OR retired_at > :cutoff"
                        + " ORDER BY created_at")
                .bind("cutoff", cutoff)
                .map(SigningKeyRepository::toRow)
                .all();
    }

    public Mono<KeyRow> current() {
        return db.sql("SELECT " + COLUMNS + " FROM signing_keys WHERE retired_at IS NULL")
                .map(SigningKeyRepository::toRow)
                .one();
    }

    private static KeyRow toRow(io.r2dbc.spi.Readable row) {
        return new KeyRow(
                row.get("kid", String.class),
                row.get("algorithm", String.class),
                row.get("public_jwk", String.class),
                row.get("private_key_encrypted", String.class),
                row.get("created_at", OffsetDateTime.class).toInstant(),
                instant(row.get("retired_at", OffsetDateTime.class)));
    }

    public Mono<Void> insert(KeyRow row) {
        return db.sql("INSERT INTO signing_keys (kid, algorithm, public_jwk, private_key_encrypted, created_at)"
                        + " VALUES (:kid, :alg, :jwk, :enc, :created)")
                .bind("kid", row.kid())
                .bind("alg", row.algorithm())
                .bind("jwk", row.publicJwk())
                .bind("enc", row.privateKeyEncrypted())
                .bind("created", row.createdAt())
                .then();
    }

    public Mono<Void> retireCurrent(Instant now) {
        return db.sql("UPDATE signing_keys SET retired_at = :now WHERE retired_at IS NULL")
                .bind("now", now)
                .then();
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
