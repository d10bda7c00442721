package dev.ringway.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendTLSPolicy;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.TCPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.TLSRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.UDPRoute;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The kinds Ringway watches: every kind of the Gateway API standard channel (v1.6, all served as
 * {@code v1}; the fabric8 8 typed model has them all), plus Namespaces, Services, EndpointSlices,
 * ConfigMaps and Secrets (the last two only when referenced).
 */
public final class ApiKinds {
    private ApiKinds() {
    }

    public static final String GATEWAY_GROUP = "gateway.networking.k8s.io";

    private static ApiKind gw(String kind, String plural, boolean namespaced, boolean status, List<String> shortNames,
                              Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> type) {
        String singular = kind.toLowerCase(java.util.Locale.ROOT);
        return new ApiKind(kind, GATEWAY_GROUP, "v1", plural, singular, namespaced, status, true, false, shortNames, type);
    }

    public static final ApiKind GATEWAY_CLASS = gw("GatewayClass", "gatewayclasses", false, true, List.of("gc"),
            GatewayClass.class);
    public static final ApiKind GATEWAY = gw("Gateway", "gateways", true, true, List.of("gtw"), Gateway.class);
    public static final ApiKind HTTP_ROUTE = gw("HTTPRoute", "httproutes", true, true, List.of(), HTTPRoute.class);
    public static final ApiKind GRPC_ROUTE = gw("GRPCRoute", "grpcroutes", true, true, List.of(), GRPCRoute.class);
    public static final ApiKind TLS_ROUTE = gw("TLSRoute", "tlsroutes", true, true, List.of(), TLSRoute.class);
    public static final ApiKind TCP_ROUTE = gw("TCPRoute", "tcproutes", true, true, List.of(), TCPRoute.class);
    public static final ApiKind UDP_ROUTE = gw("UDPRoute", "udproutes", true, true, List.of(), UDPRoute.class);
    public static final ApiKind REFERENCE_GRANT = gw("ReferenceGrant", "referencegrants", true, false,
            List.of("refgrant"), ReferenceGrant.class);
    public static final ApiKind BACKEND_TLS_POLICY = gw("BackendTLSPolicy", "backendtlspolicies", true, true,
            List.of("btlspolicy"), BackendTLSPolicy.class);
    public static final ApiKind LISTENER_SET = gw("ListenerSet", "listenersets", true, true, List.of("lset"),
            ListenerSet.class);

    public static final ApiKind NAMESPACE = new ApiKind("Namespace", "", "v1", "namespaces", "namespace", false, false,
            false, false, List.of("ns"), Namespace.class);
    public static final ApiKind SERVICE = new ApiKind("Service", "", "v1", "services", "service", true, false, false,
            false, List.of("svc"), Service.class);
    public static final ApiKind ENDPOINT_SLICE = new ApiKind("EndpointSlice", "discovery.k8s.io", "v1",
            "endpointslices", "endpointslice", true, false, false, false, List.of(), EndpointSlice.class);
    public static final ApiKind CONFIG_MAP = new ApiKind("ConfigMap", "", "v1", "configmaps", "configmap", true, false,
            false, true, List.of("cm"), ConfigMap.class);
    public static final ApiKind SECRET = new ApiKind("Secret", "", "v1", "secrets", "secret", true, false, false, true,
            List.of(), Secret.class);

    /** The Gateway API kinds, in the order their CRDs are listed. */
    public static final List<ApiKind> GATEWAY_API = List.of(GATEWAY_CLASS, GATEWAY, HTTP_ROUTE, GRPC_ROUTE, TLS_ROUTE,
            TCP_ROUTE, UDP_ROUTE, REFERENCE_GRANT, BACKEND_TLS_POLICY, LISTENER_SET);

    /** Everything watched. */
    public static final List<ApiKind> ALL = java.util.stream.Stream.concat(GATEWAY_API.stream(),
            java.util.stream.Stream.of(NAMESPACE, SERVICE, ENDPOINT_SLICE, CONFIG_MAP, SECRET)).toList();

    private static final Map<String, ApiKind> BY_KIND = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(ApiKind::kind, Function.identity()));

    public static Optional<ApiKind> byKind(String kind) {
        return Optional.ofNullable(BY_KIND.get(kind));
    }
}
