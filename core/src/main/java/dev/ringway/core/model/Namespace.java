package dev.ringway.core.model;

/** Namespace: Ringway reads its labels (allowedRoutes selectors). */
public record Namespace(String apiVersion, ObjectMeta metadata) implements Resource {
    @Override
    public String kind() {
        return Kinds.NAMESPACE;
    }

    @Override
    public Namespace withMetadata(ObjectMeta m) {
        return new Namespace(apiVersion, m);
    }
}
