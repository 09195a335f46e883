package dev.billing.auth.user.application;

import dev.billing.auth.common.PasswordHasher;
import dev.billing.auth.common.Problems;
import dev.billing.auth.token.application.Tokens;
import dev.billing.auth.user.domain.User;
import dev.billing.auth.user.domain.UserEvents;
import dev.billing.auth.user.domain.UserEvents.UserDeactivated;
import dev.billing.auth.user.persistence.UserRepository;
import dev.billing.platform.event.OutboundEvent;
import dev.billing.platform.outbox.Outbox;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Deactivation, by the user (with their password) or by an admin: the account can no longer log
 * in or refresh, every refresh token is revoked, {@code user-deactivated} is published. Access
 * tokens already issued stay valid until they expire (at most {@code auth.access-token-ttl}).
 */
@Service
public class Deactivation {

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final Tokens sessions;
    private final Outbox outbox;
    private final TransactionalOperator tx;
    private final Clock clock;

    Deactivation(
            UserRepository users,
            PasswordHasher hasher,
            Tokens sessions,
            Outbox outbox,
            TransactionalOperator tx,
            Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.sessions = sessions;
        this.outbox = outbox;
        this.tx = tx;
        this.clock = clock;
    }

    public Mono<Void> self(UUID userId, String password) {
        return users.findById(userId)
                .filter(User::active)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("The user")))
                .flatMap(user -> hasher.matchesOrDummy(password, user.passwordHash())
                        .flatMap(ok -> ok
                                ? deactivate(user.id(), "Deactivated by the user.")
                                : Mono.error(Problems.validation(Map.of("password", "is not correct")))));
    }

    public Mono<Void> byAdmin(UUID userId, String reason) {
        return users.findById(userId)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("The user")))
                .flatMap(user -> user.active()
                        ? deactivate(
                                user.id(),
                                reason == null || reason.isBlank()
                                        ? "Deactivated by an administrator."
                                        : reason.strip())
                        : Mono.error(Problems.conflict("The user is already deactivated.")));
    }

    private Mono<Void> deactivate(UUID userId, String reason) {
        Instant now = clock.instant();
        return tx.transactional(users.findById(userId)
                        .flatMap(user -> users.update(user.deactivate(now)))
                        .flatMap(user -> sessions.revokeAll(user.id())
                                .then(outbox.record(OutboundEvent.of(
                                        UserEvents.USER_DEACTIVATED,
                                        user.id(),
                                        user.version(),
                                        new UserDeactivated(user.id(), user.email(), user.name(), reason, now))))))
                .then();
    }
}
