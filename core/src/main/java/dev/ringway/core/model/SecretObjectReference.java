package dev.ringway.core.model;

/** A reference to a Secret (or another certificate-holding kind), defaulting to core/Secret. */
public record SecretObjectReference(String group, String kind, String name, String namespace) {
    public SecretObjectReference {
        group = group == null ? Kinds.CORE_GROUP : group;
        kind = kind == null ? Kinds.SECRET : kind;
    }

    public String namespaceOr(String referrerNamespace) {
        return namespace == null || namespace.isEmpty() ? referrerNamespace : namespace;
    }
}
