package dev.billing.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** A closed-loop load: {@code concurrency} workers send requests back to back for a fixed time. */
final class Load {

    record Result(String name, long requests, long errors, double seconds, Histogram latencyMicros, String cpu) {
        double perSecond() {
            return requests / seconds;
        }

        double millis(double percentile) {
            return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    private final HttpClient http;

    Load(HttpClient http) {
        this.http = http;
    }

    /** Runs {@code request(i)} (i counts up) from {@code concurrency} workers for {@code duration}. */
    Result run(String name, int concurrency, Duration duration, IntFunction<HttpRequest> request, int expectedStatus)
            throws InterruptedException {
        Histogram latency = new ConcurrentHistogram(Duration.ofMinutes(1).toNanos() / 1000, 3);
        AtomicLong requests = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicInteger counter = new AtomicInteger();
        Cpu cpu = Cpu.snapshot();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        try (var workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < concurrency; w++) {
                workers.submit(() -> {
                    while (System.nanoTime() < end) {
                        HttpRequest next = request.apply(counter.getAndIncrement());
                        long sent = System.nanoTime();
                        try {
                            HttpResponse<Void> response = http.send(next, HttpResponse.BodyHandlers.discarding());
                            if (response.statusCode() != expectedStatus) {
                                errors.incrementAndGet();
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                        latency.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
                        requests.incrementAndGet();
                    }
                    return null;
                });
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(
                name,
                requests.get(),
                errors.get(),
                seconds,
                latency,
                Cpu.snapshot().perRequest(cpu, requests.get()));
    }

    /** Runs every call once, {@code concurrency} at a time; each call returns the HTTP status it got. */
    Result runAll(String name, int concurrency, List<java.util.concurrent.Callable<Integer>> calls, int expectedStatus)
            throws InterruptedException {
        Histogram latency = new ConcurrentHistogram(Duration.ofMinutes(1).toNanos() / 1000, 3);
        AtomicLong errors = new AtomicLong();
        AtomicInteger next = new AtomicInteger();
        Cpu cpu = Cpu.snapshot();
        long start = System.nanoTime();
        try (var workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < concurrency; w++) {
                workers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < calls.size(); i = next.getAndIncrement()) {
                        long sent = System.nanoTime();
                        try {
                            if (calls.get(i).call() != expectedStatus) {
                                errors.incrementAndGet();
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                        latency.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
                    }
                    return null;
                });
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(
                name,
                calls.size(),
                errors.get(),
                seconds,
                latency,
                Cpu.snapshot().perRequest(cpu, calls.size()));
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
