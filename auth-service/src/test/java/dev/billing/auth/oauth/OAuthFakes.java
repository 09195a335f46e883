package dev.billing.auth.oauth;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Offline OAuth providers for the ITs: mock-oauth2-server as Google (a real OIDC server on a
 * random port) and WireMock as GitHub's OAuth and API endpoints. Started once per test JVM and
 * wired into every context through {@code META-INF/spring.factories}, so the ITs keep sharing one
 * context.
 */
public class OAuthFakes implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static final String GOOGLE_CLIENT = "google-test-client";
    public static final String GITHUB_CLIENT = "github-test-client";

    private static MockOAuth2Server oidc;
    private static WireMockServer github;

    public static synchronized MockOAuth2Server oidc() {
        if (oidc == null) {
            oidc = new MockOAuth2Server();
            oidc.start(0);
            Runtime.getRuntime().addShutdownHook(new Thread(oidc::shutdown, "mock-oauth2-stop"));
        }
        return oidc;
    }

    public static synchronized WireMockServer github() {
        if (github == null) {
            github = new WireMockServer(
                    WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
            github.start();
            Runtime.getRuntime().addShutdownHook(new Thread(github::stop, "wiremock-stop"));
        }
        return github;
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        String githubBase = github().baseUrl();
        Map<String, Object> props = Map.of(
                "auth.oauth2.google.client-id",
                GOOGLE_CLIENT,
                "auth.oauth2.google.client-secret",
                "google-test-secret",
                "auth.oauth2.google.issuer-uri",
                oidc().issuerUrl("google").toString(),
                "auth.oauth2.github.client-id",
                GITHUB_CLIENT,
                "auth.oauth2.github.client-secret",
                "github-test-secret",
                "auth.oauth2.github.authorization-uri",
                githubBase + "/login/oauth/authorize",
                "auth.oauth2.github.token-uri",
                githubBase + "/login/oauth/access_token",
                "auth.oauth2.github.api-base-url",
                githubBase + "/api");
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("oauth-fakes", props));
    }
}
