package dev.billing.payment.billing.provider;

import dev.billing.payment.billing.application.Checkouts;
import dev.billing.payment.billing.application.PaymentProvider.ChargeResult;
import dev.billing.payment.billing.application.PaymentProvider.InvalidCard;
import dev.billing.payment.billing.application.ProviderEvent;
import dev.billing.payment.billing.application.ProviderEvents;
import dev.billing.payment.billing.domain.MoneyFormat;
import dev.billing.payment.billing.domain.Statuses.PaymentStatus;
import dev.billing.payment.billing.domain.Times;
import dev.billing.payment.billing.persistence.Rows.SessionRow;
import dev.billing.payment.common.Html;
import dev.billing.payment.common.Problems;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The simulated provider's hosted checkout page (public: the session id is the capability, as with
 * Stripe Checkout). GET shows the plan, the price and a card form; POST pays. A paid or declined
 * attempt goes through {@link ProviderEvents}, the path Stripe's webhooks will take. A client that
 * asks for JSON gets problem details instead of pages for the errors.
 */
@RestController
@ConditionalOnExpression("'${payment.stripe.api-key:}' == ''")
class SimulatedCheckoutController {

    private final Checkouts checkouts;
    private final SimulatedPaymentProvider provider;
    private final ProviderEvents events;
    private final Clock clock;
    private final TransactionalOperator tx;

    SimulatedCheckoutController(
            Checkouts checkouts,
            SimulatedPaymentProvider provider,
            ProviderEvents events,
            Clock clock,
            TransactionalOperator tx) {
        this.tx = tx;
        this.checkouts = checkouts;
        this.provider = provider;
        this.events = events;
        this.clock = clock;
    }

    @GetMapping("/checkout/{sessionId}")
    Mono<ResponseEntity<String>> page(@PathVariable UUID sessionId, ServerWebExchange exchange) {
        return checkouts
                .find(sessionId)
                .flatMap(view -> switch (view.status()) {
                    case OPEN -> Mono.just(html(HttpStatus.OK, form(view.session(), null)));
                    case COMPLETE -> alreadyPaid(exchange);
                    case EXPIRED -> expired(exchange);
                })
                .switchIfEmpty(Mono.defer(() -> notFound(exchange)));
    }

    @PostMapping("/checkout/{sessionId}")
    Mono<ResponseEntity<String>> pay(@PathVariable UUID sessionId, ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(form -> checkouts
                .find(sessionId)
                .flatMap(view -> switch (view.status()) {
                    case COMPLETE -> alreadyPaid(exchange);
                    case EXPIRED -> expired(exchange);
                    case OPEN -> attempt(view.session(), form.getFirst("card"), exchange);
                })
                .switchIfEmpty(Mono.defer(() -> notFound(exchange))));
    }

    private Mono<ResponseEntity<String>> attempt(SessionRow session, String input, ServerWebExchange exchange) {
        String card;
        try {
            card = SimulatedPaymentProvider.testCard(input);
        } catch (InvalidCard e) {
            if (wantsProblem(exchange)) {
                return Mono.error(Problems.validation(java.util.Map.of("card", e.getMessage())));
            }
            return Mono.just(html(HttpStatus.BAD_REQUEST, form(session, e.getMessage())));
        }
        // one transaction: the attempt counter's row lock serialises concurrent payments of one
        // session, so a double-submitted form charges once and the second sees the session paid
        if (session.setupOnly()) {
            // a trial: the card is checked and saved, nothing is charged (Stripe: setup mode)
            if (!card.equals(SimulatedPaymentProvider.GOOD_CARD)) {
                return declined(session, exchange);
            }
            return events.apply(new ProviderEvent.CheckoutSetUp(
                            session.id(),
                            SimulatedPaymentProvider.paymentMethod(card),
                            SimulatedPaymentProvider.last4(card),
                            Times.now(clock)))
                    .flatMap(o -> o == ProviderEvents.Outcome.PAID
                            ? Mono.just(html(HttpStatus.OK, paid(session)))
                            : alreadyPaid(exchange));
        }
        Mono<ProviderEvents.Outcome> outcome =
                tx.transactional(checkouts.startAttempt(session.id()).flatMap(n -> {
                    String key = "checkout:" + session.id() + ":" + n;
                    return provider.chargeCard(key, card, session.amount(), session.currency())
                            .flatMap(result -> events.apply(toEvent(session, key, card, result)));
                }));
        return outcome.flatMap(o -> switch (o) {
                    case PAID -> Mono.just(html(HttpStatus.OK, paid(session)));
                    case DECLINED -> declined(session, exchange);
                    case ALREADY_DONE, RECORDED -> alreadyPaid(exchange);
                })
                .switchIfEmpty(Mono.defer(() -> alreadyPaid(exchange)));
    }

    private ProviderEvent toEvent(SessionRow session, String key, String card, ChargeResult result) {
        var now = Times.now(clock);
        if (result.status() == PaymentStatus.SUCCEEDED) {
            return new ProviderEvent.CheckoutPaid(
                    session.id(),
                    key,
                    result.reference(),
                    SimulatedPaymentProvider.paymentMethod(card),
                    SimulatedPaymentProvider.last4(card),
                    now);
        }
        return new ProviderEvent.CheckoutDeclined(
                session.id(), key, result.reference(), result.failureCode(), result.failureMessage(), now);
    }

    private Mono<ResponseEntity<String>> declined(SessionRow session, ServerWebExchange exchange) {
        String message = "Your card was declined. Try another card.";
        if (wantsProblem(exchange)) {
            return Mono.error(Problems.of(HttpStatus.PAYMENT_REQUIRED, "Card declined", message));
        }
        return Mono.just(html(HttpStatus.PAYMENT_REQUIRED, form(session, message)));
    }

    private Mono<ResponseEntity<String>> alreadyPaid(ServerWebExchange exchange) {
        return error(exchange, HttpStatus.CONFLICT, "Already paid", "This checkout session has already been paid.");
    }

    private Mono<ResponseEntity<String>> expired(ServerWebExchange exchange) {
        return error(
                exchange,
                HttpStatus.GONE,
                "Checkout expired",
                "This checkout session has expired. Subscribe again to get a new one.");
    }

    private Mono<ResponseEntity<String>> notFound(ServerWebExchange exchange) {
        return error(exchange, HttpStatus.NOT_FOUND, "Not Found", "Checkout session was not found.");
    }

    private Mono<ResponseEntity<String>> error(
            ServerWebExchange exchange, HttpStatus status, String title, String detail) {
        if (wantsProblem(exchange)) {
            return Mono.error(Problems.of(status, title, detail));
        }
        return Mono.just(
                html(status, layout(title, "<h1>" + Html.escape(title) + "</h1><p>" + Html.escape(detail) + "</p>")));
    }

    /** JSON clients (scripts, tests) get problem details; browsers get pages. */
    private static boolean wantsProblem(ServerWebExchange exchange) {
        List<MediaType> accept = exchange.getRequest().getHeaders().getAccept();
        boolean html = accept.stream().anyMatch(m -> m.isCompatibleWith(MediaType.TEXT_HTML) && !m.isWildcardType());
        boolean json = accept.stream()
                .anyMatch(m -> m.isCompatibleWith(MediaType.APPLICATION_JSON)
                        || m.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        return json && !html && accept.stream().noneMatch(MediaType::isWildcardType);
    }

    private static ResponseEntity<String> html(HttpStatus status, String body) {
        return ResponseEntity.status(status)
                .contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .header("Cache-Control", "no-store")
                .body(body);
    }

    private static String form(SessionRow s, String error) {
        String price = MoneyFormat.format(s.amount(), s.currency()) + " / " + every(s.interval(), s.intervalCount());
        if (s.setupOnly() && s.trialEnd() != null) {
            price = "Free until " + s.trialEnd() + ", then " + price;
        }
        String action = s.setupOnly() ? "Start trial" : "Pay " + MoneyFormat.format(s.amount(), s.currency());
        String alert = error == null ? "" : "<p class=\"error\" role=\"alert\">" + Html.escape(error) + "</p>";
        return layout(
                "Checkout: " + s.planName(),
                "<h1>" + Html.escape(s.planName()) + "</h1>"
                        + "<p class=\"price\">" + Html.escape(price) + "</p>"
                        + alert
                        + "<form method=\"post\" action=\"/checkout/" + Html.escape(s.id().toString()) + "\">"
                        + "<label for=\"card\">Card number</label>"
                        + "<input id=\"card\" name=\"card\" inputmode=\"numeric\" autocomplete=\"cc-number\""
                        + " placeholder=\"4242 4242 4242 4242\" required>"
                        + "<button type=\"submit\">" + Html.escape(action) + "</button></form>"
                        + "<p class=\"hint\">Test mode: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined.</p>");
    }

    private static String paid(SessionRow s) {
        return layout(
                s.setupOnly() ? "Card saved" : "Payment received",
                "<h1>" + (s.setupOnly() ? "Card saved" : "Payment received")
                        + "</h1><p>Thank you. Your subscription to " + Html.escape(s.planName())
                        + (s.setupOnly() ? " is in its trial." : " is being activated.") + "</p>");
    }

    private static String every(String interval, int count) {
        String unit = interval.toLowerCase(java.util.Locale.ROOT);
        return count == 1 ? unit : count + " " + unit + "s";
    }

    private static String layout(String title, String content) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + Html.escape(title) + "</title><style>"
                + "body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}"
                + "label,input,button{display:block;width:100%;margin:.5rem 0;font-size:1rem}"
                + "input{padding:.5rem}button{padding:.6rem;background:#635bff;color:#fff;border:0;border-radius:4px}"
                + ".price{font-size:1.4rem}.error{color:#b00020}.hint{color:#666;font-size:.85rem}"
                + "</style></head><body>" + content + "</body></html>";
    }
}
