package dev.ringway.core.model;

import java.util.List;

/** UDPRoute: layer-4 routing (one rule of weighted backendRefs). */
public record UdpRoute(String apiVersion, ObjectMeta metadata, Spec spec) implements Resource {
    public record Spec(List<ParentReference> parentRefs, List<Rule> rules, String useDefaultGateways) {
        public Spec {
            parentRefs = Lists.copy(parentRefs);
            rules = Lists.copy(rules);
        }
    }

    public record Rule(String name, List<BackendRef> backendRefs) {
        public Rule {
            backendRefs = Lists.copy(backendRefs);
        }
    }

    @Override
    public String kind() {
        return Kinds.UDP_ROUTE;
    }

    @Override
    public UdpRoute withMetadata(ObjectMeta m) {
        return new UdpRoute(apiVersion, m, spec);
    }
}
