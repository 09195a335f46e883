package dev.billing.auth.user.application;

import dev.billing.auth.common.PasswordHasher;
import dev.billing.auth.config.AuthProperties;
import dev.billing.auth.user.domain.Role;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Creates the admin account from configuration ({@code auth.admin.email}, {@code ADMIN_PASSWORD})
 * when it does not exist. Insert-if-absent on the unique email: any number of replicas and restarts
 * create it once, and an existing admin's password is never overwritten.
 */
@Component
class AdminBootstrap {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final Registration registration;
    private final PasswordHasher hasher;
    private final AuthProperties props;

    AdminBootstrap(Registration registration, PasswordHasher hasher, AuthProperties props) {
        this.registration = registration;
        this.hasher = hasher;
        this.props = props;
    }

    @EventListener(ApplicationReadyEvent.class)
    void bootstrap() {
        create().subscribe(null, e -> log.error("admin bootstrap failed", e));
    }

    Mono<Void> create() {
        var admin = props.admin();
        if (admin.password() == null || admin.password().isEmpty()) {
            log.info("no ADMIN_PASSWORD set: no admin account is bootstrapped");
            return Mono.empty();
        }
        return hasher.hash(admin.password())
                .flatMap(hash -> registration.createIfAbsent(
                        admin.email(), admin.name(), hash, Set.of(Role.USER, Role.ADMIN), true))
                .doOnNext(user -> log.info("admin account {} created", user.email()))
                .doOnError(e -> log.error("could not bootstrap the admin account", e))
                .onErrorComplete()
                .then();
    }
}
