package dev.billing.auth.user.web;

import dev.billing.auth.common.Problems;
import dev.billing.auth.token.application.Tokens;
import dev.billing.auth.user.application.Deactivation;
import dev.billing.auth.user.application.EmailVerification;
import dev.billing.auth.user.application.Login;
import dev.billing.auth.user.application.Passwords;
import dev.billing.auth.user.application.Registration;
import dev.billing.auth.user.application.UserAdmin;
import dev.billing.auth.user.web.AuthRequests.CodeVerify;
import dev.billing.auth.user.web.AuthRequests.EmailRequest;
import dev.billing.auth.user.web.AuthRequests.LoginRequest;
import dev.billing.auth.user.web.AuthRequests.PasswordChange;
import dev.billing.auth.user.web.AuthRequests.PasswordConfirm;
import dev.billing.auth.user.web.AuthRequests.RefreshRequest;
import dev.billing.auth.user.web.AuthRequests.Register;
import dev.billing.auth.user.web.AuthRequests.ResetConfirm;
import dev.billing.auth.user.web.AuthRequests.TokenRequest;
import dev.billing.platform.security.Caller;
import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** The account endpoints of /api/v1/auth (public ones are listed in application.yml). */
@RestController
@RequestMapping("/api/v1/auth")
class AuthController {

    /** The same answer for every email, known or not. */
    static final Map<String, String> ACCEPTED =
            Map.of("message", "If an active account exists for this email, a message is on its way.");

    private final Registration registration;
    private final Login login;
    private final Tokens tokens;
    private final EmailVerification verification;
    private final Passwords passwords;
    private final Deactivation deactivation;
    private final UserAdmin users;

    AuthController(
            Registration registration,
            Login login,
            Tokens tokens,
            EmailVerification verification,
            Passwords passwords,
            Deactivation deactivation,
            UserAdmin users) {
        this.registration = registration;
        this.login = login;
        this.tokens = tokens;
        this.verification = verification;
        this.passwords = passwords;
        this.deactivation = deactivation;
        this.users = users;
    }

    @PostMapping(value = "/register", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<UserResponse>> register(
            @RequestBody Register body,
            @RequestHeader(value = "Idempotency-Key", required = false) String idempotencyKey) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 255)) {
            return Mono.error(Problems.badRequest("The Idempotency-Key header must have 1 to 255 characters."));
        }
        return registration
                .register(body.email(), body.name(), body.password(), idempotencyKey)
                .map(user -> ResponseEntity.created(URI.create("/api/v1/auth/users/" + user.id()))
                        .body(UserResponse.of(user)));
    }

    @PostMapping(value = "/login", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<TokenResponse> login(@RequestBody LoginRequest body) {
        return login.withPassword(body.email(), body.password()).map(TokenResponse::of);
    }

    /** OAuth2 password grant shape (form username/password), for Swagger UI's Authorize button. */
    @PostMapping(value = "/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    Mono<TokenResponse> token(ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(form -> {
            String grant = form.getFirst("grant_type");
            if (grant != null && !"password".equals(grant)) {
                return Mono.error(Problems.badRequest("Only grant_type=password is supported here."));
            }
            return login.withPassword(first(form, "username"), first(form, "password"))
                    .map(TokenResponse::oauth);
        });
    }

    @PostMapping(value = "/refresh", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<TokenResponse> refresh(@RequestBody RefreshRequest body) {
        return tokens.refresh(body.refreshToken()).map(TokenResponse::of);
    }

    @PostMapping(value = "/logout", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> logout(@RequestBody RefreshRequest body) {
        return tokens.revokeFamilyOf(body.refreshToken());
    }

    @GetMapping("/me")
    Mono<UserResponse> me() {
        return Caller.required().flatMap(caller -> users.find(caller.userId())).map(UserResponse::of);
    }

    @PostMapping(value = "/verify-email", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<UserResponse> verifyEmail(@RequestBody TokenRequest body) {
        return verification.verify(body.token()).map(UserResponse::of);
    }

    @PostMapping("/verify-email/resend")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<Map<String, String>> resendVerification() {
        return Caller.required()
                .flatMap(caller -> verification.resend(caller.userId()))
                .thenReturn(Map.of("message", "A new verification link is on its way."));
    }

    @PostMapping(value = "/password-reset", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<Map<String, String>> requestReset(@RequestBody EmailRequest body) {
        return passwords.requestReset(body.email()).thenReturn(ACCEPTED);
    }

    @PostMapping(value = "/password-reset/confirm", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> confirmReset(@RequestBody ResetConfirm body) {
        return passwords.confirmReset(body.token(), body.newPassword());
    }

    @PostMapping(value = "/password/change", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> changePassword(@RequestBody PasswordChange body) {
        return Caller.required()
                .flatMap(caller -> passwords.change(caller.userId(), body.currentPassword(), body.newPassword()));
    }

    @PostMapping(value = "/login-code", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<Map<String, String>> requestCode(@RequestBody EmailRequest body) {
        return login.requestCode(body.email()).thenReturn(ACCEPTED);
    }

    @PostMapping(value = "/login-code/verify", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<TokenResponse> verifyCode(@RequestBody CodeVerify body) {
        return login.withCode(body.email(), body.code()).map(TokenResponse::of);
    }

    @PostMapping(value = "/deactivate", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> deactivate(@RequestBody PasswordConfirm body) {
        return Caller.required().flatMap(caller -> deactivation.self(caller.userId(), body.password()));
    }

    private static String first(MultiValueMap<String, String> form, String key) {
        return form.getFirst(key);
    }
}
