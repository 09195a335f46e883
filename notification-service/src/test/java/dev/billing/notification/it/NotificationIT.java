package dev.billing.notification.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.notification.mail.application.Dispatcher;
import dev.billing.platform.test.IntegrationTest;
import dev.billing.platform.test.TestClock;
import dev.billing.platform.test.TestHttp;
import dev.billing.platform.test.TestJwts;
import dev.billing.platform.test.TopicReader;
import dev.billing.platform.test.contracts.EventSchemas;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the ITs share (one Spring context): events in over real Kafka (built from the contracts'
 * examples and checked against their schemas), mail out to a real SMTP server (GreenMail), the
 * API over real HTTP, the database and the clock.
 */
@IntegrationTest
abstract class NotificationIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration WAIT = Duration.ofSeconds(30);

    static {
        MailServer.get();
    }

    @LocalServerPort
    int port;

    @Autowired
    DatabaseClient db;

    @Autowired
    TestClock clock;

    @Autowired
    KafkaTemplate<String, String> kafka;

    @Autowired
    Dispatcher dispatcher;

    WebTestClient http() {
        return TestHttp.local(port);
    }

    record User(UUID id, String email, String name, String token) {
        Consumer<HttpHeaders> auth() {
            return h -> h.setBearerAuth(token);
        }
    }

    /** A user auth-service has not told us about yet. */
    static User newUser() {
        UUID id = UUID.randomUUID();
        String email = "user-" + id.toString().substring(0, 8) + "@example.com";
        return new User(
                id,
                email,
                "Jane " + id.toString().substring(0, 4),
                TestJwts.shared().token(id, "USER"));
    }

    /** A user registered through user-registered (its welcome mail delivered and drained). */
    User registeredUser() {
        User user = newUser();
        userRegistered(user);
        awaitMails(user, 1);
        return user;
    }

    // ---- events in ----------------------------------------------------------------------------

    /** Publishes an event of {@code type} built from the contract's example; returns its envelope JSON. */
    String publish(String type, UUID subject, long version, Consumer<ObjectNode> data) {
        String json = envelope(type, subject, version, data);
        EventSchemas.assertValid(json);
        send(type, subject, json);
        return json;
    }

    /** An envelope from the contract's example, changed by {@code data}, not checked (for broken events). */
    String envelope(String type, UUID subject, long version, Consumer<ObjectNode> data) {
        ObjectNode envelope = (ObjectNode) JSON.readTree(EventSchemas.example(type));
        envelope.put("id", UUID.randomUUID().toString());
        envelope.put("subject", subject.toString());
        envelope.put("aggregateversion", version);
        envelope.put("time", clock.instant().toString());
        data.accept((ObjectNode) envelope.get("data"));
        return JSON.writeValueAsString(envelope);
    }

    void send(String topic, UUID key, String json) {
        kafka.send(topic, key.toString(), json).join();
    }

    String userRegistered(User user) {
        return publish("user-registered", user.id(), 1, d -> auth(d, user));
    }

    String verificationRequested(User user, String token) {
        return publish("email-verification-requested", user.id(), 1, d -> {
            auth(d, user);
            d.put("token", token);
        });
    }

    String subscriptionEvent(String type, User user, UUID subscriptionId, Consumer<ObjectNode> more) {
        return publish(type, subscriptionId, 2, d -> {
            d.put("subscriptionId", subscriptionId.toString());
            d.put("userId", user.id().toString());
            d.put("planName", "Premium");
            more.accept(d);
        });
    }

    String paymentEvent(String type, User user, UUID subscriptionId, long amount) {
        return publish(type, subscriptionId, 3, d -> {
            d.put("subscriptionId", subscriptionId.toString());
            d.put("userId", user.id().toString());
            d.put("amount", amount);
            d.put("currency", "USD");
        });
    }

    private static void auth(ObjectNode d, User user) {
        d.put("userId", user.id().toString());
        d.put("email", user.email());
        d.put("name", user.name());
    }

    /** Waits until the listener has processed (applied or skipped) this event. */
    void awaitApplied(String envelopeJson) {
        String eventId = JSON.readTree(envelopeJson).get("id").asString();
        await(() -> count("SELECT count(*) FROM inbox WHERE event_id = '" + eventId + "'") == 1);
    }

    static UUID eventId(String envelopeJson) {
        return UUID.fromString(JSON.readTree(envelopeJson).get("id").asString());
    }

    /** The dead letter of an event, once the listener has given up on it. */
    static JsonNode deadLetter(String topic, UUID eventId) {
        var records = TopicReader.readUntil(
                topic, read -> read.stream().anyMatch(r -> r.value().contains(eventId.toString())), WAIT);
        return records.stream()
                .filter(r -> r.value().contains(eventId.toString()))
                .findFirst()
                .map(r -> JSON.readTree(r.value()))
                .orElseThrow(() -> new AssertionError("no dead letter for " + eventId + " in " + topic));
    }

    // ---- mail out -----------------------------------------------------------------------------

    static List<MimeMessage> mailsTo(User user) {
        return Arrays.stream(MailServer.get().getReceivedMessages())
                .filter(m -> recipients(m).contains(user.email()))
                .toList();
    }

    static List<MimeMessage> awaitMails(User user, int count) {
        await(() -> mailsTo(user).size() >= count);
        return mailsTo(user);
    }

    /** The mail to the user with this subject, once it has arrived. */
    static MimeMessage awaitMail(User user, String subject) {
        await(() -> mailsTo(user).stream().anyMatch(m -> subject(m).equals(subject)));
        List<MimeMessage> matching =
                mailsTo(user).stream().filter(m -> subject(m).equals(subject)).toList();
        assertThat(matching).as("mails with subject '%s'", subject).hasSize(1);
        return matching.getFirst();
    }

    static List<String> recipients(MimeMessage m) {
        try {
            Address[] to = m.getAllRecipients();
            return to == null
                    ? List.of()
                    : Arrays.stream(to)
                            .map(a -> ((InternetAddress) a).getAddress())
                            .toList();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The text/plain or text/html part of a (multipart) message, null when it has none. */
    static String part(Part part, String mimeType) {
        try {
            if (part.isMimeType(mimeType) && !Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
                return part.getContent().toString();
            }
            if (part.isMimeType("multipart/*")) {
                Multipart multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart body = multipart.getBodyPart(i);
                    String found = part(body, mimeType);
                    if (found != null) {
                        return found;
                    }
                }
            }
            return null;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String text(MimeMessage m) {
        String text = part(m, "text/plain");
        assertThat(text).as("text/plain part").isNotNull();
        return text;
    }

    static String html(MimeMessage m) {
        String html = part(m, "text/html");
        assertThat(html).as("text/html part").isNotNull();
        return html;
    }

    // ---- the log and the API ------------------------------------------------------------------

    record Row(String status, int attempts, String lastError, String model, String recipient, Instant nextAttemptAt) {}

    Row row(String envelopeJson) {
        return db.sql("SELECT status, attempts, last_error, model, recipient, next_attempt_at FROM notifications"
                        + " WHERE event_id = :id")
                .bind("id", eventId(envelopeJson))
                .map(r -> new Row(
                        r.get("status", String.class),
                        r.get("attempts", Integer.class),
                        r.get("last_error", String.class),
                        r.get("model", String.class),
                        r.get("recipient", String.class),
                        r.get("next_attempt_at", Instant.class)))
                .one()
                .block(WAIT);
    }

    /** Waits until the event has its row in the log and returns it. */
    Row awaitRow(String envelopeJson) {
        UUID id = eventId(envelopeJson);
        await(() -> count("SELECT count(*) FROM notifications WHERE event_id = '" + id + "'") == 1);
        return row(envelopeJson);
    }

    long sendNow() {
        return dispatcher.runOnce().block(WAIT);
    }

    String getRaw(User user, String path) {
        return http().get()
                .uri(path)
                .headers(user.auth())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
    }

    JsonNode get(User user, String path) {
        return JSON.readTree(getRaw(user, path));
    }

    // ---- helpers --------------------------------------------------------------------------------

    long count(String sql) {
        return db.sql(sql).map(row -> row.get(0, Long.class)).one().block(WAIT);
    }

    static void await(BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within " + WAIT);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
