package dev.ringway.core.model;

import java.util.Comparator;

/** Identity of an object: kind, namespace ("" for cluster-scoped kinds) and name. */
public record ResourceKey(String kind, String namespace, String name) implements Comparable<ResourceKey> {

    private static final Comparator<ResourceKey> ORDER = Comparator.comparing(ResourceKey::kind)
            .thenComparing(ResourceKey::namespace)
            .thenComparing(ResourceKey::name);

    public ResourceKey {
        namespace = namespace == null ? "" : namespace;
    }

    public static ResourceKey of(String kind, String namespace, String name) {
        return new ResourceKey(kind, namespace, name);
    }

    /** {@code namespace/name}, or just {@code name} for cluster-scoped objects. */
    public String nsName() {
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }

    @Override
    public int compareTo(ResourceKey o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return kind + " " + nsName();
    }
}
