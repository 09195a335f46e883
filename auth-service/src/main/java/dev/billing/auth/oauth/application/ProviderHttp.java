package dev.billing.auth.oauth.application;

import dev.billing.auth.common.Problems;
import dev.billing.auth.config.OAuthProperties;
import io.netty.channel.ChannelOption;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.netty.http.client.HttpClient;

/** The reactive HTTP client for calls to providers, with timeouts, and how their failures surface. */
@Component
class ProviderHttp {

    static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {};

    private static final Logger log = LoggerFactory.getLogger(ProviderHttp.class);

    private final WebClient client;

    ProviderHttp(OAuthProperties props) {
        HttpClient http = HttpClient.create()
                .responseTimeout(props.timeout())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        props.timeout().toMillis());
        this.client = WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(http))
                .defaultHeader("User-Agent", "billing-auth-service")
                .build();
    }

    WebClient client() {
        return client;
    }

    /** A provider's refusal (4xx) is the user's problem (400); an unreachable provider is 503. */
    static Throwable translate(String provider, Throwable e) {
        if (e instanceof WebClientResponseException response
                && response.getStatusCode().is4xxClientError()) {
            log.info("{} refused the login: {}", provider, response.getStatusCode());
            return Problems.badRequest("The " + provider + " login could not be completed; start again.");
        }
        if (e instanceof WebClientRequestException || e instanceof WebClientResponseException) {
            log.warn("{} is unreachable or failing: {}", provider, e.getMessage());
            return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "Service Unavailable", provider + " is unavailable.");
        }
        return e;
    }
}
