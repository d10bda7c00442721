package dev.ringway.core.model;

/**
 * Every object kind Ringway reads. Gateway API kinds carry their spec as records mirroring the
 * v1 schemas of the standard (and, where noted, experimental) channel CRDs; Kubernetes kinds carry
 * only the fields routing needs.
 */
public sealed interface Resource
        permits GatewayClass, Gateway, HttpRoute, GrpcRoute, TlsRoute, TcpRoute, UdpRoute, ReferenceGrant,
        BackendTlsPolicy, ListenerSet, Namespace, Service, EndpointSlice, Secret, ConfigMap {

    String apiVersion();

    ObjectMeta metadata();

    String kind();

    default ResourceKey key() {
        ObjectMeta m = metadata();
        return new ResourceKey(kind(), Kinds.isClusterScoped(kind()) ? "" : m.namespace(), m.name());
    }

    default String namespace() {
        return metadata().namespace() == null ? "" : metadata().namespace();
    }

    default String name() {
        return metadata().name();
    }

    /** The same object with other metadata (sources stamp generation and creation time). */
    Resource withMetadata(ObjectMeta metadata);
}
