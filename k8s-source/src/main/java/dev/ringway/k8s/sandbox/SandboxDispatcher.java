package dev.ringway.k8s.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * In front of fabric8's CRUD-mode mock: answers what the mock lacks for the real {@code kubectl}
 * (discovery, server-side printing as Tables, strategic merge patches treated as JSON merge patches),
 * counts requests (tests count status writes), and lets tests inject faults. Everything else goes to
 * the CRUD dispatcher, which keeps the objects.
 */
final class SandboxDispatcher extends Dispatcher {
    static final ObjectMapper JSON = JsonMapper.builder().build();

    private final KubernetesCrudDispatcher crud;
    private final Clock clock;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final AtomicReference<Function<RecordedRequest, MockResponse>> fault = new AtomicReference<>();
    private volatile String serverAddress = "127.0.0.1:6443";

    SandboxDispatcher(KubernetesCrudDispatcher crud, Clock clock) {
        this.crud = crud;
        this.clock = clock;
    }

    void serverAddress(String address) {
        this.serverAddress = address;
    }

    void fault(Function<RecordedRequest, MockResponse> f) {
        fault.set(f);
    }

    /** Requests seen, by {@code METHOD kind} where kind is {@code status} (a status subresource path) or {@code other}. */
    long count(String key) {
        LongAdder a = counts.get(key);
        return a == null ? 0 : a.sum();
    }

    KubernetesCrudDispatcher crud() {
        return crud;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String full = request.getPath();
        int q = full.indexOf('?');
        String path = q < 0 ? full : full.substring(0, q);
        String query = q < 0 ? "" : full.substring(q + 1);
        String method = request.getMethod();
        counts.computeIfAbsent(method + " " + (path.endsWith("/status") ? "status" : "other"), k -> new LongAdder())
                .increment();
        Function<RecordedRequest, MockResponse> f = fault.get();
        if (f != null) {
            MockResponse injected = f.apply(request);
            if (injected != null) {
                return injected;
            }
        }
        if ("GET".equals(method)) {
            MockResponse discovery = discovery(path);
            if (discovery != null) {
                return discovery;
            }
            String accept = request.getHeader("Accept");
            if (accept != null && accept.contains("as=Table") && !query.contains("watch=true")
                    && !query.contains("watch=1")) {
                return table(request, path);
            }
        }
        if ("PATCH".equals(method)) {
            String type = request.getHeader("Content-Type");
            if (type != null && (type.contains("merge-patch"))) {
                // strategic merge patches too: close enough for a sandbox (lists are replaced, not merged by key)
                return mergePatch(request, path);
            }
        }
        if ("PUT".equals(method)) {
            return put(request, path);
        }
        return crud.dispatch(request);
    }

    /**
     * JSON merge patch (RFC 7386) done here: the mock merges arrays by appending. Applied to the stored
     * object and stored with a PUT; a {@code metadata.resourceVersion} in the patch is a precondition
     * (409 Conflict when the object changed), as on a real API server.
     */
    private synchronized MockResponse mergePatch(RecordedRequest request, String path) {
        String objectPath = path.endsWith("/status") ? path.substring(0, path.length() - "/status".length()) : path;
        MockResponse got = crud.handleGet(objectPath);
        if (got.code() != 200) {
            return got;
        }
        try {
            JsonNode current = JSON.readTree(got.getBody().readString(StandardCharsets.UTF_8));
            JsonNode patch = JSON.readTree(new String(request.getBody().getBytes(), StandardCharsets.UTF_8));
            String rv = patch.path("metadata").path("resourceVersion").asText("");
            if (!rv.isEmpty() && !rv.equals(current.path("metadata").path("resourceVersion").asText())) {
                return conflict(current);
            }
            JsonNode merged = MergePatch.apply(current, patch);
            if (merged instanceof com.fasterxml.jackson.databind.node.ObjectNode o && o.get("metadata") instanceof
                    com.fasterxml.jackson.databind.node.ObjectNode m) {
                m.set("resourceVersion", current.path("metadata").path("resourceVersion"));
            }
            RecordedRequest put = new RecordedRequest(request.getHttpVersion(),
                    io.fabric8.mockwebserver.dsl.HttpMethod.PUT, request.getPath(),
                    request.getHeaders().newBuilder().set("Content-Type", "application/json").build(),
                    new Buffer(JSON.writeValueAsBytes(merged)));
            return crud.dispatch(put);
        } catch (IOException e) {
            return new MockResponse().setResponseCode(400).setBody(status(400, "BadRequest", e.getMessage()));
        }
    }

    /** PUT with the resourceVersion precondition also on status subresources (the mock checks it only on objects). */
    private synchronized MockResponse put(RecordedRequest request, String path) {
        if (path.endsWith("/status")) {
            try {
                JsonNode body = JSON.readTree(new String(request.getBody().getBytes(), StandardCharsets.UTF_8));
                String rv = body.path("metadata").path("resourceVersion").asText("");
                MockResponse got = crud.handleGet(path.substring(0, path.length() - "/status".length()));
                if (got.code() == 200 && !rv.isEmpty()) {
                    JsonNode current = JSON.readTree(got.getBody().readString(StandardCharsets.UTF_8));
                    if (!rv.equals(current.path("metadata").path("resourceVersion").asText())) {
                        return conflict(current);
                    }
                }
            } catch (IOException e) {
                return new MockResponse().setResponseCode(400).setBody(status(400, "BadRequest", e.getMessage()));
            }
        }
        return crud.dispatch(request);
    }

    private static MockResponse conflict(JsonNode current) {
        String msg = "Operation cannot be fulfilled on " + current.path("kind").asText() + " \""
                + current.path("metadata").path("name").asText()
                + "\": the object has been modified; please apply your changes to the latest version and try again";
        return new MockResponse().setResponseCode(409).setBody(status(409, "Conflict", msg));
    }

    private static String status(int code, String reason, String message) {
        var n = JSON.createObjectNode();
        n.put("kind", "Status").put("apiVersion", "v1").put("status", "Failure").put("message", message)
                .put("reason", reason).put("code", code);
        n.putObject("metadata");
        return n.toString();
    }

    private MockResponse discovery(String path) {
        try {
            return switch (path) {
                case "/version", "/version/" -> json(Discovery.version(JSON));
                case "/api", "/api/" -> json(Discovery.apiVersions(JSON, serverAddress));
                case "/apis", "/apis/" -> json(Discovery.apiGroupList(JSON));
                default -> {
                    if (path.equals("/openapi/v3") || path.equals("/openapi/v3/")) {
                        yield json(Discovery.openApiIndex(JSON));
                    }
                    if (path.startsWith("/openapi/v3/")) {
                        String[] gv = path.substring("/openapi/v3/".length()).split("/");
                        JsonNode doc = gv.length == 2 && gv[0].equals("api") ? Discovery.openApi(JSON, "", gv[1])
                                : gv.length == 3 && gv[0].equals("apis") ? Discovery.openApi(JSON, gv[1], gv[2]) : null;
                        yield doc == null ? new MockResponse().setResponseCode(404).setBody(notFound(path)) : json(doc);
                    }
                    if (path.startsWith("/openapi/")) {
                        yield new MockResponse().setResponseCode(404).setBody(notFound(path));
                    }
                    String[] p = path.split("/");
                    // /api/v1 -> ["", "api", "v1"]; /apis/g/v -> ["", "apis", g, v]
                    if (p.length == 3 && p[1].equals("api")) {
                        yield resourceList("", p[2]);
                    }
                    if (p.length == 4 && p[1].equals("apis")) {
                        yield resourceList(p[2], p[3]);
                    }
                    if (p.length == 3 && p[1].equals("apis")) {
                        yield new MockResponse().setResponseCode(404).setBody(notFound(path));
                    }
                    yield null;
                }
            };
        } catch (IOException e) {
            return new MockResponse().setResponseCode(500).setBody(e.toString());
        }
    }

    private static MockResponse resourceList(String group, String version) throws IOException {
        JsonNode list = Discovery.resourceList(JSON, group, version);
        if (list == null) {
            return new MockResponse().setResponseCode(404).setBody(notFound("/apis/" + group + "/" + version));
        }
        return json(list);
    }

    private MockResponse table(RecordedRequest request, String path) {
        MockResponse r = crud.dispatch(request);
        if (r.code() != 200) {
            return r;
        }
        try {
            JsonNode body = JSON.readTree(r.getBody().readString(StandardCharsets.UTF_8));
            return json(Tables.table(JSON, body, kindOf(path), clock.instant()));
        } catch (IOException | RuntimeException e) {
            return r;
        }
    }

    /** The kind a REST path is about ({@code .../namespaces/NS/PLURAL[/NAME]}), or null. */
    static String kindOf(String path) {
        String[] p = path.split("/");
        int start = p.length > 1 && p[1].equals("api") ? 3 : 4;
        List<String> rest = java.util.Arrays.asList(p).subList(Math.min(start, p.length), p.length);
        String plural = null;
        if (rest.size() >= 2 && rest.get(0).equals("namespaces") && rest.size() >= 3) {
            plural = rest.get(2);
        } else if (!rest.isEmpty()) {
            plural = rest.get(0);
        }
        for (Discovery.Resource res : Discovery.RESOURCES) {
            if (res.plural().equals(plural)) {
                return res.kind();
            }
        }
        return null;
    }

    private static MockResponse json(JsonNode n) throws IOException {
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                .setBody(JSON.writeValueAsString(n));
    }

    private static String notFound(String path) {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"the server "
                + "could not find the requested resource\",\"reason\":\"NotFound\",\"details\":{},\"code\":404}";
    }
}
