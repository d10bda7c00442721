package dev.ringway.core.model;

import java.util.List;

/** GRPCRoute. */
public record GrpcRoute(String apiVersion, ObjectMeta metadata, Spec spec) implements Resource {
    public record Spec(List<ParentReference> parentRefs, List<String> hostnames, List<Rule> rules,
                       String useDefaultGateways) {
        public Spec {
            parentRefs = Lists.copy(parentRefs);
            hostnames = Lists.copy(hostnames);
            rules = Lists.copy(rules);
        }
    }

    public record Rule(String name, List<Match> matches, List<Filter> filters, List<GrpcBackendRef> backendRefs,
                       HttpRoute.SessionPersistence sessionPersistence) {
        public Rule {
            matches = Lists.copy(matches);
            filters = Lists.copy(filters);
            backendRefs = Lists.copy(backendRefs);
        }
    }

    public record Match(MethodMatch method, List<HttpRoute.HeaderMatch> headers) {
        public Match {
            headers = Lists.copy(headers);
        }
    }

    public record MethodMatch(String type, String service, String method) {
        public MethodMatch {
            type = type == null ? "Exact" : type;
        }
    }

    public record Filter(String type, HeaderModifier requestHeaderModifier, HeaderModifier responseHeaderModifier,
                         RequestMirror requestMirror, LocalObjectReference extensionRef) {
    }

    public record GrpcBackendRef(String group, String kind, String name, String namespace, Integer port,
                                 Integer weight, List<Filter> filters) {
        public GrpcBackendRef {
            filters = Lists.copy(filters);
        }

        public BackendRef ref() {
            return new BackendRef(group, kind, name, namespace, port, weight);
        }
    }

    @Override
    public String kind() {
        return Kinds.GRPC_ROUTE;
    }

    @Override
    public GrpcRoute withMetadata(ObjectMeta m) {
        return new GrpcRoute(apiVersion, m, spec);
    }
}
