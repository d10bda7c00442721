package dev.ringway.core.model;

import java.util.List;
import java.util.Map;

/** Service: ports (with targetPort and appProtocol), type, externalName, selector. */
public record Service(String apiVersion, ObjectMeta metadata, Spec spec) implements Resource {
    public record Spec(String type, String clusterIP, List<String> clusterIPs, String externalName,
                       Map<String, String> selector, List<Port> ports) {
        public Spec {
            type = type == null ? "ClusterIP" : type;
            clusterIPs = Lists.copy(clusterIPs);
            selector = Lists.copy(selector);
            ports = Lists.copy(ports);
        }
    }

    public record Port(String name, String protocol, Integer port, IntOrString targetPort, String appProtocol,
                       Integer nodePort) {
        public Port {
            protocol = protocol == null ? "TCP" : protocol;
            name = name == null ? "" : name;
        }
    }

    public Spec specOrEmpty() {
        return spec == null ? new Spec(null, null, null, null, null, null) : spec;
    }

    @Override
    public String kind() {
        return Kinds.SERVICE;
    }

    @Override
    public Service withMetadata(ObjectMeta m) {
        return new Service(apiVersion, m, spec);
    }
}
