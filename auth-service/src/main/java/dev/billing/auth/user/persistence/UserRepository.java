package dev.billing.auth.user.persistence;

import dev.billing.auth.user.domain.Role;
import dev.billing.auth.user.domain.User;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The {@code users} table. */
@Repository
public class UserRepository {

    private static final String COLUMNS = "id, email, name, password_hash, roles, email_verified, active,"
            + " deactivated_at, version, created_at, updated_at";

    private final DatabaseClient db;

    UserRepository(DatabaseClient db) {
        this.db = db;
    }

    /** Inserts unless the email is taken; true when inserted. */
    public Mono<Boolean> insertIfAbsent(User user) {
        return db.sql("INSERT INTO users (" + COLUMNS + ") VALUES (:id, :email, :name, :passwordHash, :roles,"
                        + " :emailVerified, :active, :deactivatedAt, :version, :createdAt, :updatedAt)"
                        + " ON CONFLICT (email) DO NOTHING")
                .bind("id", user.id())
                .bind("email", user.email())
                .bind("name", user.name())
                .bind("passwordHash", nullable(user.passwordHash()))
                .bind("roles", roles(user))
                .bind("emailVerified", user.emailVerified())
                .bind("active", user.active())
                .bind("deactivatedAt", nullableInstant(user.deactivatedAt()))
                .bind("version", user.version())
                .bind("createdAt", user.createdAt())
                .bind("updatedAt", user.updatedAt())
                .fetch()
                .rowsUpdated()
                .map(n -> n == 1);
    }

    /**
     * Writes a changed user if nobody changed it meanwhile (optimistic: the stored version must be
     * the one before). Errors with {@link ConcurrentChangeException} otherwise.
     */
    public Mono<User> update(User user) {
        return db.sql("UPDATE users SET name = :name, password_hash = :passwordHash, roles = :roles,"
                        + " email_verified = :emailVerified, active = :active, deactivated_at = :deactivatedAt,"
                        + " version = :version, updated_at = :updatedAt WHERE id = :id AND version = :previous")
                .bind("id", user.id())
                .bind("name", user.name())
                .bind("passwordHash", nullable(user.passwordHash()))
                .bind("roles", roles(user))
                .bind("emailVerified", user.emailVerified())
                .bind("active", user.active())
                .bind("deactivatedAt", nullableInstant(user.deactivatedAt()))
                .bind("version", user.version())
                .bind("previous", user.version() - 1)
                .bind("updatedAt", user.updatedAt())
                .fetch()
                .rowsUpdated()
                .flatMap(n -> n == 1 ? Mono.just(user) : Mono.error(new ConcurrentChangeException(user.id())));
    }

    public Mono<User> findById(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM users WHERE id = :id")
                .bind("id", id)
                .map(UserRepository::toUser)
                .one();
    }

    public Mono<User> findByEmail(String normalisedEmail) {
        return db.sql("SELECT " + COLUMNS + " FROM users WHERE email = :email")
                .bind("email", normalisedEmail)
                .map(UserRepository::toUser)
                .one();
    }

    /** A page of users, oldest first. */
    public Flux<User> page(int page, int size) {
        return db.sql("SELECT " + COLUMNS + " FROM users ORDER BY created_at, id LIMIT :limit OFFSET :offset")
                .bind("limit", size)
                .bind("offset", (long) page * size)
                .map(UserRepository::toUser)
                .all();
    }

    public Mono<Long> count() {
        return db.sql("SELECT count(*) FROM users")
                .map(row -> row.get(0, Long.class))
                .one();
    }

    static User toUser(Readable row) {
        String[] roles = row.get("roles", String[].class);
        EnumSet<Role> set = EnumSet.noneOf(Role.class);
        set.addAll(Arrays.stream(roles).map(Role::valueOf).collect(Collectors.toSet()));
        return new User(
                row.get("id", UUID.class),
                row.get("email", String.class),
                row.get("name", String.class),
                row.get("password_hash", String.class),
                set,
                Boolean.TRUE.equals(row.get("email_verified", Boolean.class)),
                Boolean.TRUE.equals(row.get("active", Boolean.class)),
                instant(row.get("deactivated_at", OffsetDateTime.class)),
                row.get("version", Long.class),
                instant(row.get("created_at", OffsetDateTime.class)),
                instant(row.get("updated_at", OffsetDateTime.class)));
    }

    private static String[] roles(User user) {
        return user.roles().stream().map(Enum::name).sorted().toArray(String[]::new);
    }

    static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static Object nullable(String value) {
        return value == null ? io.r2dbc.spi.Parameters.in(String.class) : value;
    }

    private static Object nullableInstant(Instant value) {
        return value == null ? io.r2dbc.spi.Parameters.in(Instant.class) : value;
    }
}
