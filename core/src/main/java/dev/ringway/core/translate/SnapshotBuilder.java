package dev.ringway.core.translate;

import dev.ringway.core.model.Kinds;
import dev.ringway.core.route.Backend;
import dev.ringway.core.route.BindAddress;
import dev.ringway.core.route.CompiledMatch;
import dev.ringway.core.route.HostTable;
import dev.ringway.core.route.HttpRouter;
import dev.ringway.core.route.L4Route;
import dev.ringway.core.route.ListenerRef;
import dev.ringway.core.route.ListenerRoutes;
import dev.ringway.core.route.PortBinding;
import dev.ringway.core.route.RuleTable;
import dev.ringway.core.route.Snapshot;
import dev.ringway.core.route.TlsListener;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Phase 4: the routing tables. Listeners that may carry traffic are grouped by bound socket
 * (address, port, transport); each socket becomes one {@link PortBinding}: HTTP listeners share an
 * {@link HttpRouter} (listener chosen by host, then virtual host by effective route hostname, then
 * the {@link RuleTable}); HTTPS and TLS listeners share an SNI table; TCP and UDP listeners forward
 * to their route's backends.
 */
final class SnapshotBuilder {
    private SnapshotBuilder() {
    }

    static Snapshot build(List<GatewayState> gateways, List<Backend> backends) {
        Map<BindAddress, List<ListenerState>> byAddress = new TreeMap<>();
        for (GatewayState gs : gateways) {
            for (ListenerState l : gs.allListeners()) {
                if (!l.valid() || !gs.serving()) {
                    continue;
                }
                for (BindAddress b : l.binds) {
                    byAddress.computeIfAbsent(b, k -> new ArrayList<>()).add(l);
                }
            }
        }
        List<PortBinding> bindings = new ArrayList<>();
        for (Map.Entry<BindAddress, List<ListenerState>> e : byAddress.entrySet()) {
            bindings.add(binding(e.getKey(), e.getValue()));
        }
        return new Snapshot(0, bindings, backends);
    }

    private static PortBinding binding(BindAddress address, List<ListenerState> listeners) {
        List<ListenerRef> refs = listeners.stream().map(l -> l.ref).toList();
        String protocol = listeners.get(0).protocol;
        return switch (protocol) {
            case "HTTP" -> new PortBinding(address, PortBinding.Kind.HTTP, httpRouter(listeners), null, null, refs);
            case "HTTPS", "TLS" -> {
                HostTable.Builder<TlsListener> sni = HostTable.builder();
                List<ListenerState> https = new ArrayList<>();
                for (ListenerState l : listeners) {
                    boolean terminate = "Terminate".equals(l.spec.tls().mode());
                    boolean http = "HTTPS".equals(l.protocol);
                    if (http) {
                        https.add(l);
                    }
                    HostTable<L4Route> passthrough = http ? null : tlsRoutes(l);
                    sni.put(l.hostname(), new TlsListener(l.ref, l.hostname(), terminate, http, l.certificates, l.clientValidation,
                            passthrough));
                }
                yield new PortBinding(address, PortBinding.Kind.TLS, https.isEmpty() ? null : httpRouter(https), sni.build(), null, refs);
            }
            case "TCP" -> new PortBinding(address, PortBinding.Kind.TCP, null, null, firstL4(listeners.get(0)), refs);
            case "UDP" -> new PortBinding(address, PortBinding.Kind.UDP, null, null, firstL4(listeners.get(0)), refs);
            default -> throw new IllegalStateException("unexpected protocol " + protocol);
        };
    }

    /** TCPRoute/UDPRoute on a listener: the first attached route in precedence order carries the traffic. */
    private static L4Route firstL4(ListenerState l) {
        for (ListenerState.Attached a : l.attached) {
            if (a.route().l4 != null) {
                return a.route().l4;
            }
        }
        return null;
    }

    /** TLSRoutes on a passthrough (or terminating TLS) listener, by effective hostname. */
    private static HostTable<L4Route> tlsRoutes(ListenerState l) {
        HostTable.Builder<L4Route> b = HostTable.builder();
        for (ListenerState.Attached a : l.attached) {
            if (!Kinds.TLS_ROUTE.equals(a.route().kind()) || a.route().l4 == null) {
                continue;
            }
            for (String h : a.hostnames()) {
                if (b.get(h) == null) { // oldest route wins a hostname
                    b.put(h, a.route().l4);
                }
            }
        }
        return b.build();
    }

    private static HttpRouter httpRouter(List<ListenerState> listeners) {
        HostTable.Builder<ListenerRoutes> byHost = HostTable.builder();
        List<ListenerRoutes> all = new ArrayList<>();
        for (ListenerState l : listeners) {
            Map<String, List<CompiledMatch>> vhosts = new LinkedHashMap<>();
            for (ListenerState.Attached a : l.attached) {
                if (!HttpRouteCompiler.isHttpLike(a.route().kind())) {
                    continue;
                }
                for (String h : a.hostnames()) {
                    vhosts.computeIfAbsent(h, k -> new ArrayList<>()).addAll(a.route().matches);
                }
            }
            HostTable.Builder<RuleTable> tables = HostTable.builder();
            Map<String, RuleTable> built = new HashMap<>();
            vhosts.forEach((h, ms) -> tables.put(h, built.computeIfAbsent(h, k -> RuleTable.build(ms))));
            ListenerRoutes lr = new ListenerRoutes(l.ref, l.hostname(), tables.build(), l.gateway.backendClientCertificate);
            byHost.put(l.hostname(), lr);
            all.add(lr);
        }
        return new HttpRouter(byHost.build(), all);
    }

    /**
     * Checks a snapshot before it may be published: one binding per socket, every TLS-terminating
     * listener with a certificate, backend ids dense. A violation is a translator bug, never user
     * error; the caller keeps the last good snapshot.
     */
    static List<String> validate(Snapshot s) {
        List<String> errors = new ArrayList<>();
        java.util.Set<BindAddress> seen = new java.util.HashSet<>();
        for (PortBinding b : s.bindings()) {
            if (!seen.add(b.address())) {
                errors.add("duplicate binding " + b.address());
            }
            switch (b.kind()) {
                case HTTP -> {
                    if (b.http() == null) {
                        errors.add("HTTP binding " + b.address() + " has no router");
                    }
                }
                case TLS -> {
                    if (b.tls() == null || b.tls().isEmpty()) {
                        errors.add("TLS binding " + b.address() + " has no listener");
                    } else {
                        b.tls().forEach((h, t) -> {
                            if (t.terminate() && t.certificates().isEmpty()) {
                                errors.add("TLS listener " + t.listener() + " terminates without a certificate");
                            }
                        });
                    }
                }
                case TCP, UDP -> {
                }
            }
        }
        for (int i = 0; i < s.backends().size(); i++) {
            if (s.backends().get(i).id() != i) {
                errors.add("backend ids are not dense at " + i);
            }
        }
        return errors;
    }
}
