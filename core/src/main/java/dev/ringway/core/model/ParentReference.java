package dev.ringway.core.model;

/**
 * A route's (or ListenerSet's) reference to its parent. Group and kind take the CRD defaults
 * ({@code gateway.networking.k8s.io}, {@code Gateway}) when absent, as the API server would.
 */
public record ParentReference(String group, String kind, String namespace, String name, String sectionName,
                              Integer port) {
    public ParentReference {
        group = group == null ? Kinds.GATEWAY_GROUP : group;
        kind = kind == null ? Kinds.GATEWAY : kind;
    }

    /** The namespace the reference points into: its own, or the referrer's when unset. */
    public String namespaceOr(String referrerNamespace) {
        return namespace == null || namespace.isEmpty() ? referrerNamespace : namespace;
    }
}
