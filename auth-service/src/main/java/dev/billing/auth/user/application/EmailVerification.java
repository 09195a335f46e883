package dev.billing.auth.user.application;

import dev.billing.auth.common.Problems;
import dev.billing.auth.common.Secrets;
import dev.billing.auth.config.AuthProperties;
import dev.billing.auth.user.domain.User;
import dev.billing.auth.user.domain.UserEvents;
import dev.billing.auth.user.domain.UserEvents.EmailVerificationRequested;
import dev.billing.auth.user.persistence.OneTimeTokenRepository;
import dev.billing.auth.user.persistence.UserRepository;
import dev.billing.platform.event.OutboundEvent;
import dev.billing.platform.outbox.Outbox;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** Email verification: a single-use link token, mailed by notification-service from the event. */
@Service
public class EmailVerification {

    private final OneTimeTokenRepository tokens;
    private final UserRepository users;
    private final Outbox outbox;
    private final TransactionalOperator tx;
    private final Clock clock;
    private final AuthProperties props;

    EmailVerification(
            OneTimeTokenRepository tokens,
            UserRepository users,
            Outbox outbox,
            TransactionalOperator tx,
            Clock clock,
            AuthProperties props) {
        this.tokens = tokens;
        this.users = users;
        this.outbox = outbox;
        this.tx = tx;
        this.clock = clock;
        this.props = props;
    }

    /** New token (earlier ones die) and its event; runs in the caller's transaction. */
    Mono<Void> request(User user) {
        String raw = Secrets.randomToken();
        Instant now = clock.instant();
        Instant expires = now.plus(props.emailVerificationTtl());
        return tokens.replace(OneTimeTokenRepository.VERIFY_EMAIL, user.id(), Secrets.sha256(raw), now, expires)
                .then(outbox.record(OutboundEvent.of(
                        UserEvents.EMAIL_VERIFICATION_REQUESTED,
                        user.id(),
                        user.version(),
                        new EmailVerificationRequested(user.id(), user.email(), user.name(), raw, expires))))
                .then();
    }

    /** Resend for the signed-in user; 409 when already verified. */
    public Mono<Void> resend(UUID userId) {
        return tx.transactional(users.findById(userId)
                .filter(User::active)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("The user")))
                .flatMap(user -> user.emailVerified()
                        ? Mono.error(Problems.conflict("The email address is already verified."))
                        : request(user)));
    }

    /** Marks the email verified; 400 for an unknown, used or expired token. */
    public Mono<User> verify(String raw) {
        if (raw == null || raw.isBlank()) {
            return Mono.error(invalid());
        }
        Instant now = clock.instant();
        return tx.transactional(tokens.consume(OneTimeTokenRepository.VERIFY_EMAIL, Secrets.sha256(raw), now)
                        .flatMap(users::findById)
                        .filter(User::active)
                        .flatMap(user -> user.emailVerified() ? Mono.just(user) : users.update(user.verifyEmail(now))))
                .switchIfEmpty(Mono.error(() -> invalid()));
    }

    private static RuntimeException invalid() {
        return Problems.badRequest("The verification token is invalid or has expired.");
    }
}
