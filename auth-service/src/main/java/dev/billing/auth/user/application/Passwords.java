package dev.billing.auth.user.application;

import dev.billing.auth.common.Floor;
import dev.billing.auth.common.PasswordHasher;
import dev.billing.auth.common.Problems;
import dev.billing.auth.common.Secrets;
import dev.billing.auth.config.AuthProperties;
import dev.billing.auth.token.application.Tokens;
import dev.billing.auth.user.domain.Credentials;
import dev.billing.auth.user.domain.User;
import dev.billing.auth.user.domain.UserEvents;
import dev.billing.auth.user.domain.UserEvents.PasswordResetRequested;
import dev.billing.auth.user.persistence.OneTimeTokenRepository;
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

/** Password reset by emailed link, and change by the signed-in user; both end every session. */
@Service
public class Passwords {

    private final UserRepository users;
    private final OneTimeTokenRepository tokens;
    private final PasswordHasher hasher;
    private final Tokens sessions;
    private final Outbox outbox;
    private final TransactionalOperator tx;
    private final Clock clock;
    private final AuthProperties props;

    Passwords(
            UserRepository users,
            OneTimeTokenRepository tokens,
            PasswordHasher hasher,
            Tokens sessions,
            Outbox outbox,
            TransactionalOperator tx,
            Clock clock,
            AuthProperties props) {
        this.users = users;
        this.tokens = tokens;
        this.hasher = hasher;
        this.sessions = sessions;
        this.outbox = outbox;
        this.tx = tx;
        this.clock = clock;
        this.props = props;
    }

    /** Requests a reset link for an active account; for an unknown email nothing happens, after the same time. */
    public Mono<Void> requestReset(String rawEmail) {
        Mono<Void> work = users.findByEmail(Credentials.normaliseEmail(rawEmail))
                .filter(User::active)
                .flatMap(user -> {
                    String raw = Secrets.randomToken();
                    Instant now = clock.instant();
                    Instant expires = now.plus(props.passwordResetTtl());
                    return tx.transactional(tokens.replace(
                                    OneTimeTokenRepository.RESET_PASSWORD, user.id(), Secrets.sha256(raw), now, expires)
                            .then(outbox.record(OutboundEvent.of(
                                    UserEvents.PASSWORD_RESET_REQUESTED,
                                    user.id(),
                                    user.version(),
                                    new PasswordResetRequested(user.id(), user.email(), user.name(), raw, expires)))));
                })
                .then();
        return Floor.atLeast(props.anonymousResponseFloor(), work.thenReturn(true))
                .then();
    }

    /** Sets a new password with a reset token; every refresh token of the user is revoked. */
    public Mono<Void> confirmReset(String rawToken, String newPassword) {
        if (rawToken == null || rawToken.isBlank()) {
            return Mono.error(invalidToken());
        }
        Instant now = clock.instant();
        String hash = Secrets.sha256(rawToken);
        // the policy needs the user's email, so the token is looked up first (and consumed only with a valid password)
        return tx.transactional(tokens.consume(OneTimeTokenRepository.RESET_PASSWORD, hash, now)
                        .flatMap(users::findById)
                        .filter(User::active)
                        .switchIfEmpty(Mono.error(() -> invalidToken()))
                        .flatMap(user -> checkPolicy(newPassword, user, "newPassword")
                                .then(hasher.hash(newPassword))
                                .flatMap(newHash -> users.update(user.changePassword(newHash, now)))
                                .flatMap(changed -> sessions.revokeAll(changed.id()))))
                .then();
    }

    /** Changes the signed-in user's password after checking the current one; every session ends. */
    public Mono<Void> change(UUID userId, String currentPassword, String newPassword) {
        Instant now = clock.instant();
        return users.findById(userId)
                .filter(User::active)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("The user")))
                .flatMap(user -> hasher.matchesOrDummy(currentPassword, user.passwordHash())
                        .flatMap(ok -> ok
                                ? checkPolicy(newPassword, user, "newPassword")
                                : Mono.error(Problems.validation(Map.of("currentPassword", "is not correct"))))
                        .then(hasher.hash(newPassword))
                        .flatMap(newHash -> tx.transactional(users.update(user.changePassword(newHash, now))
                                .flatMap(changed -> sessions.revokeAll(changed.id())))))
                .then();
    }

    private static Mono<Void> checkPolicy(String password, User user, String field) {
        return Credentials.passwordProblem(password, user.email())
                .<Mono<Void>>map(problem -> Mono.error(Problems.validation(Map.of(field, problem))))
                .orElse(Mono.empty());
    }

    private static RuntimeException invalidToken() {
        return Problems.badRequest("The reset token is invalid or has expired.");
    }
}
