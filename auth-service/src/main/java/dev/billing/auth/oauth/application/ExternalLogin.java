package dev.billing.auth.oauth.application;

import dev.billing.auth.common.Problems;
import dev.billing.auth.common.Secrets;
import dev.billing.auth.config.OAuthProperties;
import dev.billing.auth.oauth.domain.ExternalIdentity;
import dev.billing.auth.oauth.domain.Pkce;
import dev.billing.auth.oauth.persistence.ExternalIdentityRepository;
import dev.billing.auth.oauth.persistence.OAuthStateRepository;
import dev.billing.auth.token.application.Tokens;
import dev.billing.auth.token.domain.TokenPair;
import dev.billing.auth.user.application.Registration;
import dev.billing.auth.user.domain.Credentials;
import dev.billing.auth.user.domain.Role;
import dev.billing.auth.user.domain.User;
import dev.billing.auth.user.persistence.UserRepository;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * "Log in with ...": the authorization-code flow with state and PKCE (S256), both kept server-side
 * (single use, {@code auth.oauth2.state-ttl}). At the end the provider's account is linked to the
 * user with the same verified email, or a new user is provisioned (email verified), and our own
 * token pair is issued.
 */
@Service
public class ExternalLogin {

    private final List<IdentityProvider> providers;
    private final OAuthStateRepository states;
    private final ExternalIdentityRepository identities;
    private final UserRepository users;
    private final Registration registration;
    private final Tokens tokens;
    private final TransactionalOperator tx;
    private final Clock clock;
    private final OAuthProperties props;

    ExternalLogin(
            List<IdentityProvider> providers,
            OAuthStateRepository states,
            ExternalIdentityRepository identities,
            UserRepository users,
            Registration registration,
            Tokens tokens,
            TransactionalOperator tx,
            Clock clock,
            OAuthProperties props) {
        this.providers = providers;
        this.states = states;
        this.identities = identities;
        this.users = users;
        this.registration = registration;
        this.tokens = tokens;
        this.tx = tx;
        this.clock = clock;
        this.props = props;
    }

    /** Where to send the browser to log in with this provider. */
    public Mono<URI> start(String providerName) {
        return provider(providerName).flatMap(provider -> {
            String state = Secrets.randomToken();
            String verifier = Secrets.randomToken() + Secrets.randomToken(); // 86 characters, RFC 7636 allows 43-128
            String nonce = Secrets.randomToken();
            Instant now = clock.instant();
            return states.save(Secrets.sha256(state), provider.name(), verifier, nonce, now, now.plus(props.stateTtl()))
                    .then(provider.authorizationUri(
                            state, Pkce.s256(verifier), nonce, props.redirectUri(provider.name())));
        });
    }

    /** The provider sent the browser back: check the state, read the identity, log the user in. */
    public Mono<TokenPair> finish(String providerName, String code, String state, String error) {
        return provider(providerName).flatMap(provider -> {
            if (state == null || state.isBlank()) {
                return Mono.error(badState());
            }
            return states.take(Secrets.sha256(state), provider.name(), clock.instant())
                    .switchIfEmpty(Mono.error(() -> badState()))
                    .flatMap(pending -> {
                        if (error != null || code == null || code.isBlank()) {
                            return Mono.error(Problems.badRequest(
                                    "The login was cancelled or refused at " + provider.name() + "."));
                        }
                        return provider.identity(
                                code, pending.codeVerifier(), pending.nonce(), props.redirectUri(provider.name()));
                    })
                    .flatMap(this::userFor)
                    .flatMap(tokens::issue);
        });
    }

    private Mono<User> userFor(ExternalIdentity identity) {
        if (!identity.emailVerified() || identity.email() == null) {
            return Mono.error(Problems.of(
                    HttpStatus.FORBIDDEN, "Forbidden", "The provider does not vouch for your email address."));
        }
        String email = Credentials.normaliseEmail(identity.email());
        Instant now = clock.instant();
        Mono<User> linkedBefore =
                identities.findUser(identity.provider(), identity.subject()).flatMap(users::findById);
        Mono<User> byEmail = users.findByEmail(email)
                .flatMap(user -> user.emailVerified()
                        ? identities
                                .link(identity.provider(), identity.subject(), user.id(), email, now)
                                .thenReturn(user)
                        : Mono.error(
                                Problems.conflict("An account with this email exists but its address is not verified:"
                                        + " verify it (or log in with the password) first, then log in with "
                                        + identity.provider() + ".")));
        Mono<User> provisioned = Mono.defer(() -> registration
                .createIfAbsent(email, displayName(identity, email), null, Set.of(Role.USER), true)
                .flatMap(user -> identities
                        .link(identity.provider(), identity.subject(), user.id(), email, now)
                        .thenReturn(user)));
        return tx.transactional(linkedBefore.switchIfEmpty(byEmail).switchIfEmpty(provisioned))
                .filter(User::active)
                .switchIfEmpty(Mono.error(() -> Problems.invalidCredentials()));
    }

    private static String displayName(ExternalIdentity identity, String email) {
        String name = Credentials.normaliseName(identity.name());
        if (name.isEmpty()) {
            name = email.substring(0, email.indexOf('@'));
        }
        return name.length() > Credentials.NAME_MAX ? name.substring(0, Credentials.NAME_MAX) : name;
    }

    private Mono<IdentityProvider> provider(String name) {
        return providers.stream()
                .filter(p -> p.name().equals(name) && p.enabled())
                .findFirst()
                .map(Mono::just)
                .orElseGet(() -> Mono.error(Problems.notFound("The login provider '" + name + "'")));
    }

    private static RuntimeException badState() {
        return Problems.badRequest("The login state is unknown, used or expired; start the login again.");
    }
}
