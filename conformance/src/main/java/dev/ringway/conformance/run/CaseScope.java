package dev.ringway.conformance.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringway.conformance.cluster.Cluster;
import dev.ringway.conformance.cluster.ObjectKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The changes one case makes to the cluster: remembers each touched object's state before the case (null = it did
 * not exist), so that cleanup deletes what the case applied or created and restores what it patched or deleted;
 * and each object's generation just before the case's most recent patch of it (for {@code generationChanged}).
 */
final class CaseScope {
    private final Cluster cluster;
    private final Map<ObjectKey, JsonNode> originals = new LinkedHashMap<>();
    private final Map<ObjectKey, Long> generationBeforePatch = new HashMap<>();

    CaseScope(Cluster cluster) {
        this.cluster = cluster;
    }

    private void remember(ObjectKey key) {
        if (!originals.containsKey(key)) {
            originals.put(key, cluster.get(key));
        }
    }

    JsonNode put(JsonNode obj) {
        remember(ObjectKey.of(obj));
        return cluster.put(obj);
    }

    JsonNode patch(ObjectKey key, JsonNode mergePatch) {
        remember(key);
        generationBeforePatch.put(key, cluster.generation(key));
        return cluster.patch(key, mergePatch);
    }

    boolean delete(ObjectKey key) {
        remember(key);
        return cluster.delete(key);
    }

    Long generationBeforePatch(ObjectKey key) {
        return generationBeforePatch.get(key);
    }

    /** Undoes the case's changes (newest first); returns the keys deleted by the restore. */
    List<ObjectKey> restore() {
        List<ObjectKey> deleted = new ArrayList<>();
        List<Map.Entry<ObjectKey, JsonNode>> entries = new ArrayList<>(originals.entrySet());
        java.util.Collections.reverse(entries);
        for (var e : entries) {
            if (e.getValue() == null) {
                if (cluster.delete(e.getKey())) {
                    deleted.add(e.getKey());
                }
            } else {
                cluster.put(e.getValue());
            }
        }
        originals.clear();
        return deleted;
    }
}
