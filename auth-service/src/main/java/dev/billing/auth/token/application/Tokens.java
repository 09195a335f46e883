package dev.billing.auth.token.application;

import dev.billing.auth.common.Problems;
import dev.billing.auth.common.Secrets;
import dev.billing.auth.config.AuthProperties;
import dev.billing.auth.token.domain.RefreshDecision;
import dev.billing.auth.token.domain.TokenPair;
import dev.billing.auth.token.persistence.RefreshTokenRepository;
import dev.billing.auth.user.domain.User;
import dev.billing.auth.user.persistence.UserRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** Issues token pairs, rotates refresh tokens and revokes them. */
@Service
public class Tokens {

    private static final Logger log = LoggerFactory.getLogger(Tokens.class);

    private record Outcome(RefreshDecision decision, User user, UUID familyId) {}

    private final AccessTokens access;
    private final RefreshTokenRepository refreshTokens;
    private final UserRepository users;
    private final TransactionalOperator tx;
    private final Clock clock;
    private final AuthProperties props;

    Tokens(
            AccessTokens access,
            RefreshTokenRepository refreshTokens,
            UserRepository users,
            TransactionalOperator tx,
            Clock clock,
            AuthProperties props) {
        this.access = access;
        this.refreshTokens = refreshTokens;
        this.users = users;
        this.tx = tx;
        this.clock = clock;
        this.props = props;
    }

    /** A new session (a new refresh-token family) for an active user. */
    public Mono<TokenPair> issue(User user) {
        return tx.transactional(newRefreshToken(user.id(), UUID.randomUUID()))
                .flatMap(refresh -> access.issue(user).map(jwt -> new TokenPair(jwt, refresh, access.ttlSeconds())));
    }

    /**
     * Rotates a refresh token: the presented one is spent and a new one of the same family comes
     * back. An unknown, expired or revoked token is refused; a spent one revokes its family (the
     * revocation commits, then the caller gets 401).
     */
    public Mono<TokenPair> refresh(String raw) {
        if (raw == null || raw.isBlank()) {
            return Mono.error(Problems.invalidRefreshToken());
        }
        String hash = Secrets.sha256(raw);
        Instant now = clock.instant();
        Mono<Outcome> decide = refreshTokens.findForUpdate(hash).flatMap(row -> {
            RefreshDecision decision = RefreshDecision.of(row.usedAt(), row.revokedAt(), row.expiresAt(), now);
            return switch (decision) {
                case REJECT -> Mono.just(new Outcome(decision, null, row.familyId()));
                case REVOKE_FAMILY ->
                    refreshTokens
                            .revokeFamily(row.familyId(), now)
                            .doOnNext(n -> log.warn(
                                    "refresh token reused: family {} of user {} revoked", row.familyId(), row.userId()))
                            .thenReturn(new Outcome(decision, null, row.familyId()));
                case ROTATE ->
                    users.findById(row.userId())
                            .filter(User::active)
                            .flatMap(user -> refreshTokens
                                    .markUsed(hash, now)
                                    .thenReturn(new Outcome(decision, user, row.familyId())))
                            .defaultIfEmpty(new Outcome(RefreshDecision.REJECT, null, row.familyId()));
            };
        });
        return tx.transactional(decide.flatMap(outcome -> outcome.decision() == RefreshDecision.ROTATE
                        ? newRefreshToken(outcome.user().id(), outcome.familyId())
                                .map(refresh -> new Issued(outcome.user(), refresh))
                        : Mono.just(new Issued(null, null))))
                .flatMap(issued -> issued.user() == null
                        ? Mono.error(Problems.invalidRefreshToken())
                        : access.issue(issued.user())
                                .map(jwt -> new TokenPair(jwt, issued.refresh(), access.ttlSeconds())))
                .switchIfEmpty(Mono.error(() -> Problems.invalidRefreshToken()));
    }

    private record Issued(User user, String refresh) {}

    /** Logout: revokes the family of the presented token (nothing to do for an unknown one). */
    public Mono<Void> revokeFamilyOf(String raw) {
        if (raw == null || raw.isBlank()) {
            return Mono.empty();
        }
        Instant now = clock.instant();
        return tx.transactional(refreshTokens
                        .findForUpdate(Secrets.sha256(raw))
                        .flatMap(row -> refreshTokens.revokeFamily(row.familyId(), now)))
                .then();
    }

    /** Ends every session of the user; runs in the caller's transaction. */
    public Mono<Long> revokeAll(UUID userId) {
        return refreshTokens.revokeAllOf(userId, clock.instant());
    }

    private Mono<String> newRefreshToken(UUID userId, UUID familyId) {
        String raw = Secrets.randomToken();
        Instant now = clock.instant();
        return refreshTokens
                .insert(Secrets.sha256(raw), familyId, userId, now, now.plus(props.refreshTokenTtl()))
                .thenReturn(raw);
    }
}
