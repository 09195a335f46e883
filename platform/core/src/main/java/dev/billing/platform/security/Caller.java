package dev.billing.platform.security;

import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import reactor.core.publisher.Mono;

/** The verified caller of the current request: the token's subject (user id) and roles. */
public record Caller(UUID userId, String email, Set<String> roles) {

    public boolean isAdmin() {
        return roles.contains("ADMIN");
    }

    /** The caller of the current request; empty when the request carries no verified token. */
    public static Mono<Caller> current() {
        return ReactiveSecurityContextHolder.getContext()
                .mapNotNull(context -> context.getAuthentication())
                .filter(JwtAuthenticationToken.class::isInstance)
                .cast(JwtAuthenticationToken.class)
                .map(Caller::from);
    }

    static Caller from(JwtAuthenticationToken token) {
        Set<String> roles = token.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(a -> a.startsWith("ROLE_"))
                .map(a -> a.substring("ROLE_".length()))
                .collect(Collectors.toUnmodifiableSet());
        return new Caller(
                UUID.fromString(token.getToken().getSubject()), token.getToken().getClaimAsString("email"), roles);
    }
}
