package dev.billing.gateway.web;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The platform's size limit rejects a declared {@code Content-Length} over the limit (413). A
 * body streamed without one (chunked) is proxied as it arrives, so here it is counted on the way
 * through and cut off with a 413 once it passes the limit.
 */
@Component
class StreamedBodyLimitFilter implements WebFilter, Ordered {

    private final long maxBytes;

    StreamedBodyLimitFilter(@Value("${platform.web.max-request-size:256KB}") DataSize max) {
        this.maxBytes = max.toBytes();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 11; // right after the platform's Content-Length check
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var request = exchange.getRequest();
        if (request.getHeaders().getContentLength() >= 0) {
            return chain.filter(exchange); // declared: checked by the platform's filter
        }
        AtomicLong seen = new AtomicLong();
        var counted = new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                return super.getBody().map(buffer -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > maxBytes) {
                        DataBufferUtils.release(buffer);
                        // the rest of the body is never read: the connection cannot be reused
                        exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
                        throw new DataBufferLimitException("request body over " + maxBytes + " bytes");
                    }
                    return buffer;
                });
            }
        };
        return chain.filter(exchange.mutate().request(counted).build());
    }
}
