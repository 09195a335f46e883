package dev.billing.platform.security;

import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.ErrorResponseException;
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

    /**
     * The caller of the current request, or a 401 problem when it carries no verified token. The
     * problem is built only in that case: built eagerly, its stack trace cost every request.
     */
    public static Mono<Caller> required() {
        return current().switchIfEmpty(Mono.error(Caller::unauthorized));
    }

    private static ErrorResponseException unauthorized() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, "A token is needed.");
        problem.setTitle("Unauthorized");
        return new ErrorResponseException(HttpStatus.UNAUTHORIZED, problem, null);
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
