package dev.billing.platform.it;

import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/** Answers after a database round trip, so the response ends on a driver thread, as a service's do. */
@RestController
class KeepAliveEndpoints {

    private final DatabaseClient db;

    KeepAliveEndpoints(DatabaseClient db) {
        this.db = db;
    }

    private Mono<Integer> roundTrip() {
        return db.sql("SELECT 1").map((row, meta) -> 1).one();
    }

    @GetMapping("/test/keep-alive/{id}")
    Mono<String> find(@PathVariable UUID id) {
        return roundTrip().then(Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "No " + id)));
    }

    @PostMapping("/test/keep-alive")
    Mono<TestController.Item> create(@RequestBody TestController.Item item) {
        return roundTrip().thenReturn(item);
    }
}
