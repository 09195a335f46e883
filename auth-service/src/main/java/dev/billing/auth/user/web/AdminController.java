package dev.billing.auth.user.web;

import dev.billing.auth.common.Problems;
import dev.billing.auth.user.application.Deactivation;
import dev.billing.auth.user.application.UserAdmin;
import dev.billing.auth.user.domain.Role;
import dev.billing.auth.user.web.AuthRequests.Deactivate;
import dev.billing.auth.user.web.AuthRequests.Roles;
import dev.billing.platform.security.Caller;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Admin-only account management (403 problem for anyone without ADMIN). */
@RestController
@RequestMapping("/api/v1/auth/users")
@PreAuthorize("hasRole('ADMIN')")
class AdminController {

    /** A page of users. */
    record UserPage(List<UserResponse> items, int page, int size, long total) {}

    private final UserAdmin users;
    private final Deactivation deactivation;

    AdminController(UserAdmin users, Deactivation deactivation) {
        this.users = users;
        this.deactivation = deactivation;
    }

    @GetMapping
    Mono<UserPage> list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (page < 0) {
            errors.put("page", "must be 0 or more");
        }
        if (size < 1 || size > UserAdmin.MAX_PAGE_SIZE) {
            errors.put("size", "must be between 1 and " + UserAdmin.MAX_PAGE_SIZE);
        }
        if (!errors.isEmpty()) {
            return Mono.error(Problems.validation(errors));
        }
        return users.list(page, size)
                .map(p ->
                        new UserPage(p.items().stream().map(UserResponse::of).toList(), p.page(), p.size(), p.total()));
    }

    @GetMapping("/{id}")
    Mono<UserResponse> get(@PathVariable UUID id) {
        return users.find(id).map(UserResponse::of);
    }

    @PutMapping(value = "/{id}/roles", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<UserResponse> setRoles(@PathVariable UUID id, @RequestBody Roles body) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (body.roles() == null || body.roles().isEmpty()) {
            return Mono.error(Problems.validation(Map.of("roles", "must name at least one of USER, ADMIN")));
        }
        for (String role : body.roles()) {
            try {
                roles.add(Role.valueOf(String.valueOf(role)));
            } catch (IllegalArgumentException e) {
                return Mono.error(Problems.validation(Map.of("roles", "unknown role '" + role + "' (USER, ADMIN)")));
            }
        }
        return Caller.current()
                .flatMap(admin -> users.setRoles(admin.userId(), id, roles))
                .map(UserResponse::of);
    }

    @PostMapping("/{id}/deactivate")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> deactivate(@PathVariable UUID id, @RequestBody(required = false) Deactivate body) {
        return deactivation.byAdmin(id, body == null ? null : body.reason());
    }
}
