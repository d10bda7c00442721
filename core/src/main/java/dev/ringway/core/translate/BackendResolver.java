package dev.ringway.core.translate;

import dev.ringway.core.model.BackendRef;
import dev.ringway.core.model.EndpointSlice;
import dev.ringway.core.model.Kinds;
import dev.ringway.core.model.Service;
import dev.ringway.core.route.AppProtocol;
import dev.ringway.core.route.Backend;
import dev.ringway.core.route.BackendTls;
import dev.ringway.core.route.Endpoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * backendRef resolution (BackendRef and HTTPBackendRef godoc): only core {@code Service} is
 * supported ("Support: Core for Kubernetes Service"), any other group/kind is {@code InvalidKind};
 * a reference into another namespace needs a ReferenceGrant, else {@code RefNotPermitted}; a missing
 * Service, or a port the Service does not have, is {@code BackendNotFound}. An invalid reference
 * still becomes a {@link Backend} (marked invalid) so that its share of traffic answers 500.
 * Endpoints are the ready addresses of the EndpointSlices labelled with the Service's name, at the
 * slice port named like the Service port. Backends are shared: one per Service port in a snapshot.
 */
final class BackendResolver {
    private final Index index;
    private final BackendTlsPolicies policies;
    private final Map<String, Backend> byKey = new LinkedHashMap<>();

    /** The outcome of resolving one reference: the backend, and the ResolvedRefs failure if any. */
    record Resolution(Backend backend, String reason, String message) {
        boolean ok() {
            return reason == null;
        }
    }

    BackendResolver(Index index, BackendTlsPolicies policies) {
        this.index = index;
        this.policies = policies;
    }

    List<Backend> backends() {
        return new ArrayList<>(byKey.values());
    }

    /**
     * Resolves a reference made by a route; records on the route the Service port it uses (a
     * BackendTLSPolicy targeting it lists the route's Gateways as ancestors).
     */
    Resolution resolve(BackendRef ref, RouteInfo route, String where) {
        String routeKind = route.kind();
        String routeNamespace = route.namespace();
        String ns = ref.namespaceOr(routeNamespace);
        String display = ns + "/" + ref.name() + (ref.port() == null ? "" : ":" + ref.port());
        if (!ref.isService()) {
            return invalid("InvalidKind", where + ": backendRef kind " + (ref.group().isEmpty() ? "" : ref.group() + "/")
                    + ref.kind() + " is not supported (only core Service)", display);
        }
        if (!index.grants.allowed(Kinds.GATEWAY_GROUP, routeKind, routeNamespace, "", Kinds.SERVICE, ns, ref.name())) {
            return invalid("RefNotPermitted", where + ": Service " + ns + "/" + ref.name()
                    + " is in another namespace and no ReferenceGrant allows it", display);
        }
        Service svc = index.services.get(ns + "/" + ref.name());
        if (svc == null) {
            return invalid("BackendNotFound", where + ": Service " + ns + "/" + ref.name() + " not found", display);
        }
        if (ref.port() == null) {
            return invalid("BackendNotFound", where + ": port is required for a Service backendRef", display);
        }
        Service.Port port = null;
        for (Service.Port p : svc.specOrEmpty().ports()) {
            if (p.port() != null && p.port().intValue() == ref.port()) {
                port = p;
                break;
            }
        }
        if (port == null) {
            return invalid("BackendNotFound", where + ": Service " + ns + "/" + ref.name() + " has no port " + ref.port(), display);
        }
        String key = ns + "/" + ref.name() + ":" + ref.port();
        route.serviceTargets.add(ns + "/" + ref.name() + "|" + port.name());
        BackendTlsPolicies.Outcome policy = policies.forPort(ns, ref.name(), port.name());
        BackendTls tls = null;
        if (policy != null) {
            if (policy.tls() == null) {
                // "Connections using an invalid CACertificateRef MUST fail, and the client MUST receive
                // an HTTP 5xx error response": the backend answers 500, the route's refs stay resolved.
                String k = "tls-invalid:" + key;
                Backend b = byKey.get(k);
                if (b == null) {
                    b = new Backend(byKey.size(), key, "BackendTLSPolicy " + policy.policy().namespace() + "/"
                            + policy.policy().name() + " is not usable: " + policy.notAcceptedMessage(), AppProtocol.HTTP1, List.of(), null);
                    byKey.put(k, b);
                }
                return new Resolution(b, null, null);
            }
            tls = policy.tls();
            key = key + " tls=" + tls.policy();
        }
        Backend b = byKey.get(key);
        if (b == null) {
            AppProtocol proto = "UDP".equals(port.protocol()) ? AppProtocol.UDP : AppProtocol.fromServicePort(port.appProtocol());
            b = new Backend(byKey.size(), key, null, proto, endpoints(svc, port), tls);
            byKey.put(key, b);
        }
        return new Resolution(b, null, null);
    }

    /** An invalid backend for a reference that cannot be used; requests routed to it get 500. */
    private Resolution invalid(String reason, String message, String display) {
        String key = "invalid:" + reason + ":" + display;
        Backend b = byKey.get(key);
        if (b == null) {
            b = new Backend(byKey.size(), display, reason + ": " + message, AppProtocol.HTTP1, List.of(), null);
            byKey.put(key, b);
        }
        return new Resolution(b, reason, message);
    }

    /** Ready endpoints of a Service port, from its EndpointSlices, deduplicated, in slice order. */
    private List<Endpoint> endpoints(Service svc, Service.Port port) {
        Set<String> seen = new LinkedHashSet<>();
        List<Endpoint> out = new ArrayList<>();
        for (EndpointSlice slice : index.slicesByService.getOrDefault(svc.namespace() + "/" + svc.name(), List.of())) {
            Integer target = slicePort(slice, port);
            if (target == null) {
                continue;
            }
            for (EndpointSlice.Endpoint e : slice.endpoints()) {
                if (!e.conditions().isReady()) {
                    continue;
                }
                for (String addr : e.addresses()) {
                    if (!GatewayPhase.isIp(addr) || !seen.add(addr + "|" + target)) {
                        continue;
                    }
                    out.add(Endpoint.of(addr, target, e.targetRef() == null ? null : e.targetRef().name()));
                }
            }
        }
        return out;
    }

    /** The slice's port number for a Service port: matched by port name (EndpointSlice API). */
    private static Integer slicePort(EndpointSlice slice, Service.Port port) {
        if (slice.ports() == null) {
            // nil ports: the slice covers all ports; use the targetPort when it is a number
            if (port.targetPort() != null && port.targetPort().isInt()) {
                return port.targetPort().intValue();
            }
            return port.port();
        }
        for (EndpointSlice.Port p : slice.ports()) {
            if (p.name().equals(port.name()) && p.port() != null) {
                return p.port();
            }
        }
        return null;
    }
}
