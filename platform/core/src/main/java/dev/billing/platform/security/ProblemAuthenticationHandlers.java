package dev.billing.platform.security;

import dev.billing.platform.web.ProblemWriter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;

/** 401 and 403 as problem details, with the {@code WWW-Authenticate} header RFC 6750 asks for. */
public final class ProblemAuthenticationHandlers {

    private ProblemAuthenticationHandlers() {}

    public static ServerAuthenticationEntryPoint entryPoint(ProblemWriter writer) {
        return (exchange, ex) -> {
            boolean tokenSent = exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION);
            exchange.getResponse()
                    .getHeaders()
                    .set(HttpHeaders.WWW_AUTHENTICATE, tokenSent ? "Bearer error=\"invalid_token\"" : "Bearer");
            return writer.write(
                    exchange,
                    ProblemWriter.problem(
                            HttpStatus.UNAUTHORIZED,
                            "Unauthorized",
                            tokenSent ? "The access token is invalid or expired." : "An access token is required."));
        };
    }

    public static ServerAccessDeniedHandler accessDenied(ProblemWriter writer) {
        return (exchange, denied) -> writer.write(
                exchange,
                ProblemWriter.problem(
                        HttpStatus.FORBIDDEN, "Forbidden", "You are not allowed to perform this operation."));
    }
}
