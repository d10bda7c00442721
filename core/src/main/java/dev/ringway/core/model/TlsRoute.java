package dev.ringway.core.model;

import java.util.List;

/** TLSRoute: layer-4 routing (one rule of weighted backendRefs). */
public record TlsRoute(String apiVersion, ObjectMeta metadata, Spec spec) implements Resource {
    public record Spec(List<ParentReference> parentRefs, List<String> hostnames, List<Rule> rules, String useDefaultGateways) {
        public Spec {
            parentRefs = Lists.copy(parentRefs);
            hostnames = Lists.copy(hostnames);
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
        return Kinds.TLS_ROUTE;
    }

    @Override
    public TlsRoute withMetadata(ObjectMeta m) {
        return new TlsRoute(apiVersion, m, spec);
    }
}
