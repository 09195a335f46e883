package dev.billing.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Subscription scenarios, through the gateway: subscriptions created per second at two
 * concurrency levels (every subscriber registered and logged in before timing starts, one
 * subscription each), and the time from a good-card payment on the checkout page until the
 * gateway lets the customer through {@code /api/v1/demo/premium}.
 */
final class Subscriptions {

    private static final JsonMapper json = JsonMapper.builder().build();

    static void run(HttpClient http, Load load, String gateway, int subscribersPerLevel, WarmUp warmUp)
            throws Exception {
        String plan = planId(http, gateway, "basic");
        int[] levels = {8, 32};
        // every subscriber is registered and logged in before anything is timed (registration
        // hashes passwords and sends mail afterwards: the machine settles before each scenario)
        List<String> payers = users(http, gateway, 40);
        List<String> warmUpUsers = users(http, gateway, warmUp.users());
        List<List<String>> subscribers = new ArrayList<>();
        for (int ignored : levels) {
            subscribers.add(users(http, gateway, subscribersPerLevel));
        }
        // unmeasured: the subscribe path of every JVM involved (the bench's too) is compiled by the
        // JIT here, not during the measured runs. Each round subscribes the warm-up users and then
        // cancels their subscriptions, so one registration (a password hash, which costs more than
        // everything a subscription does) gives several subscriptions. On two cores one C2 thread
        // per JVM takes thousands of requests to compile the hot paths (27% of
        // subscription-service's CPU went to it in a c8 run after 900 warm-up subscriptions), so
        // the rounds go on until the compilers use at most --jit-settled of the CPU of a round.
        // What returning users do not exercise (a first subscription: a new provider customer, a
        // never-seen token at the gateway, a first entitlement row) is still compiled during the
        // first measured level of a fresh stack: its cpu line shows that share.
        // (two rounds in a row: one quiet round between two compile bursts is not settled)
        boolean quietBefore = false;
        for (int round = 1; ; round++) {
            Quiet.await("subscribe warm-up " + round, 15, Duration.ofMinutes(2));
            Load.Result r = load.runAll("warm-up", levels[0], subscribeRequests(gateway, plan, warmUpUsers), 201);
            boolean quiet = r.jitShare() <= warmUp.jitSettled();
            boolean settled = quiet && quietBefore;
            quietBefore = quiet;
            System.out.printf(
                    "(subscribe warm-up %d: %d subscriptions, %.0f/s, JIT compiling %.0f%% of the CPU)%n",
                    round, r.requests(), r.perSecond(), 100 * r.jitShare());
            if (round >= warmUp.maxRounds() || (round >= warmUp.minRounds() && settled)) {
                if (!settled) {
                    System.out.printf(
                            "(the JIT had not settled to %.0f%% after %d warm-up rounds: the figures below"
                                    + " include compilation)%n",
                            100 * warmUp.jitSettled(), round);
                }
                break;
            }
            cancelAll(http, gateway, warmUpUsers);
        }
        System.out.println();
        // after the warm-up, like every other measured scenario; the machine settles first
        Quiet.await("payment to ACTIVE", 15, Duration.ofMinutes(2));
        paymentToActive(http, gateway, plan, payers);
        System.out.println();
        List<Load.Result> results = new ArrayList<>();
        for (int level = 0; level < levels.length; level++) {
            int concurrency = levels[level];
            List<Load.Request> subscribe = subscribeRequests(gateway, plan, subscribers.get(level));
            Quiet.await("subscribe, concurrency " + concurrency, 15, Duration.ofMinutes(2));
            results.add(load.runAll("subscribe, concurrency " + concurrency, concurrency, subscribe, 201));
        }
        Load.print(results);
        System.out.println("(Kill Bill 0.22 on this machine: about 23 account+subscription/s, p99 about 740 ms at"
                + " concurrency 8; target 10x the rate at a tenth of the p99)");
    }

    /**
     * The unmeasured subscribe rounds: {@code users} subscribe in each; at least {@code minRounds}
     * and at most {@code maxRounds}, ending at the second round in a row whose JIT share of the CPU
     * is at most {@code jitSettled} (0 to 1).
     */
    record WarmUp(int users, int minRounds, int maxRounds, double jitSettled) {}

    private static List<Load.Request> subscribeRequests(String gateway, String plan, List<String> tokens) {
        byte[] body = json.writeValueAsBytes(Map.of("planId", plan));
        URI uri = URI.create(gateway + "/api/v1/subscriptions");
        return tokens.stream()
                .map(token -> Load.Request.post(
                        uri, Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"), body))
                .toList();
    }

    /** Subscribe, pay with the good card, then poll the guarded demo route until it answers 200. */
    static void paymentToActive(HttpClient http, String gateway, String plan, List<String> tokens) throws Exception {
        int customers = tokens.size();
        Histogram latency = new Histogram(Duration.ofMinutes(1).toNanos() / 1000, 3);
        int failures = 0;
        for (String token : tokens) {
            JsonNode subscription =
                    send(http, "POST", gateway + "/api/v1/subscriptions", token, Map.of("planId", plan), 201);
            String id = subscription.get("id").asString();
            String checkout = null;
            for (int i = 0; i < 500 && checkout == null; i++) {
                JsonNode current = send(http, "GET", gateway + "/api/v1/subscriptions/" + id, token, null, 200);
                if (current.path("checkout").has("url")) {
                    checkout = current.get("checkout").get("url").asString();
                } else {
                    Thread.sleep(20);
                }
            }
            if (checkout == null) {
                failures++;
                continue;
            }
            String page = gateway + URI.create(checkout).getRawPath();
            long paid = System.nanoTime();
            int status = http.send(
                            HttpRequest.newBuilder(URI.create(page))
                                    .header("Content-Type", "application/x-www-form-urlencoded")
                                    .POST(HttpRequest.BodyPublishers.ofString("card=4242424242424242"))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            if (status != 200) {
                failures++;
                continue;
            }
            if (entitled(http, gateway, token, paid)) {
                latency.recordValue(Math.max(1, (System.nanoTime() - paid) / 1000));
            } else {
                failures++;
            }
        }
        System.out.printf(
                "payment to ACTIVE at the gateway (%d customers, one at a time, polled every 15 ms): p50 %.1f ms,"
                        + " p99 %.1f ms, max %.1f ms, failures %d (target p99 < 100 ms)%n",
                customers,
                latency.getValueAtPercentile(50) / 1000.0,
                latency.getValueAtPercentile(99) / 1000.0,
                latency.getMaxValue() / 1000.0,
                failures);
    }

    /** Polls the guarded demo route every 15 ms (under the per-user rate limit) until it answers 200, 30 s at most. */
    static boolean entitled(HttpClient http, String gateway, String token, long since) throws Exception {
        while (System.nanoTime() - since < Duration.ofSeconds(30).toNanos()) {
            int status = http.send(
                            HttpRequest.newBuilder(URI.create(gateway + "/api/v1/demo/premium"))
                                    .header("Authorization", "Bearer " + token)
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            if (status == 200) {
                return true;
            }
            Thread.sleep(15);
        }
        return false;
    }

    /** Cancels at once every live subscription of these users, 8 users at a time (unmeasured). */
    static void cancelAll(HttpClient http, String gateway, List<String> tokens) throws Exception {
        eightAtATime(tokens.size(), i -> {
            String token = tokens.get(i);
            for (JsonNode s : send(http, "GET", gateway + "/api/v1/subscriptions/me", token, null, 200)) {
                if (LIVE.contains(s.get("status").asString())) {
                    String url =
                            gateway + "/api/v1/subscriptions/" + s.get("id").asString();
                    send(http, "DELETE", url, token, null, 200);
                }
            }
            return null;
        });
    }

    private static final Set<String> LIVE = Set.of("INCOMPLETE", "TRIALING", "ACTIVE", "PAST_DUE");

    /** Registers and logs in {@code count} users, 8 at a time, before any timing. */
    static List<String> users(HttpClient http, String gateway, int count) throws Exception {
        return eightAtATime(count, i -> Bench.registerAndLogIn(http, gateway));
    }

    interface Task<T> {
        T run(int index) throws Exception;
    }

    /** Runs {@code task} for 0..count-1, at most 8 at once, and returns the results in order. */
    private static <T> List<T> eightAtATime(int count, Task<T> task) throws Exception {
        try (var workers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = new ArrayList<>();
            var permits = new Semaphore(8);
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(workers.submit(() -> {
                    permits.acquire();
                    try {
                        return task.run(index);
                    } finally {
                        permits.release();
                    }
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        }
    }

    static String planId(HttpClient http, String gateway, String code) throws Exception {
        JsonNode plans = send(http, "GET", gateway + "/api/v1/plans?size=100", null, null, 200);
        for (JsonNode plan : plans.get("items")) {
            if (code.equals(plan.get("code").asString())) {
                return plan.get("id").asString();
            }
        }
        throw new IllegalStateException("no plan '" + code + "': is the stack seeded (PLAN_SEED_DEMO)?");
    }

    static JsonNode send(HttpClient http, String method, String url, String token, Object body, int expected)
            throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            builder.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        } else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(
                    method + " " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }
}
