package dev.billing.auth.oauth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.billing.auth.AuthIT;
import dev.billing.auth.oauth.domain.Pkce;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** Log in with Google (OIDC, mock-oauth2-server) and GitHub (WireMock): provision, link, refuse. */
class OAuthLoginIT extends AuthIT {

    /** Our id_tokens must outlive the ITs' clock moves (the shared TestClock only moves forward). */
    private static final long ONE_YEAR = 365L * 24 * 3600;

    @Test
    void aNewGoogleUserIsProvisionedVerifiedAndGetsOurTokens() {
        String email = uniqueEmail();
        JsonNode pair = googleLogin("google-" + UUID.randomUUID(), email, true);
        JsonNode me = me(pair.get("accessToken").asString());
        assertThat(me.get("email").asString()).isEqualTo(email);
        assertThat(me.get("emailVerified").asBoolean()).isTrue();
        UUID id = UUID.fromString(me.get("id").asString());
        assertThat(lastEvent("user-registered", id).at("/data/emailVerified").asBoolean())
                .isTrue();
        // the same Google account again: the same user
        JsonNode again = googleLogin(subjectOf(id), email, true);
        assertThat(me(again.get("accessToken").asString()).get("id").asString()).isEqualTo(id.toString());
    }

    @Test
    void aGoogleLoginIsLinkedToTheVerifiedAccountWithTheSameEmail() {
        Session s = newUser();
        String token = lastEvent("email-verification-requested", s.id())
                .at("/data/token")
                .asString();
        postJson("/api/v1/auth/verify-email", Map.of("token", token), null)
                .exchange()
                .expectStatus()
                .isOk();
        JsonNode pair = googleLogin("google-" + UUID.randomUUID(), s.email().toUpperCase(), true);
        assertThat(me(pair.get("accessToken").asString()).get("id").asString()).isEqualTo(s.id().toString());
        // still one account with that email
        assertThat(count("SELECT count(*) FROM users WHERE email = '" + s.email() + "'"))
                .isEqualTo(1);
    }

    @Test
    void anUnverifiedAccountIsNotTakenOverAndAnUnverifiedGoogleEmailIsRefused() {
        Session s = newUser(); // registered, email not verified
        callback("google", googleAuthorize("google-" + UUID.randomUUID(), s.email(), true))
                .expectStatus()
                .isEqualTo(409);
        callback("google", googleAuthorize("google-" + UUID.randomUUID(), uniqueEmail(), false))
                .expectStatus()
                .isForbidden();
    }

    @Test
    void aBadExpiredOrReusedStateIsRefused() {
        callback("google", Map.of("code", "x", "state", "no-such-state"))
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        callback("google", Map.of("code", "x")).expectStatus().isBadRequest();

        Map<String, String> fromProvider = googleAuthorize("google-" + UUID.randomUUID(), uniqueEmail(), true);
        callback("google", fromProvider).expectStatus().isOk();
        callback("google", fromProvider).expectStatus().isBadRequest();

        // a state older than 10 minutes
        Map<String, String> late = googleAuthorize("google-" + UUID.randomUUID(), uniqueEmail(), true);
        clock.advance(Duration.ofMinutes(11));
        callback("google", late).expectStatus().isBadRequest();

        // a state started for GitHub is not good for Google
        Map<String, String> github = query(authorize("github"));
        callback("google", Map.of("code", "x", "state", github.get("state")))
                .expectStatus()
                .isBadRequest();
    }

    @Test
    void unknownOrDisabledProvidersAre404() {
        http().get()
                .uri("/api/v1/auth/oauth2/facebook/authorize")
                .exchange()
                .expectStatus()
                .isNotFound();
    }

    @Test
    void aGitHubUserWithAVerifiedPrimaryEmailIsProvisionedWithPkce() {
        WireMockServer github = OAuthFakes.github();
        String email = uniqueEmail();
        String code = "code-" + UUID.randomUUID();
        String token = "gho_" + UUID.randomUUID().toString().replace("-", "");
        stubGitHub(code, token, 4242L + email.hashCode(), email, true);

        URI location = authorize("github");
        Map<String, String> params = query(location);
        assertThat(location.toString()).startsWith(github.baseUrl() + "/login/oauth/authorize");
        assertThat(params)
                .containsEntry("client_id", OAuthFakes.GITHUB_CLIENT)
                .containsEntry("code_challenge_method", "S256");

        String body = callback("github", Map.of("code", code, "state", params.get("state")))
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        JsonNode me = me(JSON.readTree(body).get("accessToken").asString());
        assertThat(me.get("email").asString()).isEqualTo(email);
        assertThat(me.get("name").asString()).isEqualTo("Mona Octocat");

        // the verifier we sent at the token exchange matches the challenge of the authorize step
        var exchange = github.findAll(postRequestedFor(urlPathEqualTo("/login/oauth/access_token"))
                        .withRequestBody(containing("code=" + code)))
                .getFirst();
        Map<String, String> form = parse(exchange.getBodyAsString());
        assertThat(Pkce.s256(form.get("code_verifier"))).isEqualTo(params.get("code_challenge"));
        assertThat(form).containsEntry("client_id", OAuthFakes.GITHUB_CLIENT);
        github.verify(getRequestedFor(urlPathEqualTo("/api/user/emails"))
                .withHeader(HttpHeaders.AUTHORIZATION, equalTo("Bearer " + token)));
    }

    @Test
    void aGitHubAccountWithoutAVerifiedPrimaryEmailIsRefused() {
        String code = "code-" + UUID.randomUUID();
        String email = uniqueEmail();
        stubGitHub(code, "gho_" + UUID.randomUUID().toString().replace("-", ""), 777L + email.hashCode(), email, false);
        Map<String, String> params = query(authorize("github"));
        callback("github", Map.of("code", code, "state", params.get("state")))
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(count("SELECT count(*) FROM users WHERE email = '" + email + "'"))
                .isZero();
    }

    @Test
    void aCodeGitHubRejectsIs400() {
        OAuthFakes.github()
                .stubFor(post(urlPathEqualTo("/login/oauth/access_token"))
                        .withRequestBody(containing("code=bad-code"))
                        .willReturn(aResponse()
                                .withHeader("Content-Type", "application/json")
                                .withBody("{\"error\":\"bad_verification_code\"}")));
        Map<String, String> params = query(authorize("github"));
        callback("github", Map.of("code", "bad-code", "state", params.get("state")))
                .expectStatus()
                .isBadRequest();
    }

    // --- helpers

    private final Map<UUID, String> subjects = new HashMap<>();

    private String subjectOf(UUID userId) {
        return subjects.get(userId);
    }

    private JsonNode googleLogin(String subject, String email, boolean verified) {
        String body = callback("google", googleAuthorize(subject, email, verified))
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        JsonNode pair = JSON.readTree(body);
        subjects.put(
                UUID.fromString(me(pair.get("accessToken").asString()).get("id").asString()), subject);
        return pair;
    }

    /** Runs our authorize step and the provider's login; returns the provider's redirect parameters (code, state). */
    private Map<String, String> googleAuthorize(String subject, String email, boolean verified) {
        URI location = authorize("google");
        Map<String, String> params = query(location);
        assertThat(params)
                .containsEntry("client_id", OAuthFakes.GOOGLE_CLIENT)
                .containsEntry("code_challenge_method", "S256")
                .containsKeys("state", "nonce", "code_challenge");
        OAuthFakes.oidc()
                .enqueueCallback(new DefaultOAuth2TokenCallback(
                        "google",
                        subject,
                        "JWT",
                        List.of(OAuthFakes.GOOGLE_CLIENT),
                        Map.of("email", email, "email_verified", verified, "name", "Gina Google"),
                        ONE_YEAR));
        try {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(location).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(302);
            URI back = URI.create(response.headers().firstValue("Location").orElseThrow());
            assertThat(back.getPath()).isEqualTo("/api/v1/auth/oauth2/google/callback");
            return query(back);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private URI authorize(String provider) {
        return http().get()
                .uri("/api/v1/auth/oauth2/" + provider + "/authorize")
                .exchange()
                .expectStatus()
                .isFound()
                .returnResult(Void.class)
                .getResponseHeaders()
                .getLocation();
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec callback(
            String provider, Map<String, String> params) {
        return http().get()
                .uri(b -> {
                    b.path("/api/v1/auth/oauth2/" + provider + "/callback");
                    params.forEach((k, v) -> {
                        if (k.equals("code") || k.equals("state")) {
                            b.queryParam(k, v);
                        }
                    });
                    return b.build();
                })
                .exchange();
    }

    private void stubGitHub(String code, String token, long id, String email, boolean verified) {
        WireMockServer github = OAuthFakes.github();
        github.stubFor(post(urlPathEqualTo("/login/oauth/access_token"))
                .withRequestBody(containing("code=" + code))
                .withRequestBody(containing("client_secret=github-test-secret"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"" + token
                                + "\",\"token_type\":\"bearer\",\"scope\":\"user:email\"}")));
        github.stubFor(get(urlPathEqualTo("/api/user"))
                .withHeader(HttpHeaders.AUTHORIZATION, equalTo("Bearer " + token))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":" + id + ",\"login\":\"octocat\",\"name\":\"Mona Octocat\"}")));
        github.stubFor(get(urlPathEqualTo("/api/user/emails"))
                .withHeader(HttpHeaders.AUTHORIZATION, equalTo("Bearer " + token))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("[{\"email\":\"other@example.org\",\"primary\":false,\"verified\":true},"
                                + "{\"email\":\"" + email + "\",\"primary\":true,\"verified\":" + verified + "}]")));
    }

    private JsonNode me(String accessToken) {
        String body = http().get()
                .uri("/api/v1/auth/me")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + accessToken)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        return JSON.readTree(body);
    }

    private long count(String sql) {
        return db.sql(sql).map(row -> row.get(0, Long.class)).one().block(Duration.ofSeconds(10));
    }

    private static Map<String, String> query(URI uri) {
        return parse(uri.getRawQuery());
    }

    private static Map<String, String> parse(String query) {
        Map<String, String> params = new HashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            params.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }
}
