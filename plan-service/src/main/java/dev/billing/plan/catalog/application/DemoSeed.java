package dev.billing.plan.catalog.application;

import dev.billing.plan.catalog.domain.BillingInterval;
import dev.billing.plan.catalog.domain.Plan;
import dev.billing.plan.catalog.domain.PlanDefinition;
import dev.billing.plan.catalog.domain.PriceTerms;
import dev.billing.plan.config.PlanProperties;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The demo catalog of the local stack ({@code PLAN_SEED_DEMO=true}): Basic, Standard and Premium,
 * each created only if no plan has its code (insert-if-absent on the unique code, so any number of
 * replicas and restarts create each once, and an edited or archived demo plan is left alone).
 * Events go out only for the plans really inserted.
 */
@Component
public class DemoSeed {

    private static final Logger log = LoggerFactory.getLogger(DemoSeed.class);

    /** The demo plans: code and what it sells. */
    public static final List<Map.Entry<String, PlanDefinition>> PLANS = List.of(
            Map.entry("basic", demo("Basic", "One screen in standard definition.", 999, 1, 1, "720p")),
            Map.entry("standard", demo("Standard", "Two screens in full HD.", 1499, 2, 2, "1080p")),
            Map.entry("premium", demo("Premium", "Four screens in 4K Ultra HD.", 1999, 3, 4, "4K")));

    private final PlanCatalog catalog;
    private final PlanProperties props;

    DemoSeed(PlanCatalog catalog, PlanProperties props) {
        this.catalog = catalog;
        this.props = props;
    }

    @EventListener(ApplicationReadyEvent.class)
    void onStartup() {
        if (!props.seedDemo()) {
            return;
        }
        seed().subscribe(
                        created -> log.info(
                                "demo plans created: {}",
                                created.stream().map(Plan::code).toList()),
                        e -> log.error("could not seed the demo plans", e));
    }

    /** Creates the demo plans that are absent; emits the ones created by this call. */
    public Mono<List<Plan>> seed() {
        return Flux.fromIterable(PLANS)
                .concatMap(plan -> catalog.createIfAbsent(plan.getKey(), plan.getValue()))
                .collectList();
    }

    private static PlanDefinition demo(
            String name, String description, long amount, int tier, int screens, String resolution) {
        return new PlanDefinition(
                name,
                description,
                new PriceTerms(amount, "USD", BillingInterval.MONTH, 1),
                0,
                Map.of("screens", screens, "resolution", resolution),
                tier);
    }
}
