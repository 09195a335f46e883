package dev.billing.payment.billing.webhook;

import dev.billing.payment.PaymentIT;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** What the webhook ITs share: signed posts, running the processor, reading what was stored. */
abstract class WebhookIT extends PaymentIT {

    @Autowired
    StripeWebhookProcessor processor;

    WebTestClient.ResponseSpec post(String payload, String signature) {
        var request = http().post().uri("/webhooks/stripe").contentType(MediaType.APPLICATION_JSON);
        if (signature != null) {
            request = request.header("Stripe-Signature", signature);
        }
        return request.bodyValue(payload).exchange();
    }

    /** Posts an event signed now with the current secret; expects 200 {"received":true}. */
    void deliver(String payload) {
        post(
                        payload,
                        StripeFixtures.signature(
                                payload, StripeFixtures.SECRET, clock.instant().getEpochSecond()))
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.received")
                .isEqualTo(true);
    }

    int process() {
        return processor.runOnce().block(Duration.ofSeconds(60));
    }

    /** Processes until nothing is due, moving the clock past each backoff (at most a few rounds). */
    void processAll() {
        for (int round = 0; round < 6; round++) {
            process();
            if (count("SELECT count(*) FROM stripe_webhook_events WHERE status = 'RECEIVED'", Map.of()) == 0) {
                return;
            }
            clock.advance(Duration.ofHours(2));
        }
    }

    Map<String, Object> row(String sql, Map<String, Object> params) {
        var spec = db.sql(sql);
        for (var e : params.entrySet()) {
            spec = spec.bind(e.getKey(), e.getValue());
        }
        return spec.fetch().one().map(TreeMap<String, Object>::new).block(Duration.ofSeconds(10));
    }

    List<Map<String, Object>> rows(String sql, Map<String, Object> params) {
        var spec = db.sql(sql);
        for (var e : params.entrySet()) {
            spec = spec.bind(e.getKey(), e.getValue());
        }
        return spec.fetch()
                .all()
                .map(m -> (Map<String, Object>) new TreeMap<>(m))
                .collectList()
                .block(Duration.ofSeconds(10));
    }

    /** A subscription known here (subscription-created, INCOMPLETE 1999 USD) with its session. */
    StripeFixtures.Ids subscribed() {
        UUID sub = UUID.randomUUID();
        UUID user = UUID.randomUUID();
        UUID session = subscribe(sub, user);
        return StripeFixtures.Ids.of(sub, user, session);
    }
}
