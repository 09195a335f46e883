package dev.billing.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.gateway.entitlement.Entitlement;
import dev.billing.gateway.entitlement.EntitlementFeed;
import dev.billing.gateway.entitlement.EntitlementGuard;
import dev.billing.gateway.entitlement.EntitlementProperties;
import dev.billing.gateway.entitlement.EntitlementView;
import dev.billing.gateway.entitlement.Requirement;
import dev.billing.platform.event.EventCodec;
import dev.billing.platform.test.TestInfrastructure;
import dev.billing.platform.test.TestJwts;
import dev.billing.platform.test.contracts.EventSchemas;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/**
 * The entitlement guard against a real Kafka: {@code entitlements-changed} envelopes (checked
 * against the contract) published to the topic change what the gateway lets through, without the
 * upstream ever being called for a denied request.
 */
class EntitlementIT extends GatewayTestSupport {

    static final String TOPIC = "entitlements-changed";
    static final String PLAN = "a7e4c1d9-2b3f-4e6a-8d5c-9f0b1a2c3d4e";
    static final Map<String, Object> PREMIUM = Map.of("screens", 4, "resolution", "4K", "hd", true);
    static final Map<String, Object> BASIC = Map.of("screens", 1, "resolution", "720p");

    static KafkaTemplate<String, String> kafka;
    static final JsonMapper json = JsonMapper.builder().build();

    @Autowired
    EntitlementView view;

    @Autowired
    EntitlementProperties entitlementProperties;

    @Autowired
    KafkaProperties kafkaProperties;

    @Autowired
    EventCodec codec;

    @Autowired
    MeterRegistry meters;

    @Autowired
    HealthEndpointGroups healthGroups;

    @Autowired
    HealthContributorRegistry healthContributors;

    @BeforeAll
    static void topicAndProducer() throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1)
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        kafka = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class)));
    }

    @AfterAll
    static void closeProducer() {
        if (kafka != null) {
            kafka.destroy();
        }
    }

    @Test
    void aFreeUserIsDeniedWithAProblemAndTheUpstreamIsNeverCalled() {
        String token = TestJwts.shared().token(UUID.randomUUID(), "USER");
        http().get()
                .uri("/api/v1/demo/premium")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(403)
                .jsonPath("$.title")
                .isEqualTo("Subscription required")
                .jsonPath("$.required.subscription")
                .isEqualTo("active")
                .jsonPath("$.plans")
                .isEqualTo("/api/v1/plans");

        String marker = marker();
        http().get()
                .uri("/media/any/" + marker)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(media.count(marker)).isZero();
    }

    @Test
    void theDemoRouteNeedsAToken() {
        http().get()
                .uri("/api/v1/demo/premium")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void anActiveEntitlementLetsTheCallerInANewerCancelationShutsHimOutAndALateOlderEventIsIgnored() {
        UUID user = UUID.randomUUID();
        String token = TestJwts.shared().token(user, "USER");
        Instant validUntil = clock.instant().plus(Duration.ofDays(30));

        publishAndAwait(user, 2, "ACTIVE", PREMIUM, validUntil);
        premium(token)
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentType(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.message")
                .isNotEmpty()
                .jsonPath("$.planId")
                .isEqualTo(PLAN)
                .jsonPath("$.features.resolution")
                .isEqualTo("4K")
                .jsonPath("$.features.screens")
                .isEqualTo(4);
        String marker = marker();
        guarded(token, "/media/any/" + marker).expectStatus().isOk();
        assertThat(media.count(marker)).isEqualTo(1);

        publishAndAwait(user, 3, "CANCELED", Map.of(), validUntil);
        premium(token)
                .expectStatus()
                .isForbidden()
                .expectBody()
                .jsonPath("$.current.status")
                .isEqualTo("CANCELED");

        double stale = count("stale");
        publish(user, 2, "ACTIVE", PREMIUM, validUntil); // the old grant, delivered again late
        await(() -> count("stale") > stale);
        assertThat(view.get(user.toString()).orElseThrow().version()).isEqualTo(3);
        premium(token).expectStatus().isForbidden();
    }

    @Test
    void aFeatureRequirementLetsInOnlyPlansWithThatFeature() {
        UUID basicUser = UUID.randomUUID();
        UUID premiumUser = UUID.randomUUID();
        Instant validUntil = clock.instant().plus(Duration.ofDays(30));
        publishAndAwait(basicUser, 1, "ACTIVE", BASIC, validUntil);
        publishAndAwait(premiumUser, 1, "ACTIVE", PREMIUM, validUntil);
        String basic = TestJwts.shared().token(basicUser, "USER");
        String premium = TestJwts.shared().token(premiumUser, "USER");

        String denied = marker();
        guarded(basic, "/media/4k/" + denied)
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title")
                .isEqualTo("Subscription required")
                .jsonPath("$.required.feature")
                .isEqualTo("resolution")
                .jsonPath("$.required.value")
                .isEqualTo("4K")
                .jsonPath("$.current.status")
                .isEqualTo("ACTIVE");
        assertThat(media.count(denied)).isZero();
        // the basic plan still opens routes that need any subscription
        premium(basic).expectStatus().isOk();

        String allowed = marker();
        guarded(premium, "/media/4k/" + allowed)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.service")
                .isEqualTo("media-service");
        assertThat(media.last(allowed).orElseThrow().header(HttpHeaders.AUTHORIZATION))
                .isEqualTo("Bearer " + premium);

        // a numeric requirement is a minimum: 4 screens meet "screens:2", 1 does not
        guarded(premium, "/media/screens/" + marker()).expectStatus().isOk();
        guarded(basic, "/media/screens/" + marker()).expectStatus().isForbidden();
    }

    @Test
    void anEntitlementPastItsValidUntilNoLongerGrantsAccess() {
        UUID user = UUID.randomUUID();
        String token = TestJwts.shared().token(user, "USER");
        publishAndAwait(user, 1, "ACTIVE", PREMIUM, clock.instant().plus(Duration.ofHours(1)));
        premium(token).expectStatus().isOk();

        clock.advance(Duration.ofHours(2));

        premium(token)
                .expectStatus()
                .isForbidden()
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("lapsed"));
    }

    @Test
    void pastDueAndTrialingGrantAccessIncompleteAndNoneDoNotAndAFreePlanWithoutEndDoes() {
        Instant validUntil = clock.instant().plus(Duration.ofDays(30));
        for (var status : Map.of("PAST_DUE", true, "TRIALING", true, "INCOMPLETE", false, "EXPIRED", false)
                .entrySet()) {
            UUID user = UUID.randomUUID();
            publishAndAwait(user, 1, status.getKey(), PREMIUM, validUntil);
            premium(TestJwts.shared().token(user, "USER")).expectStatus().isEqualTo(status.getValue() ? 200 : 403);
        }
        UUID none = UUID.randomUUID();
        publishAndAwait(none, 1, "NONE", Map.of(), null);
        premium(TestJwts.shared().token(none, "USER")).expectStatus().isForbidden();

        UUID free = UUID.randomUUID();
        publishAndAwait(free, 1, "ACTIVE", Map.of("screens", 1), null);
        premium(TestJwts.shared().token(free, "USER")).expectStatus().isOk();
    }

    @Test
    void aFreshViewRebuiltFromTheTopicSeesTheExistingState() throws Exception {
        UUID active = UUID.randomUUID();
        UUID canceled = UUID.randomUUID();
        Instant validUntil = clock.instant().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS);
        publishAndAwait(active, 1, "INCOMPLETE", Map.of(), null);
        publishAndAwait(active, 2, "ACTIVE", PREMIUM, validUntil);
        publishAndAwait(canceled, 4, "CANCELED", Map.of(), validUntil);
        publish(canceled, 3, "ACTIVE", PREMIUM, validUntil); // late and older: ignored on rebuild too

        EntitlementView rebuilt = new EntitlementView(codec, new SimpleMeterRegistry());
        EntitlementFeed feed =
                new EntitlementFeed(rebuilt, kafkaProperties.buildConsumerProperties(), entitlementProperties);
        feed.start();
        try {
            feed.whenReady().get(30, TimeUnit.SECONDS);
            assertThat(feed.ready()).isTrue();
            Entitlement grant = rebuilt.get(active.toString()).orElseThrow();
            assertThat(grant.status()).isEqualTo("ACTIVE");
            assertThat(grant.version()).isEqualTo(2);
            assertThat(grant.features()).containsEntry("resolution", "4K");
            assertThat(grant.validUntil()).isEqualTo(validUntil);
            assertThat(grant.planId()).isEqualTo(PLAN);
            await(() -> rebuilt.get(canceled.toString()).isPresent());
            assertThat(rebuilt.get(canceled.toString()).orElseThrow().status()).isEqualTo("CANCELED");
        } finally {
            feed.stop();
        }
    }

    @Test
    void malformedMessagesAreSkippedAndCountedAndTheFeedMovesOn() {
        double malformed = count("malformed");
        UUID user = UUID.randomUUID();
        send(user, "this is not json");
        send(user, "{\"specversion\":\"1.0\",\"type\":\"entitlements-changed\"}");
        Map<String, Object> noStatus = envelope(user, 5, "ACTIVE", PREMIUM, null);
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) noStatus.get("data");
        data.remove("status");
        send(user, json.writeValueAsString(noStatus));

        publishAndAwait(user, 1, "ACTIVE", PREMIUM, clock.instant().plus(Duration.ofDays(30)));
        await(() -> count("malformed") >= malformed + 3);
        premium(TestJwts.shared().token(user, "USER")).expectStatus().isOk();
    }

    @Test
    void theGatewayIsReadyOnceTheViewHasCaughtUp() {
        http().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }

    @Test
    void theEntitlementIndicatorIsPartOfReadiness() {
        assertThat(healthGroups.get("readiness").isMember("entitlements")).isTrue();
        assertThat(healthContributors.getContributor("entitlements")).isNotNull();
    }

    @Test
    void aGuardedRequestWaitsForTheViewToLoadThenGets503WithRetryAfter() {
        EntitlementView empty = new EntitlementView(codec, new SimpleMeterRegistry());
        EntitlementFeed notStarted =
                new EntitlementFeed(empty, kafkaProperties.buildConsumerProperties(), entitlementProperties);
        var props = new EntitlementProperties(
                TOPIC, Duration.ofMillis(300), Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(1));
        var guard = new EntitlementGuard(empty, notStarted, props, clock);
        var exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/media/any/x"))
                .mutate()
                .principal(Mono.just(new TestingAuthenticationToken("someone", null, "ROLE_USER")))
                .build();
        StepVerifier.create(guard.check(exchange, Requirement.ANY))
                .expectErrorSatisfies(e -> assertThat(
                                ((ErrorResponseException) e).getStatusCode().value())
                        .isEqualTo(503))
                .verify(Duration.ofSeconds(5));
        assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER))
                .isEqualTo("2");
    }

    @Test
    void aFeedStartedBeforeItsTopicExistsIsReadyAtOnceAndReadsTheTopicOnceCreated() throws Exception {
        String topic = "entitlements-changed-later-" + UUID.randomUUID();
        var props = new EntitlementProperties(
                topic, Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMillis(300));
        EntitlementView later = new EntitlementView(codec, new SimpleMeterRegistry());
        EntitlementFeed feed = new EntitlementFeed(later, kafkaProperties.buildConsumerProperties(), props);
        feed.start();
        try {
            feed.whenReady().get(30, TimeUnit.SECONDS);
            UUID user = UUID.randomUUID();
            String value = json.writeValueAsString(
                    envelope(user, 1, "ACTIVE", PREMIUM, clock.instant().plus(Duration.ofDays(30))));
            kafka.send(topic, user.toString(), value).get(10, TimeUnit.SECONDS);
            await(() -> later.get(user.toString()).isPresent());
        } finally {
            feed.stop();
        }
    }

    // ---------------------------------------------------------------------------------------

    private WebTestClient.ResponseSpec premium(String token) {
        return guarded(token, "/api/v1/demo/premium");
    }

    private WebTestClient.ResponseSpec guarded(String token, String path) {
        return http().get()
                .uri(path)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange();
    }

    private double count(String outcome) {
        var counter = meters.find("gateway.entitlements.events")
                .tag("outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private void publishAndAwait(
            UUID user, long version, String status, Map<String, Object> features, Instant validUntil) {
        publish(user, version, status, features, validUntil);
        await(() -> view.get(user.toString()).map(e -> e.version() == version).orElse(false));
    }

    /** An envelope built like {@code examples/entitlements-changed.json}, checked against the contract. */
    private void publish(UUID user, long version, String status, Map<String, Object> features, Instant validUntil) {
        String value = json.writeValueAsString(envelope(user, version, status, features, validUntil));
        EventSchemas.assertValid(value);
        send(user, value);
    }

    private Map<String, Object> envelope(
            UUID user, long version, String status, Map<String, Object> features, Instant validUntil) {
        boolean none = status.equals("NONE");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("userId", user.toString());
        data.put("subscriptionId", none ? null : UUID.randomUUID().toString());
        data.put("planId", none ? null : PLAN);
        data.put("status", status);
        data.put("features", features);
        data.put("validUntil", validUntil == null ? null : validUntil.toString());
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("specversion", "1.0");
        envelope.put("id", UUID.randomUUID().toString());
        envelope.put("type", TOPIC);
        envelope.put("source", "subscription-service");
        envelope.put("time", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        envelope.put("subject", user.toString());
        envelope.put("dataschema", "urn:billing:event:entitlements-changed:1");
        envelope.put("datacontenttype", "application/json");
        envelope.put("aggregateversion", version);
        envelope.put("data", data);
        return envelope;
    }

    private static void send(UUID user, String value) {
        try {
            kafka.send(TOPIC, user.toString(), value).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + TOPIC, e);
        }
    }

    private static void await(BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within 20s");
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
