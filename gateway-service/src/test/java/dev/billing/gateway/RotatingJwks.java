package dev.billing.gateway;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import dev.billing.platform.test.TestJwts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * auth-service's JWKS for the gateway tests: the shared {@link TestJwts} key plus keys a test adds
 * later (a rotation), served over real HTTP; counts how often it is fetched.
 */
final class RotatingJwks {

    private final List<JWK> keys = new CopyOnWriteArrayList<>();
    final AtomicInteger fetches = new AtomicInteger();
    private final HttpServer server;

    RotatingJwks() {
        try {
            String shared = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(TestJwts.shared().jwksUri()))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            keys.addAll(JWKSet.parse(shared).getKeys());
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/.well-known/jwks.json", exchange -> {
                fetches.incrementAndGet();
                byte[] body = new JWKSet(List.copyOf(keys)).toString().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json";
    }

    /** A new signing key, published from now on. */
    RSAKey rotate(String kid) {
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyID(kid).generate();
            keys.add(key.toPublicJWK());
            return key;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
