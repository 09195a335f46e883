package dev.billing.gateway.security;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Removes identity headers ({@code X-User-Id}, {@code X-Auth-*}, ...) that a client may have set,
 * before anything else sees the request: no service may be tricked into trusting them. The
 * {@code Authorization} header passes through (services verify the token again).
 */
@Component
class IdentityHeaderFilter implements WebFilter, Ordered {

    private final Set<String> names;
    private final List<String> prefixes;

    IdentityHeaderFilter(GatewaySecurityProperties props) {
        this.names = props.stripHeaders().stream()
                .map(h -> h.trim().toLowerCase(Locale.ROOT))
                .filter(h -> !h.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        this.prefixes = props.stripHeaderPrefixes().stream()
                .map(h -> h.trim().toLowerCase(Locale.ROOT))
                .filter(h -> !h.isEmpty())
                .toList();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 20;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        List<String> found =
                headers.headerNames().stream().filter(this::isIdentity).toList();
        if (found.isEmpty()) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange.mutate()
                .request(request -> request.headers(h -> found.forEach(h::remove)))
                .build());
    }

    private boolean isIdentity(String header) {
        String name = header.toLowerCase(Locale.ROOT);
        if (name.equals("authorization")) {
            return false;
        }
        return names.contains(name) || prefixes.stream().anyMatch(name::startsWith);
    }
}
