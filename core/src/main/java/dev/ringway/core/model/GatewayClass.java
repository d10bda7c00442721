package dev.ringway.core.model;

/** GatewayClass (cluster-scoped). */
public record GatewayClass(String apiVersion, ObjectMeta metadata, Spec spec) implements Resource {
    public record Spec(String controllerName, String description, ParametersReference parametersRef) {
    }

    public record ParametersReference(String group, String kind, String name, String namespace) {
    }

    @Override
    public String kind() {
        return Kinds.GATEWAY_CLASS;
    }

    @Override
    public GatewayClass withMetadata(ObjectMeta m) {
        return new GatewayClass(apiVersion, m, spec);
    }
}
