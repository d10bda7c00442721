package dev.ringway.conformance.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ringway run} as a subprocess, per the gateway contract: {@code java --enable-native-access=ALL-UNNAMED
 * --sun-misc-unsafe-memory-access=allow -cp <test classpath> dev.ringway.control.Main run --config DIR --admin
 * 127.0.0.1:PORT --address-pool CIDR --controller-name NAME}; ready when {@code GET /readyz} answers 200. Fails fast
 * (with the log's tail) when the process exits first.
 */
public final class GatewayProcess implements AutoCloseable {
    public static final String MAIN = "dev.ringway.control.Main";

    private final Process process;
    private final Path log;
    private final List<String> command;

    private GatewayProcess(Process process, Path log, List<String> command) {
        this.process = process;
        this.log = log;
        this.command = command;
    }

    public static List<String> command(Path configDir, int adminPort, String pool, String controllerName) {
        return command(List.of("--config", configDir.toString()), adminPort, pool, controllerName);
    }

    /** {@code source}: {@code --config DIR}, or {@code --kubernetes --kubeconfig FILE} (Kubernetes mode). */
    public static List<String> command(List<String> source, int adminPort, String pool, String controllerName) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("--sun-misc-unsafe-memory-access=allow");
        String extra = System.getProperty("ringway.conformance.gatewayJvmArgs", "");
        for (String a : extra.trim().split("\\s+")) {
            if (!a.isEmpty()) {
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(MAIN);
        cmd.add("run");
        cmd.addAll(source);
        cmd.add("--admin");
        cmd.add("127.0.0.1:" + adminPort);
        cmd.add("--address-pool");
        cmd.add(pool);
        cmd.add("--controller-name");
        cmd.add(controllerName);
        return cmd;
    }

    public static GatewayProcess start(List<String> command, Path log, AdminClient admin, Duration timeout)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        Process p = pb.start();
        GatewayProcess g = new GatewayProcess(p, log, command);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("the gateway (" + MAIN + ") exited with code " + p.exitValue()
                        + " before it was ready; log " + log + ":\n" + g.tail(30));
            }
            if (admin.ready()) {
                return g;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                g.close();
                throw new IOException("interrupted while waiting for the gateway");
            }
        }
        g.close();
        throw new IOException("the gateway did not answer 200 on " + admin.base().resolve("/readyz") + " within "
                + timeout.toSeconds() + " s; log " + log + ":\n" + g.tail(30));
    }

    public boolean alive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    public List<String> command() {
        return command;
    }

    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
