package dev.billing.gateway;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * A real Redis server for a test: {@code redis-server} from the PATH if installed, otherwise the
 * Linux x86-64 binary packaged in {@code com.github.codemonstur:embedded-redis} (Maven Central),
 * on a free loopback port. Empty when neither can run here, with the reason.
 */
final class RedisServerProcess {

    private static final String PACKAGED = "redis-server-6.2.6-v5-linux-amd64";

    private final Process process;
    final int port;

    private RedisServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Started, or empty with {@code reason[0]} saying why not. */
    static Optional<RedisServerProcess> start(String[] reason) {
        Optional<Path> binary = onPath().or(RedisServerProcess::packaged);
        if (binary.isEmpty()) {
            reason[0] = "no redis-server on the PATH and no packaged Redis binary for " + System.getProperty("os.name")
                    + "/" + System.getProperty("os.arch");
            return Optional.empty();
        }
        try {
            int port = freePort();
            Process process = new ProcessBuilder(
                            binary.get().toString(),
                            "--port",
                            Integer.toString(port),
                            "--bind",
                            "127.0.0.1",
                            "--save",
                            "",
                            "--appendonly",
                            "no")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "redis-stop"));
            var server = new RedisServerProcess(process, port);
            if (!server.awaitPong(Duration.ofSeconds(10))) {
                process.destroy();
                reason[0] = binary.get() + " did not answer PING on port " + port;
                return Optional.empty();
            }
            return Optional.of(server);
        } catch (IOException e) {
            reason[0] = "could not run " + binary.get() + ": " + e.getMessage();
            return Optional.empty();
        }
    }

    void stop() {
        process.destroy();
    }

    private boolean awaitPong(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] answer = new byte[7];
                int read = socket.getInputStream().readNBytes(answer, 0, 7);
                if (new String(answer, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG")) {
                    return true;
                }
            } catch (IOException notYet) {
                // starting
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private static Optional<Path> onPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> packaged() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return Optional.empty();
        }
        try (InputStream in = RedisServerProcess.class.getResourceAsStream("/" + PACKAGED)) {
            if (in == null) {
                return Optional.empty();
            }
            Path file = Files.createTempFile("redis-server", "");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            file.toFile().setExecutable(true);
            file.toFile().deleteOnExit();
            return Optional.of(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
