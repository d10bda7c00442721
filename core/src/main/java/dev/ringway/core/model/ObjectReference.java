package dev.ringway.core.model;

/** A typed reference with group, kind, name and optional namespace (CA certificates, parameters). */
public record ObjectReference(String group, String kind, String name, String namespace) {
    public ObjectReference {
        group = group == null ? "" : group;
    }

    public String namespaceOr(String referrerNamespace) {
        return namespace == null || namespace.isEmpty() ? referrerNamespace : namespace;
    }
}
