package dev.ringway.io;

import dev.ringway.core.route.Backend;
import dev.ringway.core.route.BindAddress;
import dev.ringway.core.route.CertificateBundle;
import dev.ringway.core.route.HostTable;
import dev.ringway.core.route.ListenerRoutes;
import dev.ringway.core.route.ListenerRef;
import dev.ringway.core.route.PortBinding;
import dev.ringway.core.route.Snapshot;
import dev.ringway.core.route.TlsListener;
import io.netty.handler.ssl.SslContext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the event loops read from the {@link SnapshotHolder}: the snapshot plus what the data plane
 * derives from it once per apply (per-address lookup, TLS contexts per listener). Immutable after
 * construction; read once per connection and once per HTTP request.
 */
final class ServingState {
    static final ServingState EMPTY = new ServingState(Snapshot.EMPTY, Map.of(), List.of(), new UpstreamTarget[0],
            new IdentityHashMap<>());

    final Snapshot snapshot;
    private final Map<BindAddress, Binding> bindings;
    /** Per-address problems found while deriving (e.g. a certificate that does not parse). */
    final List<String> problems;
    /** How to reach each backend of the snapshot, by {@link Backend#id()} (no client certificate). */
    private final UpstreamTarget[] targets;
    /**
     * The same for listeners that present a client certificate to TLS backends, by that bundle
     * (identity: each listener's own instance, looked up per request without hashing the PEM).
     */
    private final IdentityHashMap<CertificateBundle, UpstreamTarget[]> withClientCert;

    private ServingState(Snapshot snapshot, Map<BindAddress, Binding> bindings, List<String> problems,
                         UpstreamTarget[] targets, IdentityHashMap<CertificateBundle, UpstreamTarget[]> withClientCert) {
        this.snapshot = snapshot;
        this.bindings = bindings;
        this.problems = problems;
        this.targets = targets;
        this.withClientCert = withClientCert;
    }

    Binding binding(BindAddress address) {
        return bindings.get(address);
    }

    /**
     * How to reach {@code b}'s endpoints (protocol, TLS) for a request of a listener presenting
     * {@code clientCert} to TLS backends (null: none).
     */
    UpstreamTarget target(Backend b, CertificateBundle clientCert) {
        int id = b.id();
        List<Backend> all = snapshot.backends();
        if (id >= 0 && id < targets.length && all.get(id) == b) {
            if (clientCert != null && b.tls() != null) {
                UpstreamTarget[] ts = withClientCert.get(clientCert);
                if (ts != null) {
                    return ts[id];
                }
            }
            return targets[id];
        }
        // A backend that is not in the snapshot's list (not expected): derive it on the spot.
        return b.tls() == null ? UpstreamTarget.cleartext(b) : UpstreamTarget.unusable("backend " + b.name() + " is not in the snapshot");
    }

    /** One bound address as served: the core binding and what io derived for it. */
    static final class Binding {
        final PortBinding binding;
        /** Metrics label for requests that matched no listener of this port. */
        final String portLabel;
        final TlsPort tls;

        Binding(PortBinding binding, TlsPort tls) {
            this.binding = binding;
            this.portLabel = binding.listeners().isEmpty() ? binding.address().toString() : binding.listeners().getFirst().label();
            this.tls = tls;
        }
    }

    /** The TLS listeners of a port: SNI selection and the contexts of terminating listeners. */
    static final class TlsPort {
        final HostTable<TlsListener> table;
        /** Used without SNI (or with an SNI nothing matches): the catch-all listener, else the first. */
        final TlsListener fallback;
        private final IdentityHashMap<TlsListener, SslContext[]> contexts;
        private final IdentityHashMap<TlsListener, CertificateBundle[]> bundles;

        TlsPort(HostTable<TlsListener> table, TlsListener fallback, IdentityHashMap<TlsListener, SslContext[]> contexts,
                IdentityHashMap<TlsListener, CertificateBundle[]> bundles) {
            this.table = table;
            this.fallback = fallback;
            this.contexts = contexts;
            this.bundles = bundles;
        }

        /** The listener for a ClientHello's server name (lower-case, or null when absent). */
        TlsListener select(String sni) {
            TlsListener l = sni == null ? null : table.lookup(sni);
            return l != null ? l : fallback;
        }

        /** The context to terminate with: the certificate whose names cover the SNI, else the first. */
        SslContext context(TlsListener l, String sni) {
            SslContext[] cs = contexts.get(l);
            if (cs == null || cs.length == 0) {
                return null;
            }
            if (cs.length > 1 && sni != null) {
                CertificateBundle[] bs = bundles.get(l);
                for (int i = 0; i < bs.length; i++) {
                    if (covers(bs[i].dnsNames(), sni)) {
                        return cs[i];
                    }
                }
            }
            return cs[0];
        }

        private static boolean covers(List<String> names, String host) {
            for (String n : names) {
                String ln = n.toLowerCase(Locale.ROOT);
                if (ln.equals(host)) {
                    return true;
                }
                if (ln.startsWith("*.")) {
                    int dot = host.indexOf('.');
                    if (dot > 0 && host.substring(dot).equals(ln.substring(1))) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /**
     * Derives the serving state of a snapshot; TLS contexts come from (and refresh) {@code tls}
     * (listeners) and {@code backendTls} (backends); either may be null in tests.
     */
    static ServingState of(Snapshot snapshot, TlsContexts tls, BackendTlsContexts backendTls) {
        Map<BindAddress, Binding> map = new HashMap<>();
        List<String> problems = new ArrayList<>();
        Set<Object> used = new java.util.HashSet<>();
        for (PortBinding pb : snapshot.bindings()) {
            TlsPort port = null;
            if (pb.kind() == PortBinding.Kind.TLS && pb.tls() != null) {
                port = tlsPort(pb, tls, used, problems);
            }
            map.put(pb.address(), new Binding(pb, port));
        }
        if (tls != null) {
            tls.retain(used);
        }
        Set<Object> usedClient = new java.util.HashSet<>();
        UpstreamTarget[] targets = targets(snapshot, null, backendTls, usedClient, problems);
        IdentityHashMap<CertificateBundle, UpstreamTarget[]> withClientCert = new IdentityHashMap<>();
        for (PortBinding pb : snapshot.bindings()) {
            if (pb.http() == null) {
                continue;
            }
            for (ListenerRoutes lr : pb.http().listeners()) {
                CertificateBundle cc = lr.backendClientCertificate();
                if (cc != null && !withClientCert.containsKey(cc)) {
                    withClientCert.put(cc, targets(snapshot, cc, backendTls, usedClient, problems));
                }
            }
        }
        if (backendTls != null) {
            backendTls.retain(usedClient);
        }
        return new ServingState(snapshot, Map.copyOf(map), List.copyOf(problems), targets, withClientCert);
    }

    private static UpstreamTarget[] targets(Snapshot snapshot, CertificateBundle clientCert, BackendTlsContexts backendTls,
                                            Set<Object> used, List<String> problems) {
        List<Backend> backends = snapshot.backends();
        UpstreamTarget[] targets = new UpstreamTarget[backends.size()];
        for (int i = 0; i < targets.length; i++) {
            Backend b = backends.get(i);
            if (b.tls() == null) {
                targets[i] = UpstreamTarget.cleartext(b);
            } else if (backendTls == null) {
                targets[i] = UpstreamTarget.unusable("no TLS support");
            } else {
                try {
                    targets[i] = backendTls.target(b, clientCert, used);
                } catch (Exception e) {
                    String why = "backend " + b.name() + " TLS (" + b.tls().policy() + ")"
                            + (clientCert == null ? "" : " with client certificate " + clientCert.source()) + ": " + e.getMessage();
                    problems.add(why);
                    targets[i] = UpstreamTarget.unusable(why);
                }
            }
        }
        return targets;
    }

    private static TlsPort tlsPort(PortBinding pb, TlsContexts tls, Set<Object> used, List<String> problems) {
        IdentityHashMap<TlsListener, SslContext[]> contexts = new IdentityHashMap<>();
        IdentityHashMap<TlsListener, CertificateBundle[]> bundles = new IdentityHashMap<>();
        List<TlsListener> all = new ArrayList<>();
        pb.tls().forEach((pattern, l) -> all.add(l));
        for (TlsListener l : all) {
            if (!l.terminate() || tls == null) {
                continue;
            }
            List<SslContext> cs = new ArrayList<>();
            List<CertificateBundle> bs = new ArrayList<>();
            for (CertificateBundle b : l.certificates()) {
                try {
                    cs.add(tls.context(b, l.clientValidation(), l.http(), used));
                    bs.add(b);
                } catch (Exception e) {
                    problems.add(pb.address() + " listener " + l.listener() + ": certificate " + b.source() + ": " + e);
                }
            }
            contexts.put(l, cs.toArray(SslContext[]::new));
            bundles.put(l, bs.toArray(CertificateBundle[]::new));
        }
        TlsListener fallback = pb.tls().lookup(null);
        if (fallback == null) {
            // The first listener of the port in listener order.
            for (ListenerRef ref : pb.listeners()) {
                for (TlsListener l : all) {
                    if (l.listener().equals(ref)) {
                        fallback = l;
                        break;
                    }
                }
                if (fallback != null) {
                    break;
                }
            }
            if (fallback == null && !all.isEmpty()) {
                fallback = all.getFirst();
            }
        }
        return new TlsPort(pb.tls(), fallback, contexts, bundles);
    }
}
