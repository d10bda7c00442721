package dev.ringway.control.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ringway.control.ControlMetrics;
import dev.ringway.control.status.StatusJson;
import dev.ringway.control.status.StatusView;
import dev.ringway.core.dump.Dumps;
import dev.ringway.core.route.Snapshot;
import dev.ringway.io.DataPlane;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The admin API (default {@code 127.0.0.1:9901}), off the request path, on the JDK HTTP server:
 *
 * <ul>
 *   <li>{@code GET /healthz}: 200 while the process runs.</li>
 *   <li>{@code GET /readyz}: 200 once the first snapshot is published (every listener bind attempted),
 *       503 before; the body says which version and which binds failed.</li>
 *   <li>{@code GET /metrics}: Prometheus text, data plane then control plane.</li>
 *   <li>{@code GET /status}: the statuses as a Kubernetes {@code List} ({@link StatusJson#list}); a
 *       stable contract for test runners.</li>
 *   <li>{@code GET /problems}: configuration problems: parse problems per file (file, document,
 *       object, field), duplicate objects, snapshot validation errors.</li>
 *   <li>{@code GET /config_dump}: the snapshot being served, with its version and publish time
 *       (private keys are never included).</li>
 * </ul>
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final ExecutorService executor;
    private final Supplier<CompletionStage<StatusView>> status;
    private final ControlMetrics metrics;
    private final DataPlane dataPlane;

    private AdminServer(HttpServer server, ExecutorService executor, Supplier<CompletionStage<StatusView>> status,
                        ControlMetrics metrics, DataPlane dataPlane) {
        this.server = server;
        this.executor = executor;
        this.status = status;
        this.metrics = metrics;
        this.dataPlane = dataPlane;
    }

    /** Binds and starts; throws (with the address in the message) when the address is taken. */
    public static AdminServer start(InetSocketAddress address, Supplier<CompletionStage<StatusView>> status,
                                    ControlMetrics metrics, DataPlane dataPlane) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(address, 64);
        } catch (IOException e) {
            throw new IOException("cannot listen on " + address.getHostString() + ":" + address.getPort() + ": "
                    + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ringway-admin-", 0).factory());
        AdminServer admin = new AdminServer(server, executor, status, metrics, dataPlane);
        server.createContext("/", admin::handle);
        server.setExecutor(executor);
        server.start();
        log.info("admin API on http://{}:{}/ (healthz, readyz, metrics, status, problems, config_dump)",
                address.getHostString(), admin.address().getPort());
        return admin;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().add("Allow", "GET, HEAD");
                send(ex, 405, "text/plain", "method not allowed\n");
                return;
            }
            String path = ex.getRequestURI().getPath();
            switch (path) {
                case "/healthz" -> send(ex, 200, "text/plain", "ok\n");
                case "/readyz" -> readyz(ex);
                case "/metrics" -> metrics(ex);
                case "/status" -> json(ex, 200, StatusJson.list(view()));
                case "/problems" -> json(ex, 200, StatusJson.problems(view()));
                case "/config_dump" -> json(ex, 200, configDump());
                case "/" -> send(ex, 200, "text/plain",
                        "Ringway admin API: /healthz /readyz /metrics /status /problems /config_dump\n");
                default -> send(ex, 404, "text/plain", "not found: " + path + "\n");
            }
        } catch (Exception e) {
            log.warn("admin request {} failed: {}", ex.getRequestURI(), e.toString());
            try {
                send(ex, 500, "text/plain", "internal error: " + e.getMessage() + "\n");
            } catch (IOException | RuntimeException ignored) {
                // response already started
            }
        }
    }

    private StatusView view() throws Exception {
        return status.get().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private void readyz(HttpExchange ex) throws IOException {
        ControlMetrics.Published p = metrics.lastPublished();
        if (p == null) {
            send(ex, 503, "text/plain", "not ready: no snapshot published yet\n");
            return;
        }
        StringBuilder sb = new StringBuilder("ready: snapshot ").append(p.version()).append(", ").append(p.bound())
                .append(" listener sockets bound\n");
        new TreeMap<>(p.bindFailures()).forEach((a, err) -> sb.append("bind failed: ").append(a).append(": ")
                .append(err).append('\n'));
        send(ex, 200, "text/plain", sb.toString());
    }

    private void metrics(HttpExchange ex) throws IOException {
        StringBuilder sb = new StringBuilder(8192);
        try {
            dataPlane.writeMetrics(sb);
        } catch (RuntimeException e) {
            log.warn("data plane metrics failed: {}", e.toString());
        }
        if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != '\n') {
            sb.append('\n');
        }
        metrics.writeMetrics(sb);
        send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", sb.toString());
    }

    /** The served snapshot ({@link Dumps#snapshot}) with publish time, transport and bind failures. */
    ObjectNode configDump() {
        Snapshot s = dataPlane.current();
        ControlMetrics.Published p = metrics.lastPublished();
        ObjectNode root = JSON.createObjectNode();
        root.put("version", s.version());
        if (p != null && p.version() == s.version()) {
            root.put("publishedAt", StatusJson.rfc3339(p.publishedAt()));
            ObjectNode failures = root.putObject("bindFailures");
            new TreeMap<>(p.bindFailures()).forEach((a, err) -> failures.put(a.toString(), err));
        }
        root.put("transport", dataPlane.transport());
        ObjectNode dump = Dumps.snapshot(s);
        for (Map.Entry<String, JsonNode> e : dump.properties()) {
            if (!e.getKey().equals("version")) {
                root.set(e.getKey(), e.getValue());
            }
        }
        return root;
    }

    private static void json(HttpExchange ex, int code, JsonNode body) throws IOException {
        send(ex, code, "application/json", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body) + "\n");
    }

    private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(code, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
