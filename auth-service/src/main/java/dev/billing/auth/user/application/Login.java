package dev.billing.auth.user.application;

import dev.billing.auth.common.Floor;
import dev.billing.auth.common.PasswordHasher;
import dev.billing.auth.common.Problems;
import dev.billing.auth.common.Secrets;
import dev.billing.auth.config.AuthProperties;
import dev.billing.auth.token.application.Tokens;
import dev.billing.auth.token.domain.TokenPair;
import dev.billing.auth.user.domain.Credentials;
import dev.billing.auth.user.domain.User;
import dev.billing.auth.user.domain.UserEvents;
import dev.billing.auth.user.domain.UserEvents.LoginCodeRequested;
import dev.billing.auth.user.persistence.LoginCodeRepository;
import dev.billing.auth.user.persistence.UserRepository;
import dev.billing.platform.event.OutboundEvent;
import dev.billing.platform.outbox.Outbox;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Logging in: with a password, or with a one-time code sent by email. Every failure is the same
 * 401 (unknown email, wrong secret, deactivated account), and an unknown email costs one Argon2id
 * hash like a known one.
 */
@Service
public class Login {

    public static final int CODE_LENGTH = 8;

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final Tokens tokens;
    private final LoginCodeRepository codes;
    private final Outbox outbox;
    private final TransactionalOperator tx;
    private final Clock clock;
    private final AuthProperties props;

    Login(
            UserRepository users,
            PasswordHasher hasher,
            Tokens tokens,
            LoginCodeRepository codes,
            Outbox outbox,
            TransactionalOperator tx,
            Clock clock,
            AuthProperties props) {
        this.users = users;
        this.hasher = hasher;
        this.tokens = tokens;
        this.codes = codes;
        this.outbox = outbox;
        this.tx = tx;
        this.clock = clock;
        this.props = props;
    }

    public Mono<TokenPair> withPassword(String rawEmail, String password) {
        return users.findByEmail(Credentials.normaliseEmail(rawEmail))
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(found -> hasher.matchesOrDummy(
                                password, found.map(User::passwordHash).orElse(null))
                        .filter(ok -> ok && found.get().active())
                        .map(ok -> found.get()))
                .switchIfEmpty(Mono.error(() -> Problems.invalidCredentials()))
                .flatMap(tokens::issue);
    }

    /** Sends a code to an active account; answers the same (after the same floor time) for any email. */
    public Mono<Void> requestCode(String rawEmail) {
        String code = Secrets.numericCode(CODE_LENGTH);
        Mono<Void> work = hasher.hash(code)
                .flatMap(hash -> users.findByEmail(Credentials.normaliseEmail(rawEmail))
                        .filter(User::active)
                        .flatMap(user -> {
                            Instant now = clock.instant();
                            Instant expires = now.plus(props.loginCodeTtl());
                            return tx.transactional(codes.replace(user.id(), hash, now, expires)
                                    .then(outbox.record(OutboundEvent.of(
                                            UserEvents.LOGIN_CODE_REQUESTED,
                                            user.id(),
                                            user.version(),
                                            new LoginCodeRequested(
                                                    user.id(), user.email(), user.name(), code, expires)))));
                        }))
                .then();
        return Floor.atLeast(props.anonymousResponseFloor(), work.thenReturn(true))
                .then();
    }

    /**
     * Logs in with a code: each try counts (atomically) against the code's attempts; after
     * {@code auth.login-code-max-attempts} tries, or after expiry, the code is dead.
     */
    public Mono<TokenPair> withCode(String rawEmail, String code) {
        Instant now = clock.instant();
        // an unknown email, or one without a live code, still costs one Argon2id comparison
        return users.findByEmail(Credentials.normaliseEmail(rawEmail))
                .filter(User::active)
                .flatMap(user -> codes.countAttempt(user.id(), now, props.loginCodeMaxAttempts())
                        .map(attempt -> new CodeAttempt(user, attempt)))
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(found -> hasher.matchesOrDummy(
                                code, found.map(f -> f.attempt().codeHash()).orElse(null))
                        .filter(Boolean::booleanValue)
                        .flatMap(ok -> codes.use(found.get().attempt().id(), now))
                        .filter(Boolean::booleanValue)
                        .map(ok -> found.get().user()))
                .switchIfEmpty(Mono.error(() -> Problems.invalidCredentials()))
                .flatMap(tokens::issue);
    }

    private record CodeAttempt(User user, LoginCodeRepository.Attempt attempt) {}
}
