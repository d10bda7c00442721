package dev.ringway.core.model;

/** A reference to a backend (a Service unless group/kind say otherwise), with weight and port. */
public record BackendRef(String group, String kind, String name, String namespace, Integer port, Integer weight) {
    public BackendRef {
        group = group == null ? Kinds.CORE_GROUP : group;
        kind = kind == null ? Kinds.SERVICE : kind;
        weight = weight == null ? 1 : weight;
    }

    public String namespaceOr(String referrerNamespace) {
        return namespace == null || namespace.isEmpty() ? referrerNamespace : namespace;
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isService() {
        return Kinds.isCoreGroup(group) && Kinds.SERVICE.equals(kind);
    }
}
