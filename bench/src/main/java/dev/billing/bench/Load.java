package dev.billing.bench;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * A closed-loop load: {@code concurrency} requests in flight, each followed at once by the next,
 * on keep-alive connections.
 *
 * <p>The load generator shares the two cores with the stack it measures, so it must cost as little
 * as it can: the timed requests go through Reactor Netty on one event-loop thread (no thread hop
 * per request), after {@link #warmUpSelf}. The JDK's HttpClient with a virtual thread per worker,
 * used before, spent about 0.5 ms of CPU per webhook, CPU the stack then lacked. Set-up calls
 * (registration, polling) still use the JDK client.
 */
final class Load implements AutoCloseable {

    /** One request; {@code body} null for none. */
    record Request(String method, URI uri, Map<String, String> headers, byte[] body) {
        static Request get(URI uri, Map<String, String> headers) {
            return new Request("GET", uri, headers, null);
        }

        static Request post(URI uri, Map<String, String> headers, byte[] body) {
            return new Request("POST", uri, headers, body);
        }
    }

    /** {@code jitShare}: the part of the stack's CPU in the window that JIT compilers used (0 to 1). */
    record Result(
            String name,
            long requests,
            long errors,
            double seconds,
            Histogram latencyMicros,
            String cpu,
            double jitShare) {
        double perSecond() {
            return requests / seconds;
        }

        double millis(double percentile) {
            return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final LoopResources loop = LoopResources.create("bench-load", 1, true);
    private final ConnectionProvider connections = ConnectionProvider.builder("bench-load")
            .maxConnections(512)
            .pendingAcquireMaxCount(-1)
            .build();
    private final HttpClient http =
            HttpClient.create(connections).runOn(loop).keepAlive(true).responseTimeout(TIMEOUT);

    /** Runs {@code request(i)} (i counts up) at {@code concurrency} for {@code duration}. */
    Result run(String name, int concurrency, Duration duration, IntFunction<Request> request, int expectedStatus) {
        long end = System.nanoTime() + duration.toNanos();
        return measure(name, concurrency, request, i -> System.nanoTime() < end, expectedStatus);
    }

    /** Sends every request once, {@code concurrency} at a time. */
    Result runAll(String name, int concurrency, List<Request> requests, int expectedStatus) {
        return measure(name, concurrency, requests::get, i -> i < requests.size(), expectedStatus);
    }

    private Result measure(
            String name, int concurrency, IntFunction<Request> request, IntPredicate more, int expectedStatus) {
        Histogram latency = new ConcurrentHistogram(Duration.ofMinutes(1).toNanos() / 1000, 3);
        AtomicLong requests = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicInteger counter = new AtomicInteger();
        Cpu cpu = Cpu.snapshot();
        long start = System.nanoTime();
        Flux.range(0, concurrency)
                .flatMap(
                        worker -> Mono.defer(() -> {
                                    int i = counter.getAndIncrement();
                                    if (!more.test(i)) {
                                        return Mono.just(false);
                                    }
                                    long sent = System.nanoTime();
                                    return send(request.apply(i))
                                            .onErrorReturn(-1)
                                            .map(status -> {
                                                if (status != expectedStatus) {
                                                    errors.incrementAndGet();
                                                }
                                                latency.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
                                                requests.incrementAndGet();
                                                return true;
                                            });
                                })
                                .repeat()
                                .takeWhile(Boolean::booleanValue),
                        concurrency)
                // the bench's main thread waits for the run to end; no request path here
                .blockLast();
        double seconds = (System.nanoTime() - start) / 1e9;
        Cpu after = Cpu.snapshot();
        return new Result(
                name,
                requests.get(),
                errors.get(),
                seconds,
                latency,
                after.perRequest(cpu, requests.get()),
                after.jitShare(cpu));
    }

    /** The response's status; its body is read and dropped (so the connection is reused). */
    private Mono<Integer> send(Request r) {
        return http.request(HttpMethod.valueOf(r.method()))
                .uri(r.uri())
                .send((out, outbound) -> {
                    r.headers().forEach(out::header);
                    if (r.body() == null) {
                        return outbound;
                    }
                    out.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(r.body().length));
                    return outbound.send(ByteBufFlux.fromInbound(Mono.just(Unpooled.wrappedBuffer(r.body()))));
                })
                .responseSingle((response, body) ->
                        body.then(Mono.just(response.status().code())))
                .timeout(TIMEOUT);
    }

    /**
     * Runs the load path against a server in this JVM for {@code duration}, so the JIT has compiled
     * the generator's own code before a scenario is measured (C2 compiling it during a measured
     * run took about as much CPU as sending the requests, CPU the stack then lacked).
     */
    void warmUpSelf(Duration duration) {
        byte[] answer = new byte[1024];
        java.util.Arrays.fill(answer, (byte) 'x');
        DisposableServer server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle((request, response) -> request.receive()
                        .then(response.status(200)
                                .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                                .sendByteArray(Mono.just(answer))
                                .then()))
                .bindNow();
        try {
            URI get = URI.create("http://127.0.0.1:" + server.port() + "/self");
            Map<String, String> headers = Map.of("Authorization", "Bearer warm-up", "Content-Type", "application/json");
            run(
                    "self warm-up",
                    16,
                    duration,
                    i -> i % 2 == 0 ? Request.get(get, headers) : Request.post(get, headers, answer),
                    200);
        } finally {
            server.disposeNow();
        }
    }

    @Override
    public void close() {
        connections.dispose();
        loop.dispose();
    }

    static void print(List<Result> results) {
        System.out.printf(
                "%-28s %9s %7s %10s %9s %9s %9s%n",
                "scenario", "requests", "errors", "req/s", "p50 ms", "p99 ms", "max ms");
        for (Result r : results) {
            System.out.printf(
                    "%-28s %9d %7d %10.1f %9.2f %9.2f %9.2f%n",
                    r.name(),
                    r.requests(),
                    r.errors(),
                    r.perSecond(),
                    r.millis(50),
                    r.millis(99),
                    r.latencyMicros().getMaxValue() / 1000.0);
            if (!r.cpu().isEmpty()) {
                System.out.println(r.cpu());
            }
        }
    }
}
