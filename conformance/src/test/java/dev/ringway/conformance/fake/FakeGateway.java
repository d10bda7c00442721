package dev.ringway.conformance.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ringway.conformance.client.Http1Client;
import dev.ringway.conformance.client.HttpCall;
import dev.ringway.conformance.client.HttpResult;
import dev.ringway.conformance.model.Json;
import dev.ringway.conformance.model.Protocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A fake gateway for the runner's own tests: an admin API whose {@code /status} is computed from the objects in the
 * config directory (well-behaved by default, then altered by a test's {@link #statusMutator}), and a data plane on
 * one loopback address whose behaviour is a function of the request (proxy to an address, or answer directly).
 */
public final class FakeGateway implements AutoCloseable {
    public static final String CONTROLLER = "ringway.dev/gateway-controller";

    /** What the data plane does with a request. */
    public sealed interface Action {}

    /** Forward to addr:port, adding (or with null value removing) request headers. */
    public record Proxy(InetAddress addr, int port, Map<String, String> setHeaders) implements Action {}

    public record Respond(int status, Map<String, String> headers, String body) implements Action {}

    /** A received request: method, raw target, Host, headers. */
    public record Req(String method, String target, String host, Map<String, List<String>> headers) {}

    private final Path configDir;
    private final HttpServer admin;
    private final HttpServer data;
    private final InetAddress address;
    public volatile UnaryOperator<JsonNode> statusMutator = UnaryOperator.identity();
    public volatile Function<Req, Action> router = r -> new Respond(404, Map.of(), "no route");

    public FakeGateway(Path configDir, InetAddress address, int port) throws IOException {
        this.configDir = configDir;
        this.address = address;
        admin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        admin.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        admin.createContext("/readyz", ex -> reply(ex, 200, "text/plain", "ok"));
        admin.createContext("/status", ex -> reply(ex, 200, "application/json", Json.write(statusList())));
        admin.start();
        data = HttpServer.create(new InetSocketAddress(address, port), 64);
        data.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        data.createContext("/", this::serve);
        data.start();
    }

    public URI adminUri() {
        return URI.create("http://127.0.0.1:" + admin.getAddress().getPort());
    }

    public InetAddress address() {
        return address;
    }

    @Override
    public void close() {
        admin.stop(0);
        data.stop(0);
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            ex.getResponseBody().write(b);
        }
        ex.close();
    }

    private void serve(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
        Req req = new Req(ex.getRequestMethod(), ex.getRequestURI().toString(),
                ex.getRequestHeaders().getFirst("Host"), headers);
        Action a = router.apply(req);
        switch (a) {
            case Respond r -> {
                r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
                reply(ex, r.status(), r.headers().getOrDefault("Content-Type", "text/plain"), r.body());
            }
            case Proxy p -> {
                List<HttpCall.Header> out = new ArrayList<>();
                headers.forEach((k, vs) -> {
                    if (k.equalsIgnoreCase("Host") || k.equalsIgnoreCase("Connection")
                            || k.equalsIgnoreCase("Content-Length") || p.setHeaders().containsKey(k)
                            || p.setHeaders().keySet().stream().anyMatch(k::equalsIgnoreCase)) {
                        return;
                    }
                    vs.forEach(v -> out.add(new HttpCall.Header(k, v)));
                });
                p.setHeaders().forEach((k, v) -> {
                    if (v != null) {
                        out.add(new HttpCall.Header(k, v));
                    }
                });
                HttpResult res;
                try {
                    res = Http1Client.send(new HttpCall(Protocol.HTTP, p.addr(), p.port(), req.method(), req.host(),
                            req.target(), out, body.length == 0 ? null : body, null, Duration.ofSeconds(5)));
                } catch (IOException e) {
                    reply(ex, 503, "text/plain", "upstream failed: " + e.getMessage());
                    return;
                }
                for (HttpCall.Header h : res.headers()) {
                    if (!h.name().equalsIgnoreCase("Content-Length") && !h.name().equalsIgnoreCase("Transfer-Encoding")
                            && !h.name().equalsIgnoreCase("Date")) {
                        ex.getResponseHeaders().add(h.name(), h.value());
                    }
                }
                ex.sendResponseHeaders(res.status(), res.body().length == 0 ? -1 : res.body().length);
                if (res.body().length > 0) {
                    ex.getResponseBody().write(res.body());
                }
                ex.close();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ status

    /** The objects the runner wrote (as the real gateway would read them). */
    List<JsonNode> objects() {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(configDir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(".") || !n.endsWith(".json")) {
                    continue;
                }
                try {
                    out.add(Json.parse(Files.readString(p)));
                } catch (IOException | IllegalArgumentException e) {
                    // being replaced
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    JsonNode statusList() {
        List<JsonNode> objs = objects();
        ObjectNode list = Json.object();
        list.put("kind", "List");
        ArrayNode items = list.putArray("items");
        for (JsonNode o : objs) {
            String kind = Json.text(o, "kind");
            ObjectNode status = switch (kind) {
                case "GatewayClass" -> gatewayClassStatus(o);
                case "Gateway" -> gatewayStatus(o, objs);
                case "HTTPRoute" -> routeStatus(o);
                default -> null;
            };
            if (status == null) {
                continue;
            }
            ObjectNode item = Json.object();
            item.put("apiVersion", Json.text(o, "apiVersion"));
            item.put("kind", kind);
            ObjectNode meta = item.putObject("metadata");
            if (Json.text(o, "metadata", "namespace") != null) {
                meta.put("namespace", Json.text(o, "metadata", "namespace"));
            }
            meta.put("name", Json.text(o, "metadata", "name"));
            meta.put("generation", o.path("metadata").path("generation").asLong());
            item.set("status", status);
            items.add(statusMutator.apply(item));
        }
        return list;
    }

    static ObjectNode cond(String type, String status, String reason, long gen) {
        ObjectNode c = Json.object();
        c.put("type", type).put("status", status).put("reason", reason).put("message", "")
                .put("observedGeneration", gen).put("lastTransitionTime", "2026-01-01T00:00:00Z");
        return c;
    }

    private ObjectNode gatewayClassStatus(JsonNode o) {
        long gen = o.path("metadata").path("generation").asLong();
        ObjectNode s = Json.object();
        s.putArray("conditions").add(cond("Accepted", "True", "Accepted", gen));
        return s;
    }

    private ObjectNode gatewayStatus(JsonNode gw, List<JsonNode> objs) {
        long gen = gw.path("metadata").path("generation").asLong();
        String ns = Json.text(gw, "metadata", "namespace");
        String name = Json.text(gw, "metadata", "name");
        ObjectNode s = Json.object();
        s.putArray("addresses").addObject().put("type", "IPAddress").put("value", address.getHostAddress());
        ArrayNode conds = s.putArray("conditions");
        conds.add(cond("Accepted", "True", "Accepted", gen));
        conds.add(cond("Programmed", "True", "Programmed", gen));
        ArrayNode listeners = s.putArray("listeners");
        for (JsonNode l : gw.path("spec").path("listeners")) {
            int attached = 0;
            for (JsonNode r : objs) {
                if (!"HTTPRoute".equals(Json.text(r, "kind"))) {
                    continue;
                }
                for (JsonNode p : r.path("spec").path("parentRefs")) {
                    String pns = Json.text(p, "namespace") == null ? Json.text(r, "metadata", "namespace")
                            : Json.text(p, "namespace");
                    if (name.equals(Json.text(p, "name")) && ns.equals(pns)) {
                        attached++;
                    }
                }
            }
            ObjectNode ls = listeners.addObject();
            ls.put("name", Json.text(l, "name"));
            ls.putArray("supportedKinds").addObject().put("group", "gateway.networking.k8s.io").put("kind", "HTTPRoute");
            ls.put("attachedRoutes", attached);
            ArrayNode lc = ls.putArray("conditions");
            lc.add(cond("Accepted", "True", "Accepted", gen));
            lc.add(cond("ResolvedRefs", "True", "ResolvedRefs", gen));
            lc.add(cond("Programmed", "True", "Programmed", gen));
        }
        return s;
    }

    private ObjectNode routeStatus(JsonNode r) {
        long gen = r.path("metadata").path("generation").asLong();
        ObjectNode s = Json.object();
        ArrayNode parents = s.putArray("parents");
        for (JsonNode p : r.path("spec").path("parentRefs")) {
            ObjectNode e = parents.addObject();
            ObjectNode ref = e.putObject("parentRef");
            ref.put("group", "gateway.networking.k8s.io").put("kind", "Gateway").put("name", Json.text(p, "name"));
            if (Json.text(p, "namespace") != null) {
                ref.put("namespace", Json.text(p, "namespace"));
            }
            e.put("controllerName", CONTROLLER);
            ArrayNode c = e.putArray("conditions");
            c.add(cond("Accepted", "True", "Accepted", gen));
            c.add(cond("ResolvedRefs", "True", "ResolvedRefs", gen));
        }
        return s;
    }
}
