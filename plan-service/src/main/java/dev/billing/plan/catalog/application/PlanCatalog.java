package dev.billing.plan.catalog.application;

import dev.billing.plan.catalog.domain.IllegalPlanChangeException;
import dev.billing.plan.catalog.domain.InvalidPlanException;
import dev.billing.plan.catalog.domain.Plan;
import dev.billing.plan.catalog.domain.PlanChange;
import dev.billing.plan.catalog.domain.PlanDefinition;
import dev.billing.plan.catalog.domain.PlanDraft;
import dev.billing.plan.catalog.domain.PlanPrice;
import dev.billing.plan.catalog.domain.PlanStatus;
import dev.billing.plan.catalog.persistence.IdempotencyRepository;
import dev.billing.plan.catalog.persistence.PlanRepository;
import dev.billing.plan.common.Problems;
import dev.billing.platform.event.OutboundEvent;
import dev.billing.platform.outbox.Outbox;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * The catalog's use cases. Each command loads the plan (row locked), lets the domain decide, and
 * writes the plan, its new price version and its events (outbox) in one transaction.
 */
@Service
public class PlanCatalog {

    /** A page of the public list. */
    public record Page(List<Plan> items, int page, int size, long total) {}

    /** An {@code Idempotency-Key} of a caller, with the fingerprint of the request it came with. */
    public record IdempotencyKey(UUID caller, String key, String fingerprint) {}

    /**
     * The outcome of a create: the new plan, or, for a retry of a request already answered, the
     * first answer ({@code replayedBody}) and its plan id.
     */
    public record Created(UUID planId, Plan plan, String replayedBody) {
        public boolean replayed() {
            return replayedBody != null;
        }
    }

    private final PlanRepository plans;
    private final IdempotencyRepository keys;
    private final Outbox outbox;
    private final TransactionalOperator tx;
    private final Clock clock;

    PlanCatalog(
            PlanRepository plans, IdempotencyRepository keys, Outbox outbox, TransactionalOperator tx, Clock clock) {
        this.plans = plans;
        this.keys = keys;
        this.outbox = outbox;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * Creates a plan (409 if its code is taken). With an idempotency key, the key and the answer
     * ({@code render} of the plan) are stored in the same transaction; a retry with the same key and
     * body gets that answer back, the same key with another body a 422.
     */
    public Mono<Created> create(PlanDraft draft, IdempotencyKey key, Function<Plan, String> render) {
        return Mono.defer(() -> {
                    PlanDraft.Valid valid = draft.validate(true);
                    if (key == null) {
                        return tx.transactional(insert(valid.code(), valid.definition()))
                                .map(plan -> new Created(plan.id(), plan, null));
                    }
                    return tx.transactional(keys.claim(key.caller(), key.key(), key.fingerprint(), now())
                            .flatMap(claimed -> claimed
                                    ? insert(valid.code(), valid.definition()).flatMap(plan -> keys.complete(
                                                    key.caller(),
                                                    key.key(),
                                                    plan.id(),
                                                    HttpStatus.CREATED.value(),
                                                    render.apply(plan))
                                            .thenReturn(new Created(plan.id(), plan, null)))
                                    : replay(key)));
                })
                .onErrorMap(PlanCatalog::toProblem);
    }

    private Mono<Created> replay(IdempotencyKey key) {
        return keys.find(key.caller(), key.key())
                .flatMap(recorded -> recorded.fingerprint().equals(key.fingerprint())
                        ? Mono.just(new Created(recorded.planId(), null, recorded.body()))
                        : Mono.error(Problems.of(
                                HttpStatus.UNPROCESSABLE_CONTENT,
                                "Idempotency key reused",
                                "This Idempotency-Key was already used for another request.")));
    }

    /** Creates the plan unless one with its code exists (any status); emits the new plan or nothing. */
    public Mono<Plan> createIfAbsent(String code, PlanDefinition definition) {
        PlanChange change = Plan.create(UUID.randomUUID(), code, definition, now());
        return tx.transactional(plans.insertIfCodeAbsent(change.plan())
                .filter(Boolean::booleanValue)
                .flatMap(inserted -> saveNew(change)));
    }

    private Mono<Plan> insert(String code, PlanDefinition definition) {
        PlanChange change = Plan.create(UUID.randomUUID(), code, definition, now());
        return plans.insertIfCodeAbsent(change.plan())
                .flatMap(inserted -> inserted
                        ? saveNew(change)
                        : Mono.error(Problems.conflict("A plan with code '" + code + "' already exists.")));
    }

    private Mono<Plan> saveNew(PlanChange change) {
        return plans.insertPrice(change.newPrice())
                .then(outbox.record(events(change)))
                .thenReturn(change.plan());
    }

    /**
     * Changes a plan: {@code change} turns the current plan (locked for the transaction) into the
     * submitted draft, e.g. the body of a PUT, or the plan merged with a PATCH. {@code
     * expectedVersion} (optional) is the version the caller read.
     */
    public Mono<Plan> update(UUID id, Long expectedVersion, Function<Plan, PlanDraft> change) {
        return tx.transactional(locked(id, expectedVersion).flatMap(plan -> {
                    PlanDraft.Valid valid = change.apply(plan).validate(false);
                    return save(plan.update(valid.code(), valid.definition(), now()));
                }))
                .onErrorMap(PlanCatalog::toProblem);
    }

    /** Archives a plan (idempotent: archiving an archived plan changes nothing). */
    public Mono<Plan> archive(UUID id, Long expectedVersion) {
        return tx.transactional(locked(id, expectedVersion).flatMap(plan -> save(plan.archive(now()))))
                .onErrorMap(PlanCatalog::toProblem);
    }

    public Mono<Plan> find(UUID id) {
        return plans.findById(id).switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    /** A page of the plans with these statuses (the public list: ACTIVE), by tier then code. */
    public Mono<Page> list(Set<PlanStatus> statuses, int page, int size) {
        return plans.page(statuses, page, size)
                .collectList()
                .zipWith(plans.count(statuses))
                .map(t -> new Page(t.getT1(), page, size, t.getT2()));
    }

    /** Every price version of the plan, oldest first. */
    public Mono<List<PlanPrice>> prices(UUID id) {
        return find(id).flatMap(plan -> plans.prices(id).collectList());
    }

    public Mono<PlanPrice> price(UUID id, int version) {
        return find(id).flatMap(plan -> plans.price(id, version)
                .switchIfEmpty(
                        Mono.error(() -> Problems.notFound("Plan " + id + " has no price version " + version + "."))));
    }

    /**
     * The plan, locked for the transaction; with {@code expectedVersion} (from {@code If-Match}), a
     * plan changed meanwhile is a 412.
     */
    private Mono<Plan> locked(UUID id, Long expectedVersion) {
        return plans.findByIdForUpdate(id)
                .switchIfEmpty(Mono.error(() -> notFound(id)))
                .flatMap(plan -> expectedVersion == null || plan.version() == expectedVersion
                        ? Mono.just(plan)
                        : Mono.error(Problems.of(
                                HttpStatus.PRECONDITION_FAILED,
                                "Precondition Failed",
                                "Plan " + id + " is at version " + plan.version() + ", not " + expectedVersion
                                        + " (If-Match): read it again.")));
    }

    private Mono<Plan> save(PlanChange change) {
        if (!change.changed()) {
            return Mono.just(change.plan());
        }
        Mono<Void> price = change.newPrice() == null ? Mono.empty() : plans.insertPrice(change.newPrice());
        return plans.update(change.plan())
                .then(price)
                .then(outbox.record(events(change)))
                .thenReturn(change.plan());
    }

    private static List<OutboundEvent> events(PlanChange change) {
        Plan plan = change.plan();
        return change.events().stream()
                .map(event -> OutboundEvent.of(event.type(), plan.id(), plan.version(), event))
                .toList();
    }

    /** Postgres keeps microseconds: the events carry the same instants as the rows. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static Throwable toProblem(Throwable e) {
        if (e instanceof InvalidPlanException invalid) {
            return Problems.validation(invalid.errors());
        }
        if (e instanceof IllegalPlanChangeException illegal) {
            return Problems.conflict(illegal.getMessage());
        }
        return e;
    }

    private static RuntimeException notFound(UUID id) {
        return Problems.notFound("Plan " + id + " was not found.");
    }
}
