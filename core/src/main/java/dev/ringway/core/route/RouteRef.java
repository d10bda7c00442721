package dev.ringway.core.route;

/** Which route (kind, namespace, name) a compiled rule came from; for metrics, logs and dumps. */
public record RouteRef(String kind, String namespace, String name) {
    public String nsName() {
        return namespace + "/" + name;
    }

    @Override
    public String toString() {
        return kind + " " + namespace + "/" + name;
    }
}
