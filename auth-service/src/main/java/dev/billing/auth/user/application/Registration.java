package dev.billing.auth.user.application;

import dev.billing.auth.common.PasswordHasher;
import dev.billing.auth.common.Problems;
import dev.billing.auth.common.Secrets;
import dev.billing.auth.user.domain.Credentials;
import dev.billing.auth.user.domain.Role;
import dev.billing.auth.user.domain.User;
import dev.billing.auth.user.domain.UserEvents;
import dev.billing.auth.user.domain.UserEvents.UserRegistered;
import dev.billing.auth.user.persistence.RegistrationKeyRepository;
import dev.billing.auth.user.persistence.UserRepository;
import dev.billing.platform.event.OutboundEvent;
import dev.billing.platform.outbox.Outbox;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Mono;

/**
 * Creates accounts: self-registration (unverified, then an email verification is requested), the
 * bootstrapped admin, and users provisioned by an external login. Each creation writes the row and
 * its {@code user-registered} event in one transaction.
 */
@Service
public class Registration {

    private final UserRepository users;
    private final RegistrationKeyRepository keys;
    private final PasswordHasher hasher;
    private final EmailVerification verification;
    private final Outbox outbox;
    private final TransactionalOperator tx;
    private final Clock clock;

    Registration(
            UserRepository users,
            RegistrationKeyRepository keys,
            PasswordHasher hasher,
            EmailVerification verification,
            Outbox outbox,
            TransactionalOperator tx,
            Clock clock) {
        this.users = users;
        this.keys = keys;
        this.hasher = hasher;
        this.verification = verification;
        this.outbox = outbox;
        this.tx = tx;
        this.clock = clock;
    }

    public Mono<User> register(String rawEmail, String rawName, String password) {
        return register(rawEmail, rawName, password, null);
    }

    /**
     * Registers a user. With an idempotency key, a retry (same key, same email and name) answers
     * the user the first request created, instead of 409; the same key with another email or name
     * is refused (422). Keys are kept for a day.
     */
    public Mono<User> register(String rawEmail, String rawName, String password, String idempotencyKey) {
        String email = Credentials.normaliseEmail(rawEmail);
        String name = Credentials.normaliseName(rawName);
        Map<String, String> problems = Credentials.registrationProblems(email, name, password);
        if (!problems.isEmpty()) {
            return Mono.error(Problems.validation(problems));
        }
        if (idempotencyKey == null) {
            return create(email, name, password, null, null);
        }
        String fingerprint = Secrets.sha256(email + "\n" + name);
        return replay(idempotencyKey, fingerprint)
                .switchIfEmpty(Mono.defer(() -> create(email, name, password, idempotencyKey, fingerprint)
                        // a concurrent twin may have won the race on the email: answer what it created
                        .onErrorResume(
                                e -> e instanceof ErrorResponseException r
                                        && r.getStatusCode().value() == 409,
                                e -> replay(idempotencyKey, fingerprint).switchIfEmpty(Mono.error(e)))));
    }

    private Mono<User> replay(String key, String fingerprint) {
        return keys.find(key)
                .flatMap(found -> found.fingerprint().equals(fingerprint)
                        ? users.findById(found.userId())
                        : Mono.error(Problems.of(
                                HttpStatus.UNPROCESSABLE_CONTENT,
                                "Idempotency key reused",
                                "This Idempotency-Key was already used for another registration.")));
    }

    private Mono<User> create(String email, String name, String password, String key, String fingerprint) {
        return hasher.hash(password).flatMap(hash -> {
            User user = User.create(UUID.randomUUID(), email, name, hash, Set.of(Role.USER), false, clock.instant());
            Mono<Boolean> recordKey =
                    key == null ? Mono.just(true) : keys.insertIfAbsent(key, fingerprint, user.id(), user.createdAt());
            return tx.transactional(users.insertIfAbsent(user)
                    .flatMap(inserted -> inserted
                            ? recordKey.flatMap(recorded -> recorded
                                    ? outbox.record(registered(user))
                                            .then(verification.request(user))
                                            .thenReturn(user)
                                    // the key was taken meanwhile for another email: roll this registration back
                                    : Mono.error(Problems.of(
                                            HttpStatus.UNPROCESSABLE_CONTENT,
                                            "Idempotency key reused",
                                            "This Idempotency-Key was already used for another registration.")))
                            : Mono.error(Problems.conflict("An account with this email already exists."))));
        });
    }

    /** Creates the user unless the email exists; emits the created user, or nothing. */
    public Mono<User> createIfAbsent(
            String email, String name, String passwordHash, Set<Role> roles, boolean verified) {
        User user = User.create(
                UUID.randomUUID(),
                Credentials.normaliseEmail(email),
                Credentials.normaliseName(name),
                passwordHash,
                roles,
                verified,
                clock.instant());
        return tx.transactional(users.insertIfAbsent(user)
                .filter(Boolean::booleanValue)
                .flatMap(inserted -> outbox.record(registered(user)).thenReturn(user)));
    }

    private static OutboundEvent registered(User user) {
        return OutboundEvent.of(UserEvents.USER_REGISTERED, user.id(), user.version(), UserRegistered.of(user));
    }
}
