package dev.billing.plan.catalog;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.PATCH;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import dev.billing.plan.PlanIT;
import dev.billing.platform.test.TestJwts;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/** Reads are public, price history needs a token, changes need ADMIN: admin vs user vs anonymous. */
class PlanSecurityIT extends PlanIT {

    @Test
    void anyoneReadsTheCatalog() {
        UUID id = id(create(uniqueCode()));
        send(GET, PLANS, null, null).expectStatus().isOk();
        send(GET, PLANS + "/" + id, null, null).expectStatus().isOk();
        send(GET, PLANS, null, user).expectStatus().isOk();
        send(GET, PLANS + "/" + id, null, admin).expectStatus().isOk();
    }

    @Test
    void priceHistoryNeedsAToken() {
        UUID id = id(create(uniqueCode()));
        send(GET, PLANS + "/" + id + "/prices", null, null)
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        send(GET, PLANS + "/" + id + "/prices", null, user).expectStatus().isOk();
    }

    @Test
    void aUserGets403OnEveryChange() {
        UUID id = id(create(uniqueCode()));
        send(POST, PLANS, planBody(uniqueCode()), user)
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        send(PUT, PLANS + "/" + id, planBody(null), user).expectStatus().isForbidden();
        send(PATCH, PLANS + "/" + id, Map.of("name", "Mine"), user)
                .expectStatus()
                .isForbidden();
        send(DELETE, PLANS + "/" + id, null, user).expectStatus().isForbidden();
        json(send(GET, PLANS + "/" + id, null, null).expectStatus().isOk());
    }

    @Test
    void anonymousCallersGet401OnEveryChange() {
        UUID id = id(create(uniqueCode()));
        send(POST, PLANS, planBody(uniqueCode()), null)
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader()
                .exists(HttpHeaders.WWW_AUTHENTICATE);
        send(PUT, PLANS + "/" + id, planBody(null), null).expectStatus().isUnauthorized();
        send(PATCH, PLANS + "/" + id, Map.of("name", "Mine"), null)
                .expectStatus()
                .isUnauthorized();
        send(DELETE, PLANS + "/" + id, null, null).expectStatus().isUnauthorized();
    }

    @Test
    void badTokensAreRefusedEvenOnPublicPaths() {
        String foreign = "Bearer "
                + TestJwts.shared()
                        .claims(UUID.randomUUID(), "ADMIN")
                        .signedBy(TestJwts.foreignKey())
                        .sign();
        send(POST, PLANS, planBody(uniqueCode()), foreign).expectStatus().isUnauthorized();
        String expired = "Bearer "
                + TestJwts.shared()
                        .claims(UUID.randomUUID(), "ADMIN")
                        .expiresAt(java.time.Instant.now().minusSeconds(600))
                        .sign();
        send(DELETE, PLANS + "/" + UUID.randomUUID(), null, expired)
                .expectStatus()
                .isUnauthorized();
    }

    @Test
    void theOpenApiDocumentIsPublicAndDescribesTheCatalog() {
        http().get()
                .uri("/v3/api-docs")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.paths['/api/v1/plans'].get")
                .exists()
                .jsonPath("$.paths['/api/v1/plans'].post")
                .exists()
                .jsonPath("$.paths['/api/v1/plans/{id}'].patch")
                .exists()
                .jsonPath("$.components.securitySchemes.bearer")
                .exists();
    }
}
