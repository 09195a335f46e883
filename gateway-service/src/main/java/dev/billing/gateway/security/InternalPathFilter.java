package dev.billing.gateway.security;

import dev.billing.platform.web.ProblemWriter;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * {@code /internal/**} (services' test-stack endpoints such as {@code /internal/clock}, and the
 * gateway's own) is never served through the gateway: a 403 problem for everyone, token or not,
 * before routing. The path is compared after decoding, dropping matrix parameters, collapsing
 * slashes and resolving dot segments, in any letter case.
 */
@Component
class InternalPathFilter implements WebFilter, Ordered {

    private final ProblemWriter problems;

    InternalPathFilter(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 25;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!isInternal(exchange.getRequest().getPath().value())) {
            return chain.filter(exchange);
        }
        return problems.write(
                exchange,
                ProblemWriter.problem(
                        HttpStatus.FORBIDDEN, "Forbidden", "Internal endpoints are not served through the gateway."));
    }

    static boolean isInternal(String rawPath) {
        String path = rawPath;
        for (int i = 0; i < 3 && path.indexOf('%') >= 0; i++) {
            try {
                path = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return true; // undecodable: refuse rather than guess
            }
        }
        path = path.replace('\\', '/').replaceAll(";[^/]*", "").replaceAll("/{2,}", "/");
        String normalized;
        try {
            normalized = URI.create("http://x" + (path.startsWith("/") ? "" : "/") + path.replace(" ", "%20"))
                    .normalize()
                    .getPath();
        } catch (IllegalArgumentException e) {
            normalized = path;
        }
        if (normalized == null) {
            return false;
        }
        String lower = normalized.toLowerCase(Locale.ROOT);
        while (lower.startsWith("/../")) {
            lower = lower.substring(3);
        }
        return lower.equals("/internal") || lower.startsWith("/internal/");
    }
}
