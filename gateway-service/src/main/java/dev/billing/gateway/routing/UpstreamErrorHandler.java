package dev.billing.gateway.routing;

import dev.billing.gateway.web.ExchangeLogContext;
import dev.billing.platform.web.ProblemWriter;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;

/**
 * A service that cannot be reached (connection refused, unknown host, open circuit) is a 503
 * problem, one that does not answer in time a 504 problem; never a 500. Runs before the
 * platform's handler, which handles everything else.
 */
@Component
class UpstreamErrorHandler implements WebExceptionHandler, Ordered {

    private static final Logger log = LoggerFactory.getLogger(UpstreamErrorHandler.class);

    private final ProblemWriter writer;

    UpstreamErrorHandler(ProblemWriter writer) {
        this.writer = writer;
    }

    @Override
    public int getOrder() {
        return -3; // before the platform's ProblemDetailsExceptionHandler (-2)
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        ProblemDetail problem = toProblem(exchange, ex);
        if (problem == null || exchange.getResponse().isCommitted()) {
            return Mono.error(ex);
        }
        if (problem.getStatus() == 503) {
            exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "5");
        }
        return writer.write(exchange, problem);
    }

    static ProblemDetail toProblem(ServerWebExchange exchange, Throwable ex) {
        if (has(ex, DataBufferLimitException.class)) {
            return null; // the client's body was too large: the platform's 413
        }
        String service = service(exchange);
        if (ex instanceof ResponseStatusException status
                        && status.getStatusCode().value() == 504
                || has(ex, TimeoutException.class)) {
            ExchangeLogContext.run(exchange, () -> log.warn("{} did not answer in time", service));
            return ProblemWriter.problem(
                    HttpStatus.GATEWAY_TIMEOUT, "Gateway Timeout", "The " + service + " did not answer in time.");
        }
        if (has(ex, CallNotPermittedException.class)
                || has(ex, org.springframework.cloud.gateway.support.ServiceUnavailableException.class)
                || ex instanceof ResponseStatusException status
                        && status.getStatusCode().value() == 503) {
            return unavailable(service);
        }
        if (has(ex, ConnectException.class)
                || has(ex, ConnectTimeoutException.class)
                || has(ex, UnknownHostException.class)
                || has(ex, NoRouteToHostException.class)
                || has(ex, PrematureCloseException.class)
                || has(ex, ClosedChannelException.class)) {
            ExchangeLogContext.run(exchange, () -> log.warn("{} is unreachable: {}", service, ex.toString()));
            return unavailable(service);
        }
        return null;
    }

    private static ProblemDetail unavailable(String service) {
        ProblemDetail problem = ProblemWriter.problem(
                HttpStatus.SERVICE_UNAVAILABLE,
                "Service Unavailable",
                "The " + service + " is unavailable. Try again shortly.");
        return problem;
    }

    private static String service(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        if (route == null) {
            return "service";
        }
        String id = route.getId();
        return id.endsWith("-api-docs") ? id.substring(0, id.length() - "-api-docs".length()) : id;
    }

    private static boolean has(Throwable ex, Class<? extends Throwable> type) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
