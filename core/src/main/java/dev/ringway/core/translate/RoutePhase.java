package dev.ringway.core.translate;

import dev.ringway.core.model.BackendRef;
import dev.ringway.core.model.GrpcRoute;
import dev.ringway.core.model.HttpRoute;
import dev.ringway.core.model.Kinds;
import dev.ringway.core.model.Listener;
import dev.ringway.core.model.ListenerSet;
import dev.ringway.core.model.ParentReference;
import dev.ringway.core.model.Resource;
import dev.ringway.core.model.TcpRoute;
import dev.ringway.core.model.TlsRoute;
import dev.ringway.core.model.UdpRoute;
import dev.ringway.core.route.BackendSet;
import dev.ringway.core.route.L4Route;
import dev.ringway.core.route.WeightedBackend;

import java.util.ArrayList;
import java.util.List;

/**
 * Phase 3: every route of every kind is compiled once, then attached to the listeners its
 * parentRefs select. Produces {@link RouteInfo}s with per-parent outcomes and fills
 * {@link ListenerState#attached}.
 */
final class RoutePhase {
    private final Index index;
    private final GatewayPhase gateways;
    private final HttpRouteCompiler compiler;
    private final BackendResolver backends;
    final List<RouteInfo> routes = new ArrayList<>();

    RoutePhase(Index index, GatewayPhase gateways, BackendResolver backends) {
        this.index = index;
        this.gateways = gateways;
        this.backends = backends;
        this.compiler = new HttpRouteCompiler(backends);
    }

    void run() {
        for (HttpRoute r : index.httpRoutes) {
            RouteInfo info = new RouteInfo(r, r.spec() == null ? List.of() : r.spec().hostnames(),
                    r.spec() == null ? List.of() : r.spec().parentRefs());
            if (touchesUs(info) && validHostnames(info)) {
                compiler.compile(info, r);
            }
            attach(info);
        }
        for (GrpcRoute r : index.grpcRoutes) {
            RouteInfo info = new RouteInfo(r, r.spec() == null ? List.of() : r.spec().hostnames(),
                    r.spec() == null ? List.of() : r.spec().parentRefs());
            if (touchesUs(info) && validHostnames(info)) {
                compiler.compile(info, r);
            }
            attach(info);
        }
        for (TlsRoute r : index.tlsRoutes) {
            RouteInfo info = new RouteInfo(r, r.spec() == null ? List.of() : r.spec().hostnames(),
                    r.spec() == null ? List.of() : r.spec().parentRefs());
            if (touchesUs(info) && validHostnames(info)) {
                compileL4(info, r.spec() == null || r.spec().rules().isEmpty() ? List.of() : r.spec().rules().get(0).backendRefs());
            }
            attach(info);
        }
        for (TcpRoute r : index.tcpRoutes) {
            RouteInfo info = new RouteInfo(r, List.of(), r.spec() == null ? List.of() : r.spec().parentRefs());
            if (touchesUs(info)) {
                compileL4(info, r.spec() == null || r.spec().rules().isEmpty() ? List.of() : r.spec().rules().get(0).backendRefs());
            }
            attach(info);
        }
        for (UdpRoute r : index.udpRoutes) {
            RouteInfo info = new RouteInfo(r, List.of(), r.spec() == null ? List.of() : r.spec().parentRefs());
            if (touchesUs(info)) {
                compileL4(info, r.spec() == null || r.spec().rules().isEmpty() ? List.of() : r.spec().rules().get(0).backendRefs());
            }
            attach(info);
        }
    }

    /** Does any parentRef name one of our Gateways or their ListenerSets? (Others' routes are not ours.) */
    private boolean touchesUs(RouteInfo info) {
        for (ParentReference pr : info.parentRefs) {
            if (parentGateway(info, pr) != null) {
                return true;
            }
        }
        return false;
    }

    private boolean validHostnames(RouteInfo info) {
        for (int i = 0; i < info.hostnames.size(); i++) {
            String err = Hostnames.validate(info.hostnames.get(i));
            if (err != null) {
                info.invalidReason = "UnsupportedValue";
                info.invalidMessage = "spec.hostnames[" + i + "]: " + err;
                return false;
            }
        }
        return true;
    }

    private void compileL4(RouteInfo info, List<BackendRef> refs) {
        List<WeightedBackend> wbs = new ArrayList<>();
        for (int b = 0; b < refs.size(); b++) {
            BackendResolver.Resolution r = backends.resolve(refs.get(b), info, "spec.rules[0].backendRefs[" + b + "]");
            if (!r.ok()) {
                info.unresolved(r.reason(), r.message());
            }
            wbs.add(new WeightedBackend(r.backend(), refs.get(b).weight(), List.of()));
        }
        info.l4 = new L4Route(info.ref, new BackendSet(wbs));
    }

    /** The Gateway a parentRef selects, when it is one of ours (directly or via a ListenerSet). */
    private GatewayState parentGateway(RouteInfo info, ParentReference pr) {
        if (!Kinds.GATEWAY_GROUP.equals(pr.group())) {
            return null;
        }
        String ns = pr.namespaceOr(info.namespace());
        if (Kinds.GATEWAY.equals(pr.kind())) {
            return gateways.byKey.get(ns + "/" + pr.name());
        }
        if (Kinds.LISTENER_SET.equals(pr.kind())) {
            ListenerSet set = listenerSet(ns, pr.name());
            return set == null ? null : gateways.listenerSets.get(set).gateway();
        }
        return null;
    }

    private ListenerSet listenerSet(String ns, String name) {
        for (ListenerSet s : gateways.listenerSets.keySet()) {
            if (s.namespace().equals(ns) && s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /**
     * Route attachment (CommonRouteSpec.parentRefs and ParentReference godoc): the parentRef selects
     * the Gateway's listeners (or a ListenerSet's), narrowed by {@code sectionName} (listener name)
     * and {@code port}; none left is {@code NoMatchingParent}. Each selected listener must allow the
     * route's kind and namespace ({@code allowedRoutes}), else {@code NotAllowedByListeners}; for
     * hostname-aware kinds the route and listener hostnames must intersect, else
     * {@code NoMatchingListenerHostname}. "If 1 of 2 Gateway listeners accept attachment from the
     * referencing Route, the Route MUST be considered successfully attached."
     */
    private void attach(RouteInfo info) {
        for (ParentReference pr : info.parentRefs) {
            GatewayState gs = parentGateway(info, pr);
            if (gs == null) {
                continue;
            }
            List<ListenerState> candidates;
            String parentDesc;
            if (Kinds.LISTENER_SET.equals(pr.kind())) {
                ListenerSet set = listenerSet(pr.namespaceOr(info.namespace()), pr.name());
                GatewayPhase.ListenerSetOutcome o = gateways.listenerSets.get(set);
                candidates = o.listeners();
                parentDesc = "ListenerSet " + set.namespace() + "/" + set.name();
                if (o.notAllowedReason() != null) {
                    info.parents.add(new RouteInfo.ParentOutcome(pr, false, "NotAllowedByListeners",
                            parentDesc + " is not attached to its Gateway: " + o.notAllowedMessage(), List.of()));
                    continue;
                }
            } else {
                candidates = gs.listeners;
                parentDesc = "Gateway " + gs.nsName();
            }
            List<ListenerState> selected = new ArrayList<>();
            for (ListenerState l : candidates) {
                if (pr.sectionName() != null && !pr.sectionName().isEmpty() && !pr.sectionName().equals(l.spec.name())) {
                    continue;
                }
                if (pr.port() != null && pr.port() != l.port()) {
                    continue;
                }
                selected.add(l);
            }
            if (selected.isEmpty()) {
                String what = (pr.sectionName() != null ? "sectionName " + pr.sectionName() : "")
                        + (pr.sectionName() != null && pr.port() != null ? " and " : "")
                        + (pr.port() != null ? "port " + pr.port() : "");
                info.parents.add(new RouteInfo.ParentOutcome(pr, false, "NoMatchingParent",
                        parentDesc + " has no listener matching " + (what.isEmpty() ? "the parentRef" : what), List.of()));
                continue;
            }
            if (info.invalidReason != null) {
                info.parents.add(new RouteInfo.ParentOutcome(pr, false, info.invalidReason, info.invalidMessage, List.of()));
                continue;
            }
            List<ListenerState> attachedTo = new ArrayList<>();
            boolean hostnameMiss = false;
            for (ListenerState l : selected) {
                if (!l.allowsKind(Kinds.GATEWAY_GROUP, info.kind()) || !namespaceAllowed(l, info.namespace())) {
                    continue;
                }
                List<String> effective = hostnameAware(info.kind())
                        ? Hostnames.intersect(l.hostname(), info.hostnames)
                        : java.util.Collections.singletonList(null);
                if (effective.isEmpty()) {
                    hostnameMiss = true;
                    continue;
                }
                attachedTo.add(l);
                l.attached.add(new ListenerState.Attached(info, effective));
            }
            if (!attachedTo.isEmpty()) {
                info.parents.add(new RouteInfo.ParentOutcome(pr, true, "Accepted", "Route is accepted", attachedTo));
            } else if (hostnameMiss) {
                info.parents.add(new RouteInfo.ParentOutcome(pr, false, "NoMatchingListenerHostname",
                        "no hostname of the route matches a listener hostname of " + parentDesc, List.of()));
            } else {
                info.parents.add(new RouteInfo.ParentOutcome(pr, false, "NotAllowedByListeners",
                        "no listener of " + parentDesc + " allows " + info.kind() + " from namespace " + info.namespace(), List.of()));
            }
        }
        routes.add(info);
    }

    private static boolean hostnameAware(String kind) {
        return Kinds.HTTP_ROUTE.equals(kind) || Kinds.GRPC_ROUTE.equals(kind) || Kinds.TLS_ROUTE.equals(kind);
    }

    /**
     * {@code allowedRoutes.namespaces} (RouteNamespaces godoc): {@code Same} (the default) only the
     * listener owner's namespace, {@code All} every namespace, {@code Selector} namespaces whose
     * labels match the selector.
     */
    private boolean namespaceAllowed(ListenerState l, String routeNamespace) {
        Listener.RouteNamespaces rn = l.spec.allowedRoutes().namespaces();
        String ownerNs = l.owner == null ? l.gateway.namespace() : l.owner.namespace();
        return switch (rn.from()) {
            case "All" -> true;
            case "Selector" -> rn.selector() != null && rn.selector().matches(index.namespaceLabels(routeNamespace));
            case "Same" -> ownerNs.equals(routeNamespace);
            default -> false;
        };
    }

    /** Routes keyed for statuses; resources whose parentRefs touch none of ours have no entry. */
    List<RouteInfo> withParents() {
        return routes.stream().filter(r -> !r.parents.isEmpty()).toList();
    }

    static Resource resource(RouteInfo r) {
        return r.resource;
    }
}
