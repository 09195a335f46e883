package dev.billing.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bench/run}: figures against a running stack ({@code deploy/local/run}). Users are
 * registered and their tokens minted before any timing starts.
 *
 * <p>Scenario {@code me}: an authenticated {@code GET /api/v1/auth/me} through the gateway versus
 * straight to auth-service, same concurrency, same users, to show what the gateway costs.
 */
public final class Bench {

    private static final JsonMapper json = JsonMapper.builder().build();

    /** What deploy/local/run gives payment-service when no STRIPE_WEBHOOK_SECRET is set. */
    static final String LOCAL_STACK_WEBHOOK_SECRET = "whsec_local_stack_only";

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        String gateway = options.getOrDefault("gateway", "http://localhost:8080");
        String auth = options.getOrDefault("auth", "http://localhost:8081");
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "16"));
        Duration duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "20")));
        Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "10")));
        int users = Integer.parseInt(options.getOrDefault("users", "32"));
        // options: --subscriptions false / --webhooks false skip those scenarios; --subscribers N users per level

        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        System.out.printf(
                "bench: gateway %s, auth-service %s, concurrency %d, %d s per scenario after %d s warm-up, %d users%n",
                gateway, auth, concurrency, duration.toSeconds(), warmup.toSeconds(), users);

        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            tokens.add(registerAndLogIn(http, gateway));
        }

        try (Load load = new Load()) {
            Duration self = Duration.ofSeconds(Long.parseLong(options.getOrDefault("self-warmup", "20")));
            load.warmUpSelf(self);
            System.out.printf("(the generator's own load path warmed up for %d s in-process)%n", self.toSeconds());
            run(options, http, load, tokens, gateway, auth, concurrency, duration, warmup);
        }
    }

    private static void run(
            Map<String, String> options,
            HttpClient http,
            Load load,
            List<String> tokens,
            String gateway,
            String auth,
            int concurrency,
            Duration duration,
            Duration warmup)
            throws Exception {
        long meErrors = 0;
        if (!"false".equals(options.getOrDefault("me", "true"))) {
            boolean direct = !"false".equals(options.getOrDefault("direct", "true"));
            Quiet.await("me", 15, Duration.ofMinutes(2));
            meErrors = me(load, tokens, gateway, direct ? auth : null, concurrency, warmup, duration);
        }
        if (!"false".equals(options.getOrDefault("subscriptions", "true"))) {
            Subscriptions.run(
                    http,
                    load,
                    gateway,
                    Integer.parseInt(options.getOrDefault("subscribers", "300")),
                    new Subscriptions.WarmUp(
                            Integer.parseInt(options.getOrDefault("subscribe-warmup", "300")),
                            Integer.parseInt(options.getOrDefault("subscribe-warmup-rounds", "3")),
                            Integer.parseInt(options.getOrDefault("subscribe-warmup-max-rounds", "40")),
                            Double.parseDouble(options.getOrDefault("jit-settled", "5")) / 100));
        }
        if (!"false".equals(options.getOrDefault("webhooks", "true"))) {
            System.out.println();
            String secret = options.getOrDefault(
                    "webhook-secret",
                    System.getenv().getOrDefault("STRIPE_WEBHOOK_SECRET", LOCAL_STACK_WEBHOOK_SECRET));
            Webhooks.run(
                    http,
                    load,
                    new Webhooks.Options(
                            gateway,
                            options.getOrDefault("payment", "http://localhost:8084"),
                            secret,
                            Integer.parseInt(options.getOrDefault("webhook-concurrency", "32")),
                            duration,
                            warmup,
                            options.getOrDefault("db", "jdbc:postgresql://localhost:5432/billing"),
                            Integer.parseInt(options.getOrDefault("webhook-customers", "40"))));
        }
        if (meErrors > 0) {
            System.out.println("note: errors above are non-200 answers (a 429 means the gateway's rate limit:"
                    + " start the stack with RATE_LIMIT_REQUESTS raised, see bench/README.md)");
        }
    }

    /**
     * {@code GET /api/v1/auth/me} via the gateway and straight to auth-service (unless {@code auth} is
     * null: {@code --direct false}, for A/B runs of the gateway alone); returns the non-200 count.
     */
    static long me(
            Load load,
            List<String> tokens,
            String gateway,
            String auth,
            int concurrency,
            Duration warmup,
            Duration duration)
            throws InterruptedException {
        List<Load.Result> results = new ArrayList<>();
        String[][] targets = auth == null
                ? new String[][] {{"me via gateway", gateway}}
                : new String[][] {{"me via gateway", gateway}, {"me direct to auth-service", auth}};
        for (String[] target : targets) {
            URI me = URI.create(target[1] + "/api/v1/auth/me");
            List<Map<String, String>> headers = tokens.stream()
                    .map(token -> Map.of("Authorization", "Bearer " + token))
                    .toList();
            java.util.function.IntFunction<Load.Request> request =
                    i -> Load.Request.get(me, headers.get(i % headers.size()));
            load.run("warm-up", concurrency, warmup, request, 200);
            results.add(load.run(target[0], concurrency, duration, request, 200));
        }
        Load.print(results);
        Load.Result viaGateway = results.get(0);
        if (auth == null) {
            return viaGateway.errors();
        }
        Load.Result direct = results.get(1);
        System.out.printf(
                "gateway keeps %.0f%% of direct throughput (target >= 60%%); adds %.2f ms at p99 (target < 2 ms)%n%n",
                100 * viaGateway.perSecond() / direct.perSecond(), viaGateway.millis(99) - direct.millis(99));

        return viaGateway.errors() + direct.errors();
    }

    static String registerAndLogIn(HttpClient http, String gateway) throws Exception {
        String email = "bench-" + UUID.randomUUID() + "@example.com";
        String password = "bench password " + UUID.randomUUID();
        post(
                http,
                gateway + "/api/v1/auth/register",
                Map.of("email", email, "name", "Bench", "password", password),
                201);
        JsonNode tokens = post(http, gateway + "/api/v1/auth/login", Map.of("email", email, "password", password), 200);
        return tokens.get("accessToken").asString();
    }

    static JsonNode post(HttpClient http, String url, Object body, int expected) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("options are --name value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
