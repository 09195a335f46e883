package dev.billing.auth.oauth.web;

import dev.billing.auth.oauth.application.ExternalLogin;
import dev.billing.auth.token.domain.TokenPair;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** "Log in with Google / GitHub" (providers enabled by configuration). */
@RestController
@RequestMapping("/api/v1/auth/oauth2/{provider}")
class OAuthController {

    private final ExternalLogin login;

    OAuthController(ExternalLogin login) {
        this.login = login;
    }

    /** 302 to the provider's login page. */
    @GetMapping("/authorize")
    Mono<ResponseEntity<Void>> authorize(@PathVariable String provider) {
        return login.start(provider).map(uri -> ResponseEntity.status(HttpStatus.FOUND)
                .location(uri)
                .header("Cache-Control", "no-store")
                .build());
    }

    /** Where the provider sends the browser back; answers our token pair as JSON. */
    @GetMapping("/callback")
    Mono<ResponseEntity<Map<String, Object>>> callback(
            @PathVariable String provider,
            @RequestParam(required = false) String code,
            @RequestParam(required = false) String state,
            @RequestParam(required = false) String error) {
        return login.finish(provider, code, state, error).map(OAuthController::body);
    }

    private static ResponseEntity<Map<String, Object>> body(TokenPair pair) {
        return ResponseEntity.ok()
                .header("Cache-Control", "no-store")
                .body(Map.of(
                        "accessToken", pair.accessToken(),
                        "refreshToken", pair.refreshToken(),
                        "tokenType", pair.tokenType(),
                        "expiresIn", pair.expiresIn()));
    }
}
