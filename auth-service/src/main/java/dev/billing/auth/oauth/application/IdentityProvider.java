package dev.billing.auth.oauth.application;

import dev.billing.auth.oauth.domain.ExternalIdentity;
import java.net.URI;
import reactor.core.publisher.Mono;

/** One external login provider: where to send the user, and who they are once they come back. */
interface IdentityProvider {

    String name();

    boolean enabled();

    Mono<URI> authorizationUri(String state, String codeChallenge, String nonce, String redirectUri);

    Mono<ExternalIdentity> identity(String code, String codeVerifier, String nonce, String redirectUri);
}
