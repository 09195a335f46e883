package dev.billing.plan.catalog.web;

import dev.billing.plan.catalog.application.PlanCatalog;
import dev.billing.plan.catalog.application.PlanCatalog.IdempotencyKey;
import dev.billing.plan.catalog.domain.Plan;
import dev.billing.plan.catalog.domain.PlanStatus;
import dev.billing.plan.common.Problems;
import dev.billing.plan.config.PlanProperties;
import dev.billing.platform.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The catalog over HTTP. Reads are public (the list shows ACTIVE plans; an archived plan is still
 * readable by id); price history needs a token; changes need ADMIN.
 */
@RestController
@RequestMapping("/api/v1/plans")
@Tag(name = "plans", description = "The plan catalog")
class PlanController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String MERGE_PATCH = "application/merge-patch+json";
    private static final int MAX_KEY_LENGTH = 255;
    private static final Pattern VERSION_ETAG = Pattern.compile("^(?:W/)?\"v([0-9]{1,18})\"$");

    private final PlanCatalog catalog;
    private final PlanProperties props;
    private final JsonMapper json;

    PlanController(PlanCatalog catalog, PlanProperties props, JsonMapper json) {
        this.catalog = catalog;
        this.props = props;
        this.json = json;
    }

    @GetMapping
    @Operation(
            summary = "The plans on sale, by tier then code",
            description = "Public. Paginated (size 1 to the configured maximum, default 20). Answers carry an"
                    + " ETag and Cache-Control: public, max-age=60; If-None-Match answers 304. Admins may ask"
                    + " for status=ARCHIVED or status=ALL (not cached by shared caches).")
    Mono<ResponseEntity<PlanResponse.Page>> list(
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size,
            @Parameter(description = "ACTIVE (default, public), ARCHIVED or ALL (ADMIN only)")
                    @RequestParam(defaultValue = "ACTIVE")
                    String status) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (page < 0 || page > 1_000_000) {
            errors.put("page", "must be between 0 and 1000000");
        }
        if (size < 1 || size > props.maxPageSize()) {
            errors.put("size", "must be between 1 and " + props.maxPageSize());
        }
        Set<PlanStatus> statuses = statuses(status);
        if (statuses == null) {
            errors.put("status", "must be one of ACTIVE, ARCHIVED, ALL");
        }
        if (!errors.isEmpty()) {
            return Mono.error(Problems.validation(errors));
        }
        boolean publicList = statuses.equals(Set.of(PlanStatus.ACTIVE));
        Mono<Boolean> allowed = publicList
                ? Mono.just(true)
                : Caller.current()
                        .switchIfEmpty(Mono.error(() -> Problems.of(
                                HttpStatus.UNAUTHORIZED,
                                "Unauthorized",
                                "Listing archived plans needs an ADMIN token.")))
                        .flatMap(caller -> caller.isAdmin()
                                ? Mono.just(true)
                                : Mono.error(Problems.of(
                                        HttpStatus.FORBIDDEN, "Forbidden", "Listing archived plans needs ADMIN.")));
        return allowed.then(catalog.list(statuses, page, size)).map(result -> {
            List<PlanResponse> items =
                    result.items().stream().map(PlanResponse::of).toList();
            return ResponseEntity.ok()
                    .eTag(listETag(status.toUpperCase(Locale.ROOT), result))
                    .header(
                            HttpHeaders.CACHE_CONTROL,
                            publicList
                                    ? "public, max-age=" + props.catalogMaxAge().toSeconds()
                                    : "private, no-cache")
                    .body(new PlanResponse.Page(items, result.page(), result.size(), result.total()));
        });
    }

    private static Set<PlanStatus> statuses(String status) {
        return switch (status.strip().toUpperCase(Locale.ROOT)) {
            case "ACTIVE" -> Set.of(PlanStatus.ACTIVE);
            case "ARCHIVED" -> Set.of(PlanStatus.ARCHIVED);
            case "ALL" -> Set.of(PlanStatus.ACTIVE, PlanStatus.ARCHIVED);
            default -> null;
        };
    }

    @GetMapping("/{id}")
    @Operation(
            summary = "One plan, active or archived",
            description = "Public. ETag = the plan's version; Cache-Control: public, no-cache (revalidate: it may"
                    + " have just been edited).")
    Mono<ResponseEntity<PlanResponse>> get(@PathVariable UUID id) {
        return catalog.find(id).map(plan -> ResponseEntity.ok()
                .eTag("\"v" + plan.version() + "\"")
                .header(HttpHeaders.CACHE_CONTROL, "public, no-cache")
                .body(PlanResponse.of(plan)));
    }

    @GetMapping("/{id}/prices")
    @Operation(summary = "Every price version of a plan, oldest first", description = "Needs a token.")
    @SecurityRequirement(name = "bearer")
    Mono<List<PlanResponse.Price>> prices(@PathVariable UUID id) {
        return catalog.prices(id)
                .map(prices -> prices.stream().map(PlanResponse.Price::of).toList());
    }

    @GetMapping("/{id}/prices/{version}")
    @Operation(summary = "One price version of a plan", description = "Needs a token.")
    @SecurityRequirement(name = "bearer")
    Mono<PlanResponse.Price> price(@PathVariable UUID id, @PathVariable int version) {
        return catalog.price(id, version).map(PlanResponse.Price::of);
    }

    @PostMapping
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(
            summary = "Create a plan (ADMIN)",
            description = "201 with Location. 409 if the code is taken (by an active or archived plan). With an"
                    + " Idempotency-Key, a retry (same caller, key and body) answers the first 201 again"
                    + " (header Idempotent-Replayed: true); the key with another body answers 422.")
    @SecurityRequirement(name = "bearer")
    Mono<ResponseEntity<PlanResponse>> create(
            @RequestBody PlanRequest body,
            @Parameter(description = "Makes retries safe; kept for 24 hours")
                    @RequestHeader(name = IDEMPOTENCY_KEY, required = false)
                    String idempotencyKey) {
        if (idempotencyKey != null && !validKey(idempotencyKey)) {
            return Mono.error(Problems.validation(
                    Map.of(IDEMPOTENCY_KEY, "must be 1-" + MAX_KEY_LENGTH + " printable ASCII characters")));
        }
        Mono<PlanCatalog.Created> outcome = idempotencyKey == null
                ? catalog.create(body.toDraft(), null, this::render)
                : Caller.current()
                        .flatMap(caller -> catalog.create(
                                body.toDraft(),
                                new IdempotencyKey(caller.userId(), idempotencyKey, fingerprint(body)),
                                this::render));
        return outcome.map(created -> {
            var response = ResponseEntity.created(URI.create("/api/v1/plans/" + created.planId()));
            if (created.replayed()) {
                return response.header("Idempotent-Replayed", "true")
                        .body(json.readValue(created.replayedBody(), PlanResponse.class));
            }
            return response.body(PlanResponse.of(created.plan()));
        });
    }

    @PutMapping("/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(
            summary = "Replace a plan's editable fields (ADMIN)",
            description = "Omitted optional fields take their defaults. A changed amount, currency, interval or"
                    + " intervalCount makes a new price version. 409 for an archived plan or another code.")
    @SecurityRequirement(name = "bearer")
    Mono<PlanResponse> replace(
            @PathVariable UUID id,
            @RequestBody PlanRequest body,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return expectedVersion(ifMatch)
                .flatMap(expected -> catalog.update(id, expected.orElse(null), current -> body.toDraft()))
                .map(PlanResponse::of);
    }

    @PatchMapping(
            value = "/{id}",
            consumes = {MERGE_PATCH, "application/json"})
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(
            summary = "Change some fields of a plan (ADMIN)",
            description = "JSON merge patch (RFC 7386): given fields replace the current ones, null resets an"
                    + " optional field, features merge key by key (null removes a feature).")
    @SecurityRequirement(name = "bearer")
    Mono<PlanResponse> patch(
            @PathVariable UUID id,
            @RequestBody JsonNode patch,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        if (!(patch instanceof ObjectNode object)) {
            return Mono.error(Problems.badRequest("A merge patch of a plan is a JSON object."));
        }
        Map<String, String> errors = new LinkedHashMap<>();
        for (String field : object.propertyNames()) {
            if (!PlanRequest.FIELDS.contains(field)) {
                errors.put(field, "is not a field that can be changed");
            }
        }
        if (!errors.isEmpty()) {
            return Mono.error(Problems.validation(errors));
        }
        return expectedVersion(ifMatch)
                .flatMap(expected -> catalog.update(id, expected.orElse(null), current -> merged(current, object)
                        .toDraft()))
                .map(PlanResponse::of);
    }

    @DeleteMapping("/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(
            summary = "Archive a plan (ADMIN)",
            description = "204. The plan leaves the list, stays readable by id; existing subscriptions keep"
                    + " running. Idempotent.")
    @SecurityRequirement(name = "bearer")
    Mono<Void> archive(
            @PathVariable UUID id, @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return expectedVersion(ifMatch)
                .flatMap(expected -> catalog.archive(id, expected.orElse(null)))
                .then();
    }

    /**
     * The version an {@code If-Match} names: the ETag of GET /{id} ({@code "v3"}, also weak {@code
     * W/"v3"}); absent or {@code *} = any version. Anything else is a 400.
     */
    private static Mono<Optional<Long>> expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return Mono.just(Optional.empty());
        }
        Matcher matcher = VERSION_ETAG.matcher(ifMatch.strip());
        if (!matcher.matches()) {
            return Mono.error(Problems.badRequest("If-Match must be the ETag of the plan, e.g. \"v3\"."));
        }
        try {
            return Mono.just(Optional.of(Long.parseLong(matcher.group(1))));
        } catch (NumberFormatException e) {
            return Mono.error(Problems.badRequest("If-Match must be the ETag of the plan, e.g. \"v3\"."));
        }
    }

    /** The current plan with the patch applied (RFC 7386), read as a full request. */
    private PlanRequest merged(Plan current, ObjectNode patch) {
        JsonNode target = json.valueToTree(PlanRequest.of(current));
        try {
            return json.treeToValue(mergePatch(target, patch), PlanRequest.class);
        } catch (JacksonException e) {
            // Jackson's message names Java types: say it in the API's terms instead
            throw Problems.badRequest("The merge patch gives a field a value of the wrong type (e.g. features must"
                    + " be an object, amount a number).");
        }
    }

    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject()
                ? ((ObjectNode) target).deepCopy()
                : JsonMapper.shared().createObjectNode();
        for (var entry : patch.properties()) {
            if (entry.getValue().isNull()) {
                result.remove(entry.getKey());
            } else {
                result.set(entry.getKey(), mergePatch(result.get(entry.getKey()), entry.getValue()));
            }
        }
        return result;
    }

    private String render(Plan plan) {
        return json.writeValueAsString(PlanResponse.of(plan));
    }

    private String fingerprint(PlanRequest body) {
        return sha256(json.writeValueAsString(body));
    }

    /** Strong ETag of a page: changes when any plan on it changes (version) or the page's shape does. */
    private static String listETag(String status, PlanCatalog.Page page) {
        StringBuilder content = new StringBuilder()
                .append(status)
                .append('/')
                .append(page.page())
                .append('/')
                .append(page.size())
                .append('/')
                .append(page.total());
        page.items()
                .forEach(plan ->
                        content.append(';').append(plan.id()).append(':').append(plan.version()));
        return "\"" + sha256(content.toString()).substring(0, 32) + "\"";
    }

    private static boolean validKey(String key) {
        return !key.isEmpty() && key.length() <= MAX_KEY_LENGTH && key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
