package dev.billing.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where the CPU went during a scenario: user + system time of each process of the local stack
 * (named by its jar, {@code kafka} or {@code postgres}) and of the bench itself, read from {@code
 * /proc} before and after, divided by the requests. Linux only; elsewhere it prints nothing.
 * Postgres backends that end during the scenario are not counted. The JVMs' JIT compiler threads
 * are also summed on their own: a window where they are busy measures compilation as much as
 * the stack, so the line shows their share and the warm-up can wait for it to fall.
 */
final class Cpu {

    private static final Path PROC = Path.of("/proc");
    private static final double TICKS_PER_MS = 100 / 1000.0; // USER_HZ, 100 on Linux

    private final Map<String, Long> ticks;
    private final long jitTicks;

    private Cpu(Map<String, Long> ticks, long jitTicks) {
        this.ticks = ticks;
        this.jitTicks = jitTicks;
    }

    static Cpu snapshot() {
        Map<String, Long> ticks = new TreeMap<>();
        if (!Files.isDirectory(PROC)) {
            return new Cpu(ticks, 0);
        }
        long self = ProcessHandle.current().pid();
        long jit = 0;
        try (Stream<Path> entries = Files.list(PROC)) {
            for (Path p : entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .toList()) {
                String name = name(p, Long.parseLong(p.getFileName().toString()) == self);
                if (name != null) {
                    ticks.merge(name, ticks(p), Long::sum);
                    if (!name.equals("postgres")) {
                        jit += compilerTicks(p);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            ticks.clear();
            jit = 0;
        }
        return new Cpu(ticks, jit);
    }

    /** The share of all the stack's (and the bench's) CPU since {@code before} that JIT compilers used. */
    double jitShare(Cpu before) {
        long all = 0;
        for (var e : ticks.entrySet()) {
            all += Math.max(0, used(e, before));
        }
        return all == 0 ? 0 : (double) (jitTicks - before.jitTicks) / all;
    }

    /** One line: CPU milliseconds per request of each process, and their sum. */
    String perRequest(Cpu before, long requests) {
        if (ticks.isEmpty() || requests == 0) {
            return "";
        }
        StringBuilder line = new StringBuilder("  cpu ms/request:");
        double total = 0;
        for (var e : ticks.entrySet()) {
            long used = used(e, before);
            if (used <= 0) {
                continue;
            }
            double ms = used / TICKS_PER_MS / requests;
            total += ms;
            line.append(String.format(" %s %.2f", e.getKey(), ms));
        }
        double jit = (jitTicks - before.jitTicks) / TICKS_PER_MS / requests;
        return line.append(String.format(" | all %.2f, of which JIT compiling %.2f", total, jit))
                .toString();
    }

    private static String name(Path proc, boolean self) {
        if (self) {
            return "bench";
        }
        try {
            String cmd = new String(Files.readAllBytes(proc.resolve("cmdline"))).replace('\0', ' ');
            if (cmd.startsWith("postgres") || cmd.contains("/bin/postgres")) {
                return "postgres";
            }
            if (cmd.contains("kafka.Kafka")) {
                return "kafka";
            }
            int jar = cmd.indexOf("-service.jar");
            if (jar > 0) {
                int start = cmd.lastIndexOf('/', jar) + 1;
                return cmd.substring(start, jar);
            }
            return null;
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    /** The ticks one process (by name) used since {@code before}. */
    private static long used(Map.Entry<String, Long> now, Cpu before) {
        return now.getValue() - before.ticks.getOrDefault(now.getKey(), 0L);
    }

    /** CPU of the JVM's C1/C2 compiler threads (by thread name, {@code /proc/<pid>/task}). */
    private static long compilerTicks(Path proc) {
        long sum = 0;
        try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
            for (Path task : tasks.toList()) {
                String comm = Files.readString(task.resolve("comm"));
                if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                    sum += ticks(task);
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process or the thread ended: not counted
        }
        return sum;
    }

    private static long ticks(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }
}
