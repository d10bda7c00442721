package dev.ringway.core.translate;

import dev.ringway.core.model.BackendTlsPolicy;
import dev.ringway.core.model.ConfigMap;
import dev.ringway.core.model.EndpointSlice;
import dev.ringway.core.model.Gateway;
import dev.ringway.core.model.GatewayClass;
import dev.ringway.core.model.GrpcRoute;
import dev.ringway.core.model.HttpRoute;
import dev.ringway.core.model.ListenerSet;
import dev.ringway.core.model.Namespace;
import dev.ringway.core.model.ReferenceGrant;
import dev.ringway.core.model.Resource;
import dev.ringway.core.model.ResourceKey;
import dev.ringway.core.model.Secret;
import dev.ringway.core.model.Service;
import dev.ringway.core.model.TcpRoute;
import dev.ringway.core.model.TlsRoute;
import dev.ringway.core.model.UdpRoute;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Phase 0: every input object indexed by kind and key, each list sorted (by creation time, then
 * namespace/name) so that every later phase iterates in a deterministic, precedence-friendly order
 * whatever order the objects arrived in. Duplicate keys: the last one given wins.
 */
final class Index {
    final Map<String, Namespace> namespaces = new HashMap<>();
    final Map<String, Service> services = new HashMap<>();           // ns/name
    final Map<String, List<EndpointSlice>> slicesByService = new HashMap<>(); // ns/service
    final Map<String, Secret> secrets = new HashMap<>();
    final Map<String, ConfigMap> configMaps = new HashMap<>();
    final List<GatewayClass> gatewayClasses;
    final List<Gateway> gateways;
    final List<ListenerSet> listenerSets;
    final List<HttpRoute> httpRoutes;
    final List<GrpcRoute> grpcRoutes;
    final List<TlsRoute> tlsRoutes;
    final List<TcpRoute> tcpRoutes;
    final List<UdpRoute> udpRoutes;
    final List<BackendTlsPolicy> backendTlsPolicies;
    final ReferenceGrants grants;

    /**
     * Precedence order for objects: oldest first, then namespace/name (the spec's tie-breakers).
     * Creation times are parsed once per object, not once per comparison.
     */
    private static <T extends Resource> void sortByAgeThenName(List<T> list) {
        Map<Resource, java.time.Instant> created = new java.util.IdentityHashMap<>(list.size() * 2);
        for (T r : list) {
            created.put(r, r.metadata().created());
        }
        list.sort(Comparator.comparing((T r) -> created.get(r))
                .thenComparing(Resource::namespace)
                .thenComparing(Resource::name));
    }

    Index(Collection<? extends Resource> resources) {
        Map<ResourceKey, Resource> unique = new TreeMap<>();
        for (Resource r : resources) {
            unique.put(r.key(), r);
        }
        List<GatewayClass> gcs = new ArrayList<>();
        List<Gateway> gws = new ArrayList<>();
        List<ListenerSet> lss = new ArrayList<>();
        List<HttpRoute> hrs = new ArrayList<>();
        List<GrpcRoute> grs = new ArrayList<>();
        List<TlsRoute> tlrs = new ArrayList<>();
        List<TcpRoute> tcrs = new ArrayList<>();
        List<UdpRoute> udrs = new ArrayList<>();
        List<BackendTlsPolicy> btps = new ArrayList<>();
        Map<String, List<ReferenceGrant>> rgs = new HashMap<>();
        for (Resource r : unique.values()) {
            String key = r.namespace() + "/" + r.name();
            switch (r) {
                case GatewayClass x -> gcs.add(x);
                case Gateway x -> gws.add(x);
                case ListenerSet x -> lss.add(x);
                case HttpRoute x -> hrs.add(x);
                case GrpcRoute x -> grs.add(x);
                case TlsRoute x -> tlrs.add(x);
                case TcpRoute x -> tcrs.add(x);
                case UdpRoute x -> udrs.add(x);
                case BackendTlsPolicy x -> btps.add(x);
                case ReferenceGrant x -> rgs.computeIfAbsent(x.namespace(), k -> new ArrayList<>()).add(x);
                case Namespace x -> namespaces.put(x.name(), x);
                case Service x -> services.put(key, x);
                case EndpointSlice x -> {
                    String svc = x.serviceName();
                    if (svc != null) {
                        slicesByService.computeIfAbsent(x.namespace() + "/" + svc, k -> new ArrayList<>()).add(x);
                    }
                }
                case Secret x -> secrets.put(key, x);
                case ConfigMap x -> configMaps.put(key, x);
            }
        }
        gcs.sort(Comparator.comparing(GatewayClass::name));
        sortByAgeThenName(gws);
        sortByAgeThenName(lss);
        sortByAgeThenName(hrs);
        sortByAgeThenName(grs);
        sortByAgeThenName(tlrs);
        sortByAgeThenName(tcrs);
        sortByAgeThenName(udrs);
        sortByAgeThenName(btps);
        slicesByService.values().forEach(l -> l.sort(Comparator.comparing(Resource::name)));
        this.gatewayClasses = List.copyOf(gcs);
        this.gateways = List.copyOf(gws);
        this.listenerSets = List.copyOf(lss);
        this.httpRoutes = List.copyOf(hrs);
        this.grpcRoutes = List.copyOf(grs);
        this.tlsRoutes = List.copyOf(tlrs);
        this.tcpRoutes = List.copyOf(tcrs);
        this.udpRoutes = List.copyOf(udrs);
        this.backendTlsPolicies = List.copyOf(btps);
        this.grants = new ReferenceGrants(rgs);
    }

    /** Labels of a namespace; a namespace not present in the input has none. */
    Map<String, String> namespaceLabels(String ns) {
        Namespace n = namespaces.get(ns);
        if (n == null) {
            // The API server always sets kubernetes.io/metadata.name; mirror that for selectors.
            return Map.of("kubernetes.io/metadata.name", ns);
        }
        Map<String, String> l = new HashMap<>(n.metadata().labels());
        l.putIfAbsent("kubernetes.io/metadata.name", ns);
        return l;
    }
}
