package dev.ringway.core.model;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The part of Kubernetes {@code metadata} that Ringway reads. {@code generation} and
 * {@code creationTimestamp} drive {@code observedGeneration} and route precedence; sources fill them
 * (the API server in Kubernetes mode, the file source in standalone mode).
 */
public record ObjectMeta(
        String name,
        String namespace,
        Long generation,
        String creationTimestamp,
        String resourceVersion,
        String uid,
        Map<String, String> labels,
        Map<String, String> annotations) {

    public ObjectMeta {
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
        annotations = annotations == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
    }

    public static ObjectMeta of(String namespace, String name) {
        return new ObjectMeta(name, namespace, 1L, null, null, null, null, null);
    }

    /** Generation as the spec uses it: a missing generation counts as 0. */
    public long gen() {
        return generation == null ? 0 : generation;
    }

    /** The creation time, or {@link Instant#MAX} when unknown (an unknown age sorts as youngest). */
    public Instant created() {
        if (creationTimestamp == null || creationTimestamp.isEmpty()) {
            return Instant.MAX;
        }
        try {
            return Instant.parse(creationTimestamp);
        } catch (DateTimeParseException e) {
            return Instant.MAX;
        }
    }

    public ObjectMeta withGeneration(long g) {
        return new ObjectMeta(name, namespace, g, creationTimestamp, resourceVersion, uid, labels, annotations);
    }

    public ObjectMeta withCreationTimestamp(String ts) {
        return new ObjectMeta(name, namespace, generation, ts, resourceVersion, uid, labels, annotations);
    }

    public ObjectMeta withNamespace(String ns) {
        return new ObjectMeta(name, ns, generation, creationTimestamp, resourceVersion, uid, labels, annotations);
    }
}
