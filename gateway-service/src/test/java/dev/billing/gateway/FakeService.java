package dev.billing.gateway;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A stand-in for one service: a real HTTP server in the test JVM that records every request
 * (method, path with query, headers, body bytes) and answers 200 JSON, its readiness, its OpenAPI
 * document, or slowly. It can be stopped and started again on the same port.
 */
final class FakeService {

    record Received(String method, String uri, Headers headers, byte[] body) {
        String header(String name) {
            return headers.getFirst(name);
        }
    }

    final String name;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int port;
    private volatile HttpServer server;
    volatile Duration delay = Duration.ZERO;
    volatile String readiness = "UP";
    volatile Duration readinessDelay = Duration.ZERO;

    FakeService(String name) {
        this.name = name;
        start();
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            s.createContext("/", this::handle);
            s.start();
            port = s.getAddress().getPort();
            server = s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** The last request whose path and query contain {@code marker}. */
    Optional<Received> last(String marker) {
        for (int i = received.size() - 1; i >= 0; i--) {
            if (received.get(i).uri().contains(marker)) {
                return Optional.of(received.get(i));
            }
        }
        return Optional.empty();
    }

    long count(String marker) {
        return received.stream().filter(r -> r.uri().contains(marker)).count();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String uri = exchange.getRequestURI().toString();
            received.add(new Received(exchange.getRequestMethod(), uri, exchange.getRequestHeaders(), body));
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/actuator/health/readiness")) {
                sleep(readinessDelay);
                respond(exchange, "UP".equals(readiness) ? 200 : 503, "{\"status\":\"" + readiness + "\"}");
                return;
            }
            if (path.equals("/v3/api-docs")) {
                respond(
                        exchange,
                        200,
                        "{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"" + name + "\",\"version\":\"1\"}}");
                return;
            }
            if (path.contains("/slow")) {
                sleep(Duration.ofSeconds(5));
            }
            if (path.contains("/held")) {
                sleep(Duration.ofMillis(500));
            }
            sleep(delay);
            respond(exchange, 200, "{\"service\":\"" + name + "\",\"method\":\"" + exchange.getRequestMethod() + "\"}");
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void sleep(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
