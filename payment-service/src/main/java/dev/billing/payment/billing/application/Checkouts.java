package dev.billing.payment.billing.application;

import dev.billing.payment.billing.domain.Statuses.SessionStatus;
import dev.billing.payment.billing.persistence.BillingStore;
import dev.billing.payment.billing.persistence.Rows.SessionRow;
import java.time.Clock;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Checkout sessions as a provider's hosted page sees them. */
@Service
public class Checkouts {

    /** A session's state for the page: OPEN (payable), COMPLETE (paid), EXPIRED. */
    public record View(SessionRow session, SessionStatus status) {}

    private final BillingStore store;
    private final Clock clock;

    Checkouts(BillingStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Mono<View> find(UUID sessionId) {
        return store.session(sessionId).map(s -> new View(s, statusNow(s)));
    }

    /** Counts a payment attempt on a payable session; empty when it is not payable any more. */
    public Mono<Integer> startAttempt(UUID sessionId) {
        return store.countSessionAttempt(sessionId);
    }

    private SessionStatus statusNow(SessionRow s) {
        SessionStatus stored = SessionStatus.valueOf(s.status());
        if (stored == SessionStatus.OPEN && !clock.instant().isBefore(s.expiresAt())) {
            return SessionStatus.EXPIRED;
        }
        return stored;
    }
}
