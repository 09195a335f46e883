package dev.billing.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Waits until this machine's CPUs are nearly idle, so a scenario does not start while the stack
 * is still working off what the set-up caused (registering users hashes passwords, and each
 * registration sends a verification mail afterwards). The load generator runs on the same
 * machine as the stack, so the whole machine's load is what matters. Linux only ({@code
 * /proc/stat}); elsewhere it waits a fixed 5 s.
 */
final class Quiet {

    private static final Path STAT = Path.of("/proc/stat");

    private Quiet() {}

    /** Blocks until one second passes with the CPUs at most {@code busyPercent} busy, or {@code max} passes. */
    static void await(String what, double busyPercent, Duration max) throws InterruptedException {
        long start = System.nanoTime();
        if (!Files.isReadable(STAT)) {
            Thread.sleep(5000);
            return;
        }
        double busy = 100;
        while (System.nanoTime() - start < max.toNanos()) {
            long[] before = cpu();
            Thread.sleep(1000);
            long[] after = cpu();
            long total = after[0] - before[0];
            busy = total == 0 ? 0 : 100.0 * (total - (after[1] - before[1])) / total;
            if (busy <= busyPercent) {
                break;
            }
        }
        System.out.printf(
                "(waited %.1f s for the machine to settle before %s: %.0f%% busy)%n",
                (System.nanoTime() - start) / 1e9, what, busy);
    }

    /** {total, idle + iowait} jiffies over all CPUs. */
    private static long[] cpu() {
        try {
            String[] f = Files.readAllLines(STAT).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }
}
