package dev.billing.auth.user.application;

import dev.billing.auth.common.PasswordHasher;
import dev.billing.auth.common.Problems;
import dev.billing.auth.user.domain.Credentials;
import dev.billing.auth.user.domain.Role;
import dev.billing.auth.user.domain.User;
import dev.billing.auth.user.domain.UserEvents;
import dev.billing.auth.user.domain.UserEvents.UserRegistered;
import dev.billing.auth.user.persistence.UserRepository;
import dev.billing.platform.event.OutboundEvent;
import dev.billing.platform.outbox.Outbox;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Creates accounts: self-registration (unverified, then an email verification is requested), the
 * bootstrapped admin, and users provisioned by an external login. Each creation writes the row and
 * its {@code user-registered} event in one transaction.
 */
@Service
public class Registration {

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final EmailVerification verification;
    private final Outbox outbox;
    private final TransactionalOperator tx;
    private final Clock clock;

    Registration(
            UserRepository users,
            PasswordHasher hasher,
            EmailVerification verification,
            Outbox outbox,
            TransactionalOperator tx,
            Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.verification = verification;
        this.outbox = outbox;
        this.tx = tx;
        this.clock = clock;
    }

    public Mono<User> register(String rawEmail, String rawName, String password) {
        String email = Credentials.normaliseEmail(rawEmail);
        String name = Credentials.normaliseName(rawName);
        Map<String, String> problems = Credentials.registrationProblems(email, name, password);
        if (!problems.isEmpty()) {
            return Mono.error(Problems.validation(problems));
        }
        return hasher.hash(password).flatMap(hash -> {
            User user = User.create(UUID.randomUUID(), email, name, hash, Set.of(Role.USER), false, clock.instant());
            return tx.transactional(users.insertIfAbsent(user)
                    .flatMap(inserted -> inserted
                            ? outbox.record(registered(user))
                                    .then(verification.request(user))
                                    .thenReturn(user)
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
