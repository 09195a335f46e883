package dev.billing.payment.billing.webhook;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import dev.billing.payment.billing.domain.Times;
import dev.billing.payment.common.Problems;
import dev.billing.payment.config.PaymentProperties;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /webhooks/stripe}: verifies Stripe's signature over the raw body, stores the event
 * once and answers 200 at once; {@link StripeWebhookProcessor} applies it after the commit.
 * Stripe retries anything but a 2xx for days, so a 4xx is only for what a retry cannot fix.
 */
@RestController
class StripeWebhookController {

    private static final Logger log = LoggerFactory.getLogger(StripeWebhookController.class);

    private final WebhookEventStore events;
    private final StripeWebhookProcessor processor;
    private final PaymentProperties props;
    private final Clock clock;

    StripeWebhookController(
            WebhookEventStore events, StripeWebhookProcessor processor, PaymentProperties props, Clock clock) {
        this.events = events;
        this.processor = processor;
        this.props = props;
        this.clock = clock;
    }

    @PostMapping(path = "/webhooks/stripe", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Boolean>> receive(
            @RequestHeader(name = "Stripe-Signature", required = false) String signature,
            @RequestBody(required = false) byte[] body) {
        List<String> secrets = props.stripe().webhookSecrets().stream()
                .filter(s -> s != null && !s.isBlank())
                .toList();
        if (secrets.isEmpty()) {
            // a configuration gap, not a bad request: Stripe keeps retrying a 503 for days, so the
            // events arrive once STRIPE_WEBHOOK_SECRET is set; nothing is stored unverified
            return Mono.error(Problems.of(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "Webhook secret not configured",
                    "Stripe webhooks are not accepted: no endpoint signing secret is configured."));
        }
        if (signature == null || signature.isBlank()) {
            return Mono.error(badSignature("The Stripe-Signature header is missing."));
        }
        if (body == null || body.length == 0) {
            return Mono.error(badSignature("The request has no body to verify."));
        }
        // Stripe signs the body's bytes; they are UTF-8 JSON, so the string is the same bytes
        String payload = new String(body, StandardCharsets.UTF_8);
        if (!verified(payload, signature, secrets)) {
            return Mono.error(
                    badSignature(
                            "The Stripe-Signature header does not match the body with a configured secret within the tolerance."));
        }
        JsonObject event;
        try {
            event = JsonParser.parseString(payload).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            return Mono.error(Problems.of(HttpStatus.BAD_REQUEST, "Malformed event", "The body is not a JSON object."));
        }
        String id = text(event, "id");
        String type = text(event, "type");
        Long created = number(event, "created");
        if (id == null || !id.startsWith("evt_") || type == null || created == null || !event.has("data")) {
            return Mono.error(Problems.of(
                    HttpStatus.BAD_REQUEST,
                    "Malformed event",
                    "The body is not a Stripe event (id evt_..., type, created and data are required)."));
        }
        boolean livemode = event.has("livemode")
                && event.get("livemode").isJsonPrimitive()
                && event.get("livemode").getAsBoolean();
        return events.insert(id, type, Instant.ofEpochSecond(created), livemode, payload, Times.now(clock))
                .doOnNext(inserted -> {
                    if (inserted) {
                        processor.nudge();
                    } else {
                        log.debug("Stripe event {} delivered again; already stored", id);
                    }
                })
                .thenReturn(Map.of("received", true));
    }

    /** Any configured secret may match (rotation); several v1 entries in the header are fine. */
    private boolean verified(String payload, String signature, List<String> secrets) {
        long tolerance = props.stripe().webhookTolerance().toSeconds();
        Long signedAt = signedAt(signature);
        // stripe-java checks only that the timestamp is not too old; one too far ahead of our
        // clock is refused as well (a signature made for later use)
        if (signedAt == null || (tolerance > 0 && signedAt > clock.instant().getEpochSecond() + tolerance)) {
            return false;
        }
        for (String secret : secrets) {
            try {
                if (Webhook.Signature.verifyHeader(payload, signature, secret, tolerance, clock)) {
                    return true;
                }
            } catch (SignatureVerificationException e) {
                // try the next secret; the reason is not echoed (it would help a forger)
            }
        }
        return false;
    }

    private static Long signedAt(String header) {
        for (String part : header.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length == 2 && kv[0].equals("t")) {
                try {
                    return Long.parseLong(kv[1]);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static org.springframework.web.ErrorResponseException badSignature(String detail) {
        return Problems.of(HttpStatus.BAD_REQUEST, "Invalid signature", detail);
    }

    private static String text(JsonObject o, String field) {
        var v = o.get(field);
        return v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isString() ? v.getAsString() : null;
    }

    private static Long number(JsonObject o, String field) {
        var v = o.get(field);
        return v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber() ? v.getAsLong() : null;
    }
}
