package dev.billing.plan.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.PATCH;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import dev.billing.plan.PlanIT;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** Create, read, list, update, patch, archive; validation and conflicts. */
class PlanCatalogIT extends PlanIT {

    @Test
    void anAdminCreatesAPlanThatAnyoneCanRead() {
        String code = uniqueCode();
        var response = send(POST, PLANS, planBody(code.toUpperCase()), admin)
                .expectStatus()
                .isCreated()
                .expectHeader()
                .valueMatches(HttpHeaders.LOCATION, "/api/v1/plans/[0-9a-f-]{36}");
        JsonNode plan = json(response);
        assertThat(plan.get("code").asString()).isEqualTo(code);
        assertThat(plan.get("amount").asLong()).isEqualTo(1999);
        assertThat(plan.get("currency").asString()).isEqualTo("USD");
        assertThat(plan.get("interval").asString()).isEqualTo("MONTH");
        assertThat(plan.get("priceVersion").asInt()).isEqualTo(1);
        assertThat(plan.get("version").asLong()).isEqualTo(1);
        assertThat(plan.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(plan.get("features").get("screens").asInt()).isEqualTo(4);
        assertThat(plan.get("features").get("resolution").asString()).isEqualTo("4K");
        assertThat(plan.get("features").get("hd").asBoolean()).isTrue();
        assertThat(plan.get("createdAt").asString()).endsWith("Z");

        JsonNode read = json(send(GET, PLANS + "/" + id(plan), null, null)
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals(HttpHeaders.ETAG, "\"v1\""));
        assertThat(read).isEqualTo(plan);
    }

    @Test
    void aDuplicateCodeIsAConflict() {
        String code = uniqueCode();
        create(code);
        send(POST, PLANS, planBody(code), admin)
                .expectStatus()
                .isEqualTo(409)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains(code));
    }

    @Test
    void invalidFieldsAre400WithErrorsPerField() {
        Map<String, Object> body = planBody("Bad Code!");
        body.put("amount", 9.99);
        body.put("currency", "EURO");
        body.put("interval", "FORTNIGHT");
        body.put("features", Map.of("screens", List.of(1, 2)));
        body.remove("name");
        send(POST, PLANS, body, admin)
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors.code")
                .exists()
                .jsonPath("$.errors.name")
                .isEqualTo("is required")
                .jsonPath("$.errors.amount")
                .exists()
                .jsonPath("$.errors.currency")
                .exists()
                .jsonPath("$.errors.interval")
                .exists()
                .jsonPath("$['errors']['features.screens']")
                .exists();
        http().post()
                .uri(PLANS)
                .header(HttpHeaders.AUTHORIZATION, admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{not json")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void unknownAndMalformedIds() {
        send(GET, PLANS + "/" + UUID.randomUUID(), null, null)
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        send(GET, PLANS + "/not-a-uuid", null, null).expectStatus().isBadRequest();
        send(PUT, PLANS + "/" + UUID.randomUUID(), planBody(uniqueCode()), admin)
                .expectStatus()
                .isNotFound();
        send(PATCH, PLANS + "/" + UUID.randomUUID(), Map.of("name", "x"), admin)
                .expectStatus()
                .isNotFound();
        send(DELETE, PLANS + "/" + UUID.randomUUID(), null, admin)
                .expectStatus()
                .isNotFound();
        send(DELETE, PLANS + "/42", null, admin).expectStatus().isBadRequest();
    }

    @Test
    void aPutReplacesEverythingAndAPriceChangeMakesANewPriceVersion() {
        String code = uniqueCode();
        JsonNode plan = create(code);
        UUID id = id(plan);

        Map<String, Object> renamed = planBody(null);
        renamed.remove("code");
        renamed.put("name", "Premium HD");
        renamed.remove("description");
        renamed.remove("trialDays");
        JsonNode updated =
                json(send(PUT, PLANS + "/" + id, renamed, admin).expectStatus().isOk());
        assertThat(updated.get("name").asString()).isEqualTo("Premium HD");
        assertThat(updated.get("description").isNull()).isTrue();
        assertThat(updated.get("trialDays").asInt()).isZero();
        assertThat(updated.get("version").asLong()).isEqualTo(2);
        assertThat(updated.get("priceVersion").asInt()).isEqualTo(1);

        // the same body again changes nothing
        JsonNode same =
                json(send(PUT, PLANS + "/" + id, renamed, admin).expectStatus().isOk());
        assertThat(same.get("version").asLong()).isEqualTo(2);

        Map<String, Object> dearer = new HashMap<>(renamed);
        dearer.put("code", code);
        dearer.put("amount", 2499);
        JsonNode repriced =
                json(send(PUT, PLANS + "/" + id, dearer, admin).expectStatus().isOk());
        assertThat(repriced.get("priceVersion").asInt()).isEqualTo(2);
        assertThat(repriced.get("amount").asLong()).isEqualTo(2499);
        assertThat(repriced.get("version").asLong()).isEqualTo(3);

        // the old price stays readable
        JsonNode prices = json(send(GET, PLANS + "/" + id + "/prices", null, user)
                .expectStatus()
                .isOk());
        assertThat(prices).hasSize(2);
        assertThat(prices.get(0).get("priceVersion").asInt()).isEqualTo(1);
        assertThat(prices.get(0).get("amount").asLong()).isEqualTo(1999);
        assertThat(prices.get(1).get("amount").asLong()).isEqualTo(2499);
        JsonNode first = json(send(GET, PLANS + "/" + id + "/prices/1", null, user)
                .expectStatus()
                .isOk());
        assertThat(first.get("amount").asLong()).isEqualTo(1999);
        send(GET, PLANS + "/" + id + "/prices/9", null, user).expectStatus().isNotFound();

        Map<String, Object> otherCode = new HashMap<>(dearer);
        otherCode.put("code", uniqueCode());
        send(PUT, PLANS + "/" + id, otherCode, admin).expectStatus().isEqualTo(409);

        Map<String, Object> missingName = new HashMap<>(dearer);
        missingName.remove("name");
        send(PUT, PLANS + "/" + id, missingName, admin)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors.name")
                .exists();
    }

    @Test
    void aPatchMergesTheGivenFields() {
        JsonNode plan = create(uniqueCode());
        UUID id = id(plan);
        Map<String, Object> patch = new HashMap<>();
        patch.put("name", "Premium Family");
        patch.put("description", null);
        Map<String, Object> features = new HashMap<>();
        features.put("hd", null);
        features.put("screens", 6);
        features.put("profiles", 5);
        patch.put("features", features);
        JsonNode patched = json(http().patch()
                .uri(PLANS + "/" + id)
                .header(HttpHeaders.AUTHORIZATION, admin)
                .contentType(MediaType.valueOf("application/merge-patch+json"))
                .bodyValue(patch)
                .exchange()
                .expectStatus()
                .isOk());
        assertThat(patched.get("name").asString()).isEqualTo("Premium Family");
        assertThat(patched.get("description").isNull()).isTrue();
        assertThat(patched.get("amount").asLong()).isEqualTo(1999);
        assertThat(patched.get("trialDays").asInt()).isEqualTo(7);
        assertThat(patched.get("priceVersion").asInt()).isEqualTo(1);
        JsonNode f = patched.get("features");
        assertThat(f.has("hd")).isFalse();
        assertThat(f.get("screens").asInt()).isEqualTo(6);
        assertThat(f.get("profiles").asInt()).isEqualTo(5);
        assertThat(f.get("resolution").asString()).isEqualTo("4K");

        JsonNode repriced = json(send(PATCH, PLANS + "/" + id, Map.of("interval", "YEAR", "amount", 19990), admin)
                .expectStatus()
                .isOk());
        assertThat(repriced.get("priceVersion").asInt()).isEqualTo(2);
        assertThat(repriced.get("interval").asString()).isEqualTo("YEAR");

        send(PATCH, PLANS + "/" + id, Map.of("status", "ARCHIVED", "priceVersion", 1), admin)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors.status")
                .exists()
                .jsonPath("$.errors.priceVersion")
                .exists();
        send(PATCH, PLANS + "/" + id, Map.of("amount", -5), admin)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors.amount")
                .exists();
        Map<String, Object> nullName = new HashMap<>();
        nullName.put("name", null);
        send(PATCH, PLANS + "/" + id, nullName, admin)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors.name")
                .exists();
        send(PATCH, PLANS + "/" + id, Map.of("features", 5), admin)
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).doesNotContain("java."));
        http().patch()
                .uri(PLANS + "/" + id)
                .header(HttpHeaders.AUTHORIZATION, admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[1, 2]")
                .exchange()
                .expectStatus()
                .isBadRequest();
    }

    @Test
    void anArchivedPlanLeavesTheListStaysReadableAndCannotChange() {
        JsonNode plan = create(uniqueCode());
        UUID id = id(plan);
        assertThat(allActiveIds()).contains(id);

        send(DELETE, PLANS + "/" + id, null, admin).expectStatus().isNoContent();
        send(DELETE, PLANS + "/" + id, null, admin).expectStatus().isNoContent();

        JsonNode archived =
                json(send(GET, PLANS + "/" + id, null, null).expectStatus().isOk());
        assertThat(archived.get("status").asString()).isEqualTo("ARCHIVED");
        assertThat(archived.get("archivedAt").isNull()).isFalse();
        assertThat(archived.get("version").asLong()).isEqualTo(2);
        assertThat(allActiveIds()).doesNotContain(id);

        send(PUT, PLANS + "/" + id, planBody(plan.get("code").asString()), admin)
                .expectStatus()
                .isEqualTo(409)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        send(PATCH, PLANS + "/" + id, Map.of("name", "Back"), admin)
                .expectStatus()
                .isEqualTo(409);
        // its code stays taken
        send(POST, PLANS, planBody(plan.get("code").asString()), admin)
                .expectStatus()
                .isEqualTo(409);
    }

    @Test
    void theListIsPagedByTierThenCodeWithABoundedSize() {
        for (int i = 0; i < 3; i++) {
            Map<String, Object> body = planBody(uniqueCode());
            body.put("tier", 500_000 + i);
            create(body);
        }
        JsonNode firstPage = json(
                send(GET, PLANS + "?page=0&size=2", null, null).expectStatus().isOk());
        assertThat(firstPage.get("items")).hasSize(2);
        assertThat(firstPage.get("size").asInt()).isEqualTo(2);
        long total = firstPage.get("total").asLong();
        assertThat(total).isGreaterThanOrEqualTo(3);

        List<JsonNode> all = new ArrayList<>();
        for (int page = 0; page * 2 < total; page++) {
            json(send(GET, PLANS + "?page=" + page + "&size=2", null, null)
                            .expectStatus()
                            .isOk())
                    .get("items")
                    .forEach(all::add);
        }
        assertThat(all).hasSize((int) total);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < all.size(); i++) {
            assertThat(ids.add(all.get(i).get("id").asString())).isTrue();
            assertThat(all.get(i).get("status").asString()).isEqualTo("ACTIVE");
            if (i > 0) {
                JsonNode a = all.get(i - 1);
                JsonNode b = all.get(i);
                int byTier =
                        Integer.compare(a.get("tier").asInt(), b.get("tier").asInt());
                assertThat(byTier < 0
                                || (byTier == 0
                                        && a.get("code")
                                                        .asString()
                                                        .compareTo(b.get("code").asString())
                                                < 0))
                        .as("%s before %s", a.get("code"), b.get("code"))
                        .isTrue();
            }
        }
        JsonNode beyond = json(send(GET, PLANS + "?page=1000&size=100", null, null)
                .expectStatus()
                .isOk());
        assertThat(beyond.get("items")).isEmpty();

        send(GET, PLANS + "?size=100", null, null).expectStatus().isOk();
        send(GET, PLANS + "?size=101", null, null)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors.size")
                .exists();
        send(GET, PLANS + "?size=0", null, null).expectStatus().isBadRequest();
        send(GET, PLANS + "?page=-1", null, null)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors.page")
                .exists();
        send(GET, PLANS + "?page=abc", null, null).expectStatus().isBadRequest();
    }

    @Test
    void theListIsCacheableAndRevalidatesWithItsETag() {
        var first = send(GET, PLANS + "?size=100", null, null)
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals(HttpHeaders.CACHE_CONTROL, "public, max-age=60")
                .returnResult(String.class);
        String etag = first.getResponseHeaders().getETag();
        assertThat(etag).isNotBlank();

        http().get()
                .uri(PLANS + "?size=100")
                .header(HttpHeaders.IF_NONE_MATCH, etag)
                .exchange()
                .expectStatus()
                .isNotModified()
                .expectHeader()
                .valueEquals(HttpHeaders.ETAG, etag)
                .expectBody()
                .isEmpty();

        create(uniqueCode());
        String changed = http().get()
                .uri(PLANS + "?size=100")
                .header(HttpHeaders.IF_NONE_MATCH, etag)
                .exchange()
                .expectStatus()
                .isOk()
                .returnResult(String.class)
                .getResponseHeaders()
                .getETag();
        assertThat(changed).isNotEqualTo(etag);

        JsonNode plan = create(uniqueCode());
        http().get()
                .uri(PLANS + "/" + id(plan))
                .header(HttpHeaders.IF_NONE_MATCH, "\"v1\"")
                .exchange()
                .expectStatus()
                .isNotModified();
    }

    @Test
    void adminsAlsoListArchivedPlans() {
        UUID archived = id(create(uniqueCode()));
        UUID active = id(create(uniqueCode()));
        send(DELETE, PLANS + "/" + archived, null, admin).expectStatus().isNoContent();

        Set<UUID> listed = new HashSet<>();
        for (int page = 0; ; page++) {
            JsonNode items = json(send(GET, PLANS + "?status=archived&size=100&page=" + page, null, admin)
                            .expectStatus()
                            .isOk()
                            .expectHeader()
                            .valueEquals(HttpHeaders.CACHE_CONTROL, "private, no-cache"))
                    .get("items");
            items.forEach(item -> {
                assertThat(item.get("status").asString()).isEqualTo("ARCHIVED");
                listed.add(UUID.fromString(item.get("id").asString()));
            });
            if (items.size() < 100) {
                break;
            }
        }
        assertThat(listed).contains(archived).doesNotContain(active);
        JsonNode all = json(send(GET, PLANS + "?status=ALL&size=1", null, admin)
                .expectStatus()
                .isOk());
        assertThat(all.get("total").asLong()).isGreaterThan(listed.size());

        send(GET, PLANS + "?status=ARCHIVED", null, user).expectStatus().isForbidden();
        send(GET, PLANS + "?status=ARCHIVED", null, null)
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        send(GET, PLANS + "?status=DRAFT", null, admin)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors.status")
                .exists();
    }

    @Test
    void ifMatchRefusesAChangeBasedOnAStaleRead() {
        UUID id = id(create(uniqueCode()));
        http().patch()
                .uri(PLANS + "/" + id)
                .header(HttpHeaders.AUTHORIZATION, admin)
                .header(HttpHeaders.IF_MATCH, "\"v1\"")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "First"))
                .exchange()
                .expectStatus()
                .isOk();
        http().put()
                .uri(PLANS + "/" + id)
                .header(HttpHeaders.AUTHORIZATION, admin)
                .header(HttpHeaders.IF_MATCH, "\"v1\"")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(planBody(null))
                .exchange()
                .expectStatus()
                .isEqualTo(412)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http().delete()
                .uri(PLANS + "/" + id)
                .header(HttpHeaders.AUTHORIZATION, admin)
                .header(HttpHeaders.IF_MATCH, "nonsense")
                .exchange()
                .expectStatus()
                .isBadRequest();
        http().delete()
                .uri(PLANS + "/" + id)
                .header(HttpHeaders.AUTHORIZATION, admin)
                .header(HttpHeaders.IF_MATCH, "\"v2\"")
                .exchange()
                .expectStatus()
                .isNoContent();
        JsonNode plan =
                json(send(GET, PLANS + "/" + id, null, null).expectStatus().isOk());
        assertThat(plan.get("name").asString()).isEqualTo("First");
        assertThat(plan.get("status").asString()).isEqualTo("ARCHIVED");
    }

    private Set<UUID> allActiveIds() {
        Set<UUID> ids = new HashSet<>();
        for (int page = 0; ; page++) {
            JsonNode items = json(send(GET, PLANS + "?size=100&page=" + page, null, null)
                            .expectStatus()
                            .isOk())
                    .get("items");
            items.forEach(item -> ids.add(UUID.fromString(item.get("id").asString())));
            if (items.size() < 100) {
                return ids;
            }
        }
    }
}
