package dev.ringway.core.model;

import java.util.List;

/** EndpointSlice: endpoints of the Service named by its {@code kubernetes.io/service-name} label. */
public record EndpointSlice(String apiVersion, ObjectMeta metadata, String addressType, List<Endpoint> endpoints,
                            List<Port> ports) implements Resource {
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    public EndpointSlice {
        endpoints = Lists.copy(endpoints);
        ports = Lists.copyOrNull(ports);
    }

    public record Endpoint(List<String> addresses, Conditions conditions, String hostname, String nodeName,
                           String zone, TargetRef targetRef) {
        public Endpoint {
            addresses = Lists.copy(addresses);
            conditions = conditions == null ? new Conditions(null, null, null) : conditions;
        }
    }

    /** Per the EndpointSlice API, a nil {@code ready} means ready (unknown state is treated as ready). */
    public record Conditions(Boolean ready, Boolean serving, Boolean terminating) {
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isReady() {
            return ready == null || ready;
        }
    }

    public record TargetRef(String kind, String namespace, String name, String uid) {
    }

    public record Port(String name, Integer port, String protocol, String appProtocol) {
        public Port {
            name = name == null ? "" : name;
            protocol = protocol == null ? "TCP" : protocol;
        }
    }

    public String serviceName() {
        return metadata.labels().get(SERVICE_NAME_LABEL);
    }

    @Override
    public String kind() {
        return Kinds.ENDPOINT_SLICE;
    }

    @Override
    public EndpointSlice withMetadata(ObjectMeta m) {
        return new EndpointSlice(apiVersion, m, addressType, endpoints, ports);
    }
}
