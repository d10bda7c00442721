package dev.ringway.conformance.fake;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ringway.conformance.model.Json;
import dev.ringway.conformance.pods.EchoBackends;
import dev.ringway.conformance.pods.EchoKind;
import dev.ringway.conformance.pods.EchoPod;
import dev.ringway.conformance.pods.PodSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A tiny stand-in for the HTTP echo (ECHO.md 3) used only by the runner's own tests until the real echo servers
 * land: echoes path, host, method, headers (canonical names), namespace and pod as JSON on HTTP_PORT, and keeps
 * the request log.
 */
public final class FakeHttpEcho implements EchoBackends {
    @Override
    public Set<EchoKind> kinds() {
        return Set.of(EchoKind.HTTP);
    }

    @Override
    public EchoPod start(PodSpec spec) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(spec.address(), spec.port("HTTP_PORT", 3000)), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        List<String> log = new CopyOnWriteArrayList<>();
        server.createContext("/", ex -> handle(ex, spec, log));
        server.start();
        return new EchoPod() {
            @Override
            public PodSpec spec() {
                return spec;
            }

            @Override
            public boolean ready() {
                return true;
            }

            @Override
            public List<String> requestLog() {
                return List.copyOf(log);
            }

            @Override
            public void close() {
                server.stop(0);
            }
        };
    }

    static String canonical(String name) {
        StringBuilder sb = new StringBuilder();
        boolean upper = true;
        for (char c : name.toCharArray()) {
            sb.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return sb.toString();
    }

    private static void handle(HttpExchange ex, PodSpec spec, List<String> log) throws IOException {
        ex.getRequestBody().readAllBytes();
        String target = ex.getRequestURI().toString();
        log.add(target);
        ObjectNode o = Json.object();
        o.put("path", target);
        o.put("host", ex.getRequestHeaders().getFirst("Host"));
        o.put("method", ex.getRequestMethod());
        o.put("proto", "HTTP/1.1");
        ObjectNode headers = o.putObject("headers");
        Map<String, List<String>> sorted = new TreeMap<>();
        ex.getRequestHeaders().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("Host")) {
                sorted.computeIfAbsent(canonical(k), x -> new java.util.ArrayList<>()).addAll(v);
            }
        });
        sorted.forEach((k, v) -> {
            ArrayNode a = headers.putArray(k);
            v.forEach(a::add);
        });
        o.put("namespace", spec.env("NAMESPACE"));
        o.put("ingress", "");
        o.put("service", spec.env("SERVICE_NAME"));
        o.put("pod", spec.env("POD_NAME"));
        String set = ex.getRequestHeaders().getFirst("X-Echo-Set-Header");
        if (set != null && !set.isEmpty()) {
            for (String pair : set.split(",")) {
                int c = pair.indexOf(':');
                if (c > 0) {
                    ex.getResponseHeaders().add(pair.substring(0, c).trim(), pair.substring(c + 1));
                }
            }
        }
        byte[] body = Json.writePretty(o).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
