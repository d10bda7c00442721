package dev.ringway.conformance.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringway.conformance.model.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The runner's stand-in for the API server: the current objects, with {@code metadata.generation} and
 * {@code metadata.creationTimestamp} owned here (SCHEMA 7.1), written through to an {@link ObjectStore}.
 * Generation is 1 on creation and grows by one whenever the object's content outside metadata and status (its
 * spec) changes; creationTimestamp is set on creation (second precision) and never changes.
 */
public final class Cluster {
    private final ObjectStore store;
    private final Clock clock;
    private final Map<ObjectKey, ObjectNode> objects = new LinkedHashMap<>();

    public Cluster(ObjectStore store) {
        this(store, Clock.systemUTC());
    }

    public Cluster(ObjectStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public synchronized JsonNode get(ObjectKey key) {
        ObjectNode o = objects.get(key);
        return o == null ? null : o.deepCopy();
    }

    public synchronized boolean exists(ObjectKey key) {
        return objects.containsKey(key);
    }

    public synchronized long generation(ObjectKey key) {
        ObjectNode o = objects.get(key);
        return o == null ? 0 : o.path("metadata").path("generation").asLong();
    }

    /** Objects of a kind, optionally in one namespace (null = any). */
    public synchronized List<JsonNode> list(String kind, String namespace) {
        List<JsonNode> out = new ArrayList<>();
        objects.forEach((k, v) -> {
            if (k.kind().equals(kind) && (namespace == null || namespace.equals(k.namespace()))) {
                out.add(v.deepCopy());
            }
        });
        return out;
    }

    public synchronized List<ObjectKey> keys() {
        return List.copyOf(objects.keySet());
    }

    /**
     * Creates or updates an object; returns the object as written. Generation/creationTimestamp/uid in the given
     * object are ignored.
     */
    public synchronized JsonNode put(JsonNode object) {
        if (object == null || !object.isObject()) {
            throw new IllegalArgumentException("not an object: " + object);
        }
        ObjectKey key = ObjectKey.of(object);
        ObjectNode o = ((ObjectNode) object).deepCopy();
        ObjectNode meta = o.withObjectProperty("metadata");
        if (key.namespace() != null) {
            meta.put("namespace", key.namespace());
        } else {
            meta.remove("namespace");
        }
        ObjectNode old = objects.get(key);
        if (old == null) {
            meta.put("generation", 1);
            meta.put("creationTimestamp", DateTimeFormatter.ISO_INSTANT.format(
                    Instant.now(clock).truncatedTo(ChronoUnit.SECONDS)));
            meta.put("uid", UUID.randomUUID().toString());
            meta.put("resourceVersion", "1");
        } else {
            JsonNode oldMeta = old.get("metadata");
            long gen = oldMeta.path("generation").asLong(1);
            if (!Objects.equals(content(old), content(o))) {
                gen++;
            }
            meta.put("generation", gen);
            meta.set("creationTimestamp", oldMeta.get("creationTimestamp"));
            meta.set("uid", oldMeta.get("uid"));
            long rv = oldMeta.path("resourceVersion").asLong(1);
            boolean same = Objects.equals(stripped(old), stripped(o));
            meta.put("resourceVersion", String.valueOf(same ? rv : rv + 1));
            if (same) {
                return o.deepCopy(); // nothing changed: do not rewrite the file
            }
        }
        objects.put(key, o);
        store.put(o);
        return o.deepCopy();
    }

    /** Applies a JSON merge patch to an existing object; returns the result as written. */
    public synchronized JsonNode patch(ObjectKey key, JsonNode mergePatch) {
        ObjectNode old = objects.get(key);
        if (old == null) {
            throw new IllegalStateException("cannot patch " + key + ": it does not exist");
        }
        JsonNode patched = MergePatch.apply(old, mergePatch);
        return put(patched);
    }

    public synchronized boolean delete(ObjectKey key) {
        if (objects.remove(key) == null) {
            return false;
        }
        store.delete(key);
        return true;
    }

    /** The object without metadata and status: what a change of bumps the generation. */
    static JsonNode content(JsonNode o) {
        ObjectNode c = ((ObjectNode) o).deepCopy();
        c.remove("metadata");
        c.remove("status");
        c.remove("apiVersion");
        return c;
    }

    private static JsonNode stripped(JsonNode o) {
        ObjectNode c = ((ObjectNode) o).deepCopy();
        ObjectNode m = c.withObjectProperty("metadata");
        m.remove("generation");
        m.remove("creationTimestamp");
        m.remove("uid");
        m.remove("resourceVersion");
        return c;
    }

    @Override
    public synchronized String toString() {
        return Json.write(Json.JSON.valueToTree(objects.keySet().stream().map(ObjectKey::toString).toList()));
    }
}
