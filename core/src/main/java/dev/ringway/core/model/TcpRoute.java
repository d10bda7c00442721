package dev.ringway.core.model;

import java.util.List;

/** TCPRoute: layer-4 routing (one rule of weighted backendRefs). */
public record TcpRoute(String apiVersion, ObjectMeta metadata, Spec spec) implements Resource {
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
        return Kinds.TCP_ROUTE;
    }

    @Override
    public TcpRoute withMetadata(ObjectMeta m) {
        return new TcpRoute(apiVersion, m, spec);
    }
}
