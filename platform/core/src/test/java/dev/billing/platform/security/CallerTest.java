package dev.billing.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.ErrorResponseException;

class CallerTest {

    @Test
    void requiredWithoutATokenIsA401Problem() {
        Throwable error = Caller.required().materialize().block().getThrowable();

        assertThat(error).isInstanceOf(ErrorResponseException.class);
        ErrorResponseException problem = (ErrorResponseException) error;
        assertThat(problem.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(problem.getBody().getTitle()).isEqualTo("Unauthorized");
        assertThat(problem.getBody().getDetail()).isEqualTo("A token is needed.");
    }

    @Test
    void requiredWithAVerifiedTokenIsItsCaller() {
        UUID id = UUID.randomUUID();
        Jwt jwt = Jwt.withTokenValue("t")
                .header("alg", "RS256")
                .subject(id.toString())
                .claim("email", "a@example.com")
                .issuedAt(Instant.parse("2026-01-01T00:00:00Z"))
                .expiresAt(Instant.parse("2026-01-01T00:15:00Z"))
                .build();
        var token = new JwtAuthenticationToken(jwt, List.of(new SimpleGrantedAuthority("ROLE_ADMIN")));

        Caller caller = Caller.required()
                .contextWrite(ReactiveSecurityContextHolder.withAuthentication(token))
                .block();

        assertThat(caller).isEqualTo(new Caller(id, "a@example.com", Set.of("ADMIN")));
    }
}
