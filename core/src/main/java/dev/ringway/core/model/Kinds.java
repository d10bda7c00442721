package dev.ringway.core.model;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Kind names, API groups and the apiVersions accepted for each kind. */
public final class Kinds {
    private Kinds() {
    }

    public static final String GATEWAY_GROUP = "gateway.networking.k8s.io";
    public static final String GATEWAY_X_GROUP = "gateway.networking.x-k8s.io";
    public static final String CORE_GROUP = "";

    public static final String GATEWAY_CLASS = "GatewayClass";
    public static final String GATEWAY = "Gateway";
    public static final String HTTP_ROUTE = "HTTPRoute";
    public static final String GRPC_ROUTE = "GRPCRoute";
    public static final String TLS_ROUTE = "TLSRoute";
    public static final String TCP_ROUTE = "TCPRoute";
    public static final String UDP_ROUTE = "UDPRoute";
    public static final String REFERENCE_GRANT = "ReferenceGrant";
    public static final String BACKEND_TLS_POLICY = "BackendTLSPolicy";
    public static final String LISTENER_SET = "ListenerSet";
    public static final String NAMESPACE = "Namespace";
    public static final String SERVICE = "Service";
    public static final String ENDPOINT_SLICE = "EndpointSlice";
    public static final String SECRET = "Secret";
    public static final String CONFIG_MAP = "ConfigMap";

    public static final List<String> ROUTE_KINDS = List.of(HTTP_ROUTE, GRPC_ROUTE, TLS_ROUTE, TCP_ROUTE, UDP_ROUTE);

    /** Kinds whose status Ringway reports. */
    public static final Set<String> STATUS_KINDS = Set.of(GATEWAY_CLASS, GATEWAY, HTTP_ROUTE, GRPC_ROUTE, TLS_ROUTE,
            TCP_ROUTE, UDP_ROUTE, BACKEND_TLS_POLICY, LISTENER_SET);

    /**
     * Every apiVersion the Gateway API has served for a kind whose schema is compatible with the
     * v1 records (standalone mode accepts manifests as people wrote them over the years).
     */
    public static final Map<String, Set<String>> GATEWAY_API_VERSIONS = Map.ofEntries(
            Map.entry(GATEWAY_CLASS, Set.of("v1", "v1beta1", "v1alpha2")),
            Map.entry(GATEWAY, Set.of("v1", "v1beta1", "v1alpha2")),
            Map.entry(HTTP_ROUTE, Set.of("v1", "v1beta1", "v1alpha2")),
            Map.entry(GRPC_ROUTE, Set.of("v1", "v1alpha2")),
            Map.entry(TLS_ROUTE, Set.of("v1", "v1alpha3", "v1alpha2")),
            Map.entry(TCP_ROUTE, Set.of("v1", "v1alpha2")),
            Map.entry(UDP_ROUTE, Set.of("v1", "v1alpha2")),
            Map.entry(REFERENCE_GRANT, Set.of("v1", "v1beta1", "v1alpha2")),
            Map.entry(BACKEND_TLS_POLICY, Set.of("v1", "v1alpha3")),
            Map.entry(LISTENER_SET, Set.of("v1")));

    public static boolean isClusterScoped(String kind) {
        return GATEWAY_CLASS.equals(kind) || NAMESPACE.equals(kind);
    }

    public static boolean isRoute(String kind) {
        return ROUTE_KINDS.contains(kind);
    }

    /** The empty string and "core" both name the core API group. */
    public static boolean isCoreGroup(String group) {
        return group == null || group.isEmpty() || "core".equals(group);
    }
}
