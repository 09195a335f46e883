package dev.billing.platform.test;

import java.time.Duration;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Real HTTP to a service started on a random port. */
public final class TestHttp {

    /**
     * Generous on purpose: the first request of a JVM loads classes and fetches the JWKS, which on a
     * busy 2-core CI machine has taken longer than WebTestClient's 5 s default.
     */
    public static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);

    private TestHttp() {}

    public static WebTestClient local(int port) {
        return WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + port)
                .responseTimeout(RESPONSE_TIMEOUT)
                .build();
    }
}
