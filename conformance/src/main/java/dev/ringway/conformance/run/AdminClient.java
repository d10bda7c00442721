package dev.ringway.conformance.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringway.conformance.cluster.ObjectKey;
import dev.ringway.conformance.model.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The gateway's admin API: {@code GET /readyz} and {@code GET /status} (a Kubernetes List of status objects). */
public final class AdminClient {
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One read of /status: items by object, and when it was read. */
    public record Snapshot(Map<ObjectKey, JsonNode> items, long readAtMillis) {
        public JsonNode get(ObjectKey key) {
            return items.get(key);
        }
    }

    /** Where statuses are read from when not from {@code /status} (Kubernetes mode: the API server). */
    @FunctionalInterface
    public interface StatusSource {
        Snapshot read() throws IOException;
    }

    private volatile StatusSource statusSource;

    public AdminClient(URI base) {
        this.base = base;
    }

    /** Reads statuses from {@code source} instead of {@code GET /status}. */
    public AdminClient statusFrom(StatusSource source) {
        this.statusSource = source;
        return this;
    }

    public URI base() {
        return base;
    }

    public boolean ready() {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(base.resolve("/readyz")).timeout(Duration.ofSeconds(2))
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public Snapshot status() throws IOException {
        StatusSource source = statusSource;
        if (source != null) {
            return source.read();
        }
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(base.resolve("/status")).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        long now = System.currentTimeMillis();
        if (r.statusCode() != 200) {
            throw new IOException("GET /status answered " + r.statusCode());
        }
        return parse(r.body(), now);
    }

    static Snapshot parse(String body, long now) throws IOException {
        JsonNode list;
        try {
            list = Json.parse(body);
        } catch (IllegalArgumentException e) {
            throw new IOException("GET /status: " + e.getMessage());
        }
        JsonNode items = list.path("items");
        if (!items.isArray()) {
            throw new IOException("GET /status: not a List (no items array)");
        }
        Map<ObjectKey, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode item : items) {
            try {
                out.put(ObjectKey.of(item), item);
            } catch (IllegalArgumentException e) {
                // an item without kind/name cannot be matched
            }
        }
        return new Snapshot(out, now);
    }
}
