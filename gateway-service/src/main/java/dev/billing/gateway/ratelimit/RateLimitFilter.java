package dev.billing.gateway.ratelimit;

import dev.billing.gateway.ratelimit.RateLimitProperties.Limit;
import dev.billing.gateway.ratelimit.RateLimiterStore.Decision;
import dev.billing.platform.web.ProblemWriter;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.support.ipresolver.RemoteAddressResolver;
import org.springframework.cloud.gateway.support.ipresolver.XForwardedRemoteAddressResolver;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rate limits every request (after the token check, so the user is known): per token subject,
 * or per client IP when anonymous. POSTs to the credential paths (login, token, register,
 * password reset, login codes) are also limited, much more strictly, per client IP + the email
 * in the JSON or form body (read here and handed on unchanged). Webhook paths have their own,
 * much higher, limit per IP. Over a limit: 429 problem with {@code Retry-After}. Probes and
 * metrics scrapes are never limited.
 */
@Component
class RateLimitFilter implements WebFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);
    private static final Set<String> EXEMPT = Set.of("/actuator/prometheus", "/actuator/health");

    private final RateLimiterStore store;
    private final Limit general;
    private final Limit credentials;
    private final Set<String> credentialPaths;
    private final Limit webhooks;
    private final Set<String> webhookPaths;
    private final RemoteAddressResolver clients;
    private final ProblemWriter problems;
    private final JsonMapper json;
    private final int maxBodyBytes;

    RateLimitFilter(
            RateLimiterStore store,
            RateLimitProperties props,
            ProblemWriter problems,
            JsonMapper json,
            @org.springframework.beans.factory.annotation.Value("${platform.web.max-request-size:256KB}")
                    DataSize maxBody) {
        this.store = store;
        this.general = props.general();
        this.credentials = props.credentials();
        this.credentialPaths = props.credentialPaths().stream()
                .map(String::trim)
                .filter(p -> !p.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        this.webhooks = props.webhooks();
        this.webhookPaths = props.webhookPaths().stream()
                .map(String::trim)
                .filter(p -> !p.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        this.clients = props.trustedProxies() > 0
                ? XForwardedRemoteAddressResolver.maxTrustedIndex(props.trustedProxies())
                : new RemoteAddressResolver() {}; // the TCP peer
        this.problems = problems;
        this.json = json;
        this.maxBodyBytes = (int) Math.min(Integer.MAX_VALUE, maxBody.toBytes());
        log.info(
                "rate limits in {}: {} per {} per user or IP; {} per {} per IP + email on {}; {} per {} per IP on {}",
                store.name(),
                general.requests(),
                general.period(),
                credentials.requests(),
                credentials.period(),
                credentialPaths,
                webhooks.requests(),
                webhooks.period(),
                webhookPaths);
    }

    @Override
    public int getOrder() {
        return -50; // after Spring Security's chain (-100): the caller is verified
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (EXEMPT.contains(path) || path.startsWith("/actuator/health/")) {
            return chain.filter(exchange);
        }
        String ip = clientIp(exchange);
        if (webhookPaths.contains(path)) {
            return store.consume(webhooks, "webhook:ip:" + ip)
                    .flatMap(decision -> decision.allowed() ? chain.filter(exchange) : tooMany(exchange, decision));
        }
        return exchange.getPrincipal()
                .filter(JwtAuthenticationToken.class::isInstance)
                .map(principal -> "user:" + principal.getName())
                .defaultIfEmpty("ip:" + ip)
                .flatMap(key -> store.consume(general, key))
                .flatMap(decision -> {
                    if (!decision.allowed()) {
                        return tooMany(exchange, decision);
                    }
                    if (isCredentialRequest(exchange, path)) {
                        return limitCredentials(exchange, chain, path, ip);
                    }
                    return chain.filter(exchange);
                });
    }

    private boolean isCredentialRequest(ServerWebExchange exchange, String path) {
        return HttpMethod.POST.equals(exchange.getRequest().getMethod()) && credentialPaths.contains(path);
    }

    private Mono<Void> limitCredentials(ServerWebExchange exchange, WebFilterChain chain, String path, String ip) {
        return DataBufferUtils.join(exchange.getRequest().getBody(), maxBodyBytes)
                .map(RateLimitFilter::bytes)
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> {
                    String email = email(exchange.getRequest().getHeaders().getContentType(), body);
                    return store.consume(credentials, path + ":ip:" + ip + ":email:" + email)
                            .flatMap(decision -> decision.allowed()
                                    ? chain.filter(exchange.mutate()
                                            .request(replay(exchange.getRequest(), body))
                                            .build())
                                    : tooMany(exchange, decision));
                });
    }

    /** The email the request is about ({@code email}, or OAuth2's {@code username}), normalised. */
    String email(MediaType type, byte[] body) {
        String value = null;
        try {
            if (type != null && MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(type)) {
                value = formField(new String(body, StandardCharsets.UTF_8), List.of("email", "username"));
            } else if (body.length > 0) {
                JsonNode node = json.readTree(body);
                for (String field : List.of("email", "username")) {
                    if (node != null && node.has(field) && node.get(field).isString()) {
                        value = node.get(field).asString();
                        break;
                    }
                }
            }
        } catch (RuntimeException unreadable) {
            // not JSON: the service answers 400; the request is still limited, under "no email"
        }
        return value == null || value.isBlank() ? "-" : value.trim().toLowerCase(Locale.ROOT);
    }

    private static String formField(String form, List<String> names) {
        for (String name : names) {
            for (String pair : form.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                if (key.equals(name) && eq >= 0) {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
        }
        return null;
    }

    private static ServerHttpRequest replay(ServerHttpRequest request, byte[] body) {
        return new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                return body.length == 0
                        ? Flux.empty()
                        : Flux.defer(() -> Flux.just(
                                org.springframework.core.io.buffer.DefaultDataBufferFactory.sharedInstance.wrap(body)));
            }
        };
    }

    private static byte[] bytes(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    private String clientIp(ServerWebExchange exchange) {
        InetSocketAddress address = clients.resolve(exchange);
        if (address == null) {
            return "unknown";
        }
        return address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    }

    private Mono<Void> tooMany(ServerWebExchange exchange, Decision decision) {
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
        return problems.write(
                exchange,
                ProblemWriter.problem(
                        HttpStatus.TOO_MANY_REQUESTS,
                        "Too Many Requests",
                        "Too many requests. Try again in " + decision.retryAfterSeconds() + " seconds."));
    }
}
