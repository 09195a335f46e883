package dev.billing.platform.it;

import dev.billing.platform.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/** Endpoints that exercise the platform's error and security handling. */
@RestController
class TestController {

    record Item(
            @NotBlank String name,
            @Email String email,
            @Positive long amount) {}

    @PostMapping("/test/items")
    Mono<Item> create(@Valid @RequestBody Item item) {
        return Mono.just(item);
    }

    @GetMapping("/test/items/{id}")
    Mono<Map<String, String>> get(@PathVariable UUID id) {
        return Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "No item " + id));
    }

    @GetMapping("/test/boom")
    Mono<String> boom() {
        return Mono.error(new IllegalStateException("SELECT secret FROM internal_table failed"));
    }

    @GetMapping("/test/upstream-timeout")
    Mono<String> upstreamTimeout() {
        return Mono.error(new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT, "upstream db-7.internal timed out"));
    }

    @ResponseStatus(HttpStatus.CONFLICT)
    static class AlreadyDone extends RuntimeException {
        AlreadyDone() {
            super("internal detail");
        }
    }

    @GetMapping("/test/annotated")
    Mono<String> annotated() {
        return Mono.error(new AlreadyDone());
    }

    @GetMapping("/test/me")
    Mono<Caller> me() {
        return Caller.current();
    }

    @GetMapping("/test/admin")
    Mono<Map<String, Boolean>> admin() {
        return Caller.current()
                .filter(Caller::isAdmin)
                .map(c -> Map.of("admin", true))
                .switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.FORBIDDEN, "Admins only.")));
    }

    @GetMapping("/test/public/ping")
    Mono<Map<String, String>> ping() {
        return Mono.just(Map.of("pong", "yes"));
    }
}
