package dev.billing.auth.key.application;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Makes sure a signing key exists at startup and rotates it on schedule, in every replica. */
@Component
class KeyLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KeyLifecycle.class);

    private final KeyStore keys;

    KeyLifecycle(KeyStore keys) {
        this.keys = keys;
    }

    @EventListener(ApplicationReadyEvent.class)
    void ensureKey() {
        keys.signer()
                .subscribe(
                        key -> log.info("signing key {} is current", key.kid()),
                        e -> log.error("could not load or create a signing key", e));
    }

    @Scheduled(
            fixedDelayString = "${auth.keys.rotation-check:1m}",
            initialDelayString = "${auth.keys.rotation-check:1m}")
    void rotateIfDue() {
        keys.rotateIfDue().subscribe(rotated -> {}, e -> log.warn("scheduled key rotation failed", e));
    }
}
