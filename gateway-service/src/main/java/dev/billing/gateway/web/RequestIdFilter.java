package dev.billing.gateway.web;

import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Every request gets an {@code X-Request-Id}: the client's if it sent a sane one (1-128 of
 * {@code [A-Za-z0-9._:-]}), a new UUID otherwise. It goes downstream, back in the response, into
 * the exchange's attributes and the Reactor context under {@value #KEY}, and into one access-log
 * line per request (with the trace id: {@link ExchangeLogContext}).
 */
@Component
public class RequestIdFilter implements WebFilter, Ordered {

    public static final String HEADER = "X-Request-Id";
    public static final String KEY = "requestId";

    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Logger access = LoggerFactory.getLogger("dev.billing.gateway.access");

    private final boolean accessLog;

    RequestIdFilter(@Value("${gateway.request-id.access-log:true}") boolean accessLog) {
        this.accessLog = accessLog;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE; // before everything that may answer or log
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String sent = exchange.getRequest().getHeaders().getFirst(HEADER);
        String id = sent != null && SANE.matcher(sent).matches()
                ? sent
                : UUID.randomUUID().toString();
        exchange.getResponse().getHeaders().set(HEADER, id);
        exchange.getAttributes().put(KEY, id);
        ServerWebExchange withId = exchange.mutate()
                .request(request -> request.headers(headers -> headers.set(HEADER, id)))
                .build();
        long start = System.nanoTime();
        Mono<Void> handled = chain.filter(withId);
        if (accessLog) {
            handled = handled.doFinally(signal -> log(withId, start));
        }
        return handled.contextWrite(context -> context.put(KEY, id));
    }

    private static void log(ServerWebExchange exchange, long start) {
        if (!access.isInfoEnabled()) {
            return;
        }
        var request = exchange.getRequest();
        var status = exchange.getResponse().getStatusCode();
        ExchangeLogContext.run(
                exchange,
                () -> access.info(
                        "{} {} {} {}ms",
                        request.getMethod(),
                        request.getPath().value(),
                        status == null ? "-" : status.value(),
                        (System.nanoTime() - start) / 1_000_000));
    }
}
