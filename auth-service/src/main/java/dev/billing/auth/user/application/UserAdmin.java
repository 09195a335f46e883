package dev.billing.auth.user.application;

import dev.billing.auth.common.Problems;
import dev.billing.auth.user.domain.Role;
import dev.billing.auth.user.domain.User;
import dev.billing.auth.user.persistence.UserRepository;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** What an admin does with accounts: list them, change roles. */
@Service
public class UserAdmin {

    public static final int MAX_PAGE_SIZE = 100;

    /** One page of users. */
    public record Page(List<User> items, int page, int size, long total) {}

    private final UserRepository users;
    private final TransactionalOperator tx;
    private final Clock clock;

    UserAdmin(UserRepository users, TransactionalOperator tx, Clock clock) {
        this.users = users;
        this.tx = tx;
        this.clock = clock;
    }

    public Mono<Page> list(int page, int size) {
        return users.page(page, size)
                .collectList()
                .zipWith(users.count(), (items, total) -> new Page(items, page, size, total));
    }

    public Mono<User> find(UUID id) {
        return users.findById(id).switchIfEmpty(Mono.error(() -> Problems.notFound("The user")));
    }

    /** Replaces the roles; an admin cannot drop their own ADMIN role (nobody might be left to give it back). */
    public Mono<User> setRoles(UUID adminId, UUID userId, Set<Role> roles) {
        if (adminId.equals(userId) && !roles.contains(Role.ADMIN)) {
            return Mono.error(Problems.conflict("You cannot remove your own ADMIN role."));
        }
        return tx.transactional(find(userId).flatMap(user -> {
            if (!user.active()) {
                return Mono.error(Problems.conflict("The user is deactivated."));
            }
            return user.roles().equals(roles) ? Mono.just(user) : users.update(user.withRoles(roles, clock.instant()));
        }));
    }
}
