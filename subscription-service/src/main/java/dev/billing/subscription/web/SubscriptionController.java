package dev.billing.subscription.web;

import dev.billing.platform.security.Caller;
import dev.billing.subscription.application.IdempotentSubscribe;
import dev.billing.subscription.application.Problems;
import dev.billing.subscription.application.Subscriptions;
import dev.billing.subscription.application.Subscriptions.Actor;
import dev.billing.subscription.domain.SubscriptionStatus;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code /api/v1/subscriptions}: every endpoint needs a token; errors are problem details. */
@RestController
@RequestMapping(path = "/api/v1/subscriptions", produces = MediaType.APPLICATION_JSON_VALUE)
class SubscriptionController {

    record Subscribe(@NotNull UUID planId) {}

    record Cancel(Boolean atPeriodEnd) {}

    record ChangePlan(@NotNull UUID planId) {}

    record SubscriptionPage(List<SubscriptionResponse> items, int page, int size, long total) {}

    private final Subscriptions subscriptions;
    private final IdempotentSubscribe idempotent;

    SubscriptionController(Subscriptions subscriptions, IdempotentSubscribe idempotent) {
        this.subscriptions = subscriptions;
        this.idempotent = idempotent;
    }

    /** 201; a retry with the same {@code Idempotency-Key} gets the first answer again. */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<String>> subscribe(
            @Valid @RequestBody Subscribe request,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        return actor().flatMap(actor ->
                        idempotent.subscribe(actor, request.planId(), idempotencyKey, s -> SubscriptionResponse.of(s)))
                .map(answer -> ResponseEntity.status(answer.status())
                        .location(URI.create("/api/v1/subscriptions/" + answer.subscriptionId()))
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(answer.body()));
    }

    @GetMapping("/me")
    Mono<List<SubscriptionResponse>> mine() {
        return actor().flatMap(actor ->
                subscriptions.mine(actor).map(SubscriptionResponse::of).collectList());
    }

    @GetMapping("/{id}")
    Mono<SubscriptionResponse> one(@PathVariable UUID id) {
        return actor().flatMap(actor -> subscriptions.get(actor, id)).map(SubscriptionResponse::of);
    }

    /** Admin: all subscriptions, newest first, optionally by status and user. */
    @GetMapping
    @PreAuthorize("hasRole('ADMIN')")
    Mono<SubscriptionPage> list(
            @RequestParam(required = false) String status,
            @RequestParam(required = false) UUID userId,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size) {
        Map<String, String> errors = new LinkedHashMap<>();
        SubscriptionStatus parsed = null;
        if (status != null && !status.isBlank()) {
            try {
                parsed = SubscriptionStatus.valueOf(status.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.put("status", "must be one of " + List.of(SubscriptionStatus.values()));
            }
        }
        if (page < 0) {
            errors.put("page", "must be 0 or more");
        }
        if (size < 1 || size > Subscriptions.MAX_PAGE_SIZE) {
            errors.put("size", "must be between 1 and " + Subscriptions.MAX_PAGE_SIZE);
        }
        if (!errors.isEmpty()) {
            return Mono.error(Problems.validation(errors));
        }
        return subscriptions
                .list(parsed, userId, page, size)
                .map(p -> new SubscriptionPage(
                        p.items().stream().map(SubscriptionResponse::of).toList(), p.page(), p.size(), p.total()));
    }

    /** {@code atPeriodEnd} (default false): keep it until the period ends, then EXPIRED. */
    @PostMapping("/{id}/cancel")
    Mono<SubscriptionResponse> cancel(@PathVariable UUID id, @RequestBody(required = false) Cancel request) {
        boolean atPeriodEnd = request != null && Boolean.TRUE.equals(request.atPeriodEnd());
        return actor().flatMap(actor -> subscriptions.cancel(actor, id, atPeriodEnd))
                .map(SubscriptionResponse::of);
    }

    /** The same as {@code POST /{id}/cancel {"atPeriodEnd": false}}. */
    @DeleteMapping("/{id}")
    Mono<SubscriptionResponse> delete(@PathVariable UUID id) {
        return actor().flatMap(actor -> subscriptions.cancel(actor, id, false)).map(SubscriptionResponse::of);
    }

    @PostMapping("/{id}/resume")
    Mono<SubscriptionResponse> resume(@PathVariable UUID id) {
        return actor().flatMap(actor -> subscriptions.resume(actor, id)).map(SubscriptionResponse::of);
    }

    @PostMapping(path = "/{id}/change-plan", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<SubscriptionResponse> changePlan(@PathVariable UUID id, @Valid @RequestBody ChangePlan request) {
        return actor().flatMap(actor -> subscriptions.changePlan(actor, id, request.planId()))
                .map(SubscriptionResponse::of);
    }

    static Mono<Actor> actor() {
        return Caller.required().map(c -> new Actor(c.userId(), c.email(), c.isAdmin()));
    }
}
