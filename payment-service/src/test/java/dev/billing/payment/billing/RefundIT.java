package dev.billing.payment.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.payment.PaymentIT;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

class RefundIT extends PaymentIT {

    private final UUID admin = UUID.randomUUID();

    private JsonNode paid(UUID sub, UUID user) {
        UUID session = subscribe(sub, user);
        pay(session, GOOD_CARD).expectStatus().isOk();
        return events(sub, "payment-succeeded").getFirst().get("data");
    }

    private WebTestClient.ResponseSpec refund(String paymentId, Map<String, Object> body, String key, String token) {
        var request = http().post()
                .uri("/api/v1/payments/{id}/refunds", paymentId)
                .header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON);
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.bodyValue(body).exchange();
    }

    @Test
    void partialThenFullRefundsNeverMoreThanWasPaid() {
        UUID sub = UUID.randomUUID();
        UUID user = UUID.randomUUID();
        String payment = paid(sub, user).get("paymentId").asString();
        String adminToken = token(admin, "ADMIN");

        refund(payment, Map.of("amount", 500, "reason", "REQUESTED_BY_CUSTOMER"), "r-1", adminToken)
                .expectStatus()
                .isCreated()
                .expectBody()
                .jsonPath("$.amount")
                .isEqualTo(500);
        // the same key answers the first refund again
        refund(payment, Map.of("amount", 500, "reason", "REQUESTED_BY_CUSTOMER"), "r-1", adminToken)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.paymentRefundedAmount")
                .isEqualTo(500);
        refund(payment, Map.of("amount", 1500, "reason", "OTHER"), null, adminToken)
                .expectStatus()
                .isEqualTo(409)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        refund(payment, Map.of("reason", "DUPLICATE"), null, adminToken)
                .expectStatus()
                .isCreated()
                .expectBody()
                .jsonPath("$.amount")
                .isEqualTo(1499);
        refund(payment, Map.of("reason", "DUPLICATE"), null, adminToken)
                .expectStatus()
                .isEqualTo(409);

        var issued = events(sub, "refund-issued");
        assertThat(issued).hasSize(2);
        assertThat(issued.get(0).get("data").get("amount").asLong()).isEqualTo(500);
        assertThat(issued.get(1).get("data").get("amount").asLong()).isEqualTo(1499);
        assertThat(issued.get(1).get("data").get("reason").asString()).isEqualTo("DUPLICATE");
    }

    @Test
    void onlyAdminsRefundAndBadInputIsAProblem() {
        UUID user = UUID.randomUUID();
        String payment = paid(UUID.randomUUID(), user).get("paymentId").asString();
        refund(payment, Map.of("reason", "OTHER"), null, token(user))
                .expectStatus()
                .isForbidden();
        refund(payment, Map.of("reason", "BECAUSE"), null, token(admin, "ADMIN"))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors.reason")
                .exists();
        refund(UUID.randomUUID().toString(), Map.of("reason", "OTHER"), null, token(admin, "ADMIN"))
                .expectStatus()
                .isNotFound();
    }

    @Test
    void anInvoiceIsVisibleToItsOwnerAndAdminsOnly() {
        UUID user = UUID.randomUUID();
        String invoice = paid(UUID.randomUUID(), user).get("invoiceId").asString();
        getJson("/api/v1/invoices/" + invoice, token(user));
        getJson("/api/v1/invoices/" + invoice, token(admin, "ADMIN"));
        http().get()
                .uri("/api/v1/invoices/{id}", invoice)
                .header("Authorization", "Bearer " + token(UUID.randomUUID()))
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(getJson("/api/v1/invoices/me", token(UUID.randomUUID())).get("items"))
                .isEmpty();
        http().get()
                .uri("/api/v1/invoices/me?size=1000")
                .header("Authorization", "Bearer " + token(user))
                .exchange()
                .expectStatus()
                .isBadRequest();
    }
}
