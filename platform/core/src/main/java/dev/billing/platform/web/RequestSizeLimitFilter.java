package dev.billing.platform.web;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Rejects a request whose declared length is over the limit before reading it (413). Bodies sent
 * without a length are bounded by the codecs' in-memory limit, which the exception handler also
 * maps to 413.
 */
public class RequestSizeLimitFilter implements WebFilter, Ordered {

    private final long maxBytes;
    private final ProblemWriter writer;

    public RequestSizeLimitFilter(DataSize max, ProblemWriter writer) {
        this.maxBytes = max.toBytes();
        this.writer = writer;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long length = exchange.getRequest().getHeaders().getContentLength();
        if (length > maxBytes) {
            return writer.write(
                    exchange,
                    ProblemWriter.problem(
                            HttpStatus.CONTENT_TOO_LARGE,
                            "Request too large",
                            "The request body exceeds the allowed size of " + maxBytes + " bytes."));
        }
        return chain.filter(exchange);
    }
}
