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
 * Postgres backends that end during the scenario are not counted.
 */
final class Cpu {

    private static final Path PROC = Path.of("/proc");
    private static final double TICKS_PER_MS = 100 / 1000.0; // USER_HZ, 100 on Linux

    private final Map<String, Long> ticks;

    private Cpu(Map<String, Long> ticks) {
        this.ticks = ticks;
    }

    static Cpu snapshot() {
        Map<String, Long> ticks = new TreeMap<>();
        if (!Files.isDirectory(PROC)) {
            return new Cpu(ticks);
        }
        long self = ProcessHandle.current().pid();
        try (Stream<Path> entries = Files.list(PROC)) {
            entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .forEach(p -> {
                        String name = name(p, Long.parseLong(p.getFileName().toString()) == self);
                        if (name != null) {
                            ticks.merge(name, ticks(p), Long::sum);
                        }
                    });
        } catch (IOException | RuntimeException e) {
            ticks.clear();
        }
        return new Cpu(ticks);
    }

    /** One line: CPU milliseconds per request of each process, and their sum. */
    String perRequest(Cpu before, long requests) {
        if (ticks.isEmpty() || requests == 0) {
            return "";
        }
        StringBuilder line = new StringBuilder("  cpu ms/request:");
        double total = 0;
        for (var e : ticks.entrySet()) {
            long used = e.getValue() - before.ticks.getOrDefault(e.getKey(), 0L);
            if (used <= 0) {
                continue;
            }
            double ms = used / TICKS_PER_MS / requests;
            total += ms;
            line.append(String.format(" %s %.2f", e.getKey(), ms));
        }
        return line.append(String.format(" | all %.2f", total)).toString();
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
