package dev.billing.subscription.application;

import dev.billing.subscription.application.Subscriptions.Actor;
import dev.billing.subscription.domain.Subscription;
import dev.billing.subscription.persistence.IdempotencyRepository;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/v1/subscriptions} with an {@code Idempotency-Key}: the key (per user) is
 * claimed in the transaction that creates the subscription, and the answer stored with it; a
 * retry, also a concurrent one, gets that first answer. Errors are not stored: a retry after a
 * 404 or 409 asks again. The same key with another plan is a 422.
 */
@Service
public class IdempotentSubscribe {

    public static final int MAX_KEY_LENGTH = 255;

    /** The answer: status, the subscription's id and the JSON body. */
    public record Answer(int status, UUID subscriptionId, String body) {}

    private final Subscriptions subscriptions;
    private final IdempotencyRepository keys;
    private final TransactionalOperator tx;
    private final JsonMapper json;

    IdempotentSubscribe(
            Subscriptions subscriptions, IdempotencyRepository keys, TransactionalOperator tx, JsonMapper json) {
        this.subscriptions = subscriptions;
        this.keys = keys;
        this.tx = tx;
        this.json = json;
    }

    public Mono<Answer> subscribe(Actor actor, UUID planId, String key, Function<Subscription, Object> render) {
        if (key == null || key.isBlank()) {
            return subscriptions.subscribe(actor, planId).map(s -> answer(s, render));
        }
        if (key.length() > MAX_KEY_LENGTH) {
            return Mono.error(Problems.of(
                    HttpStatus.BAD_REQUEST,
                    "Bad request",
                    "Idempotency-Key must be at most " + MAX_KEY_LENGTH + " characters."));
        }
        String hash = planId.toString();
        return tx.transactional(keys.claim(actor.userId(), key, hash, subscriptions.now())
                        .flatMap(first -> first
                                ? subscriptions
                                        .subscribe(actor, planId)
                                        .map(s -> answer(s, render))
                                        .flatMap(a -> keys.complete(actor.userId(), key, a.status(), a.body())
                                                .thenReturn(a))
                                : replay(actor, key, hash)))
                .onErrorMap(
                        org.springframework.dao.DataIntegrityViolationException.class,
                        e -> Subscriptions.alreadySubscribed());
    }

    private Mono<Answer> replay(Actor actor, String key, String hash) {
        return keys.find(actor.userId(), key)
                .switchIfEmpty(
                        Mono.error(() -> Problems.conflict("A request with this Idempotency-Key is in progress.")))
                .flatMap(stored -> {
                    if (!stored.requestHash().equals(hash)) {
                        return Mono.error(Problems.of(
                                HttpStatus.UNPROCESSABLE_CONTENT,
                                "Unprocessable Content",
                                "This Idempotency-Key was used with another request."));
                    }
                    JsonNode body = json.readTree(stored.body());
                    return Mono.just(new Answer(
                            stored.status(), UUID.fromString(body.get("id").asString()), stored.body()));
                });
    }

    private Answer answer(Subscription s, Function<Subscription, Object> render) {
        return new Answer(HttpStatus.CREATED.value(), s.id(), json.writeValueAsString(render.apply(s)));
    }
}
