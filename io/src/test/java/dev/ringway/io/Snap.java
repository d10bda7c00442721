package dev.ringway.io;

import dev.ringway.core.route.AppProtocol;
import dev.ringway.core.route.Backend;
import dev.ringway.core.route.BackendSet;
import dev.ringway.core.route.BindAddress;
import dev.ringway.core.route.CertificateBundle;
import dev.ringway.core.route.CompiledMatch;
import dev.ringway.core.route.Endpoint;
import dev.ringway.core.route.HeaderOps;
import dev.ringway.core.route.HostTable;
import dev.ringway.core.route.HttpFilter;
import dev.ringway.core.route.HttpRouter;
import dev.ringway.core.route.HttpRule;
import dev.ringway.core.route.L4Route;
import dev.ringway.core.route.ListenerRef;
import dev.ringway.core.route.ListenerRoutes;
import dev.ringway.core.route.PortBinding;
import dev.ringway.core.route.RouteRef;
import dev.ringway.core.route.RuleTable;
import dev.ringway.core.route.Snapshot;
import dev.ringway.core.route.TlsListener;
import dev.ringway.core.route.WeightedBackend;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small fluent builder of {@link Snapshot}s for tests (constructs the core.route records directly). */
final class Snap {
    private final List<Backend> backends = new ArrayList<>();
    private final List<PortBuilder> ports = new ArrayList<>();
    private long version = 1;

    static Snap create() {
        return new Snap();
    }

    Snap version(long v) {
        this.version = v;
        return this;
    }

    Backend backend(String name, int... ports) {
        List<Endpoint> eps = new ArrayList<>();
        for (int p : ports) {
            eps.add(Endpoint.of("127.0.0.1", p, name + "-pod"));
        }
        Backend b = new Backend(backends.size(), name, null, AppProtocol.HTTP1, eps, null);
        backends.add(b);
        return b;
    }

    /** A backend with a protocol and TLS settings (null: cleartext). */
    Backend backend(String name, AppProtocol protocol, dev.ringway.core.route.BackendTls tls, int... ports) {
        List<Endpoint> eps = new ArrayList<>();
        for (int p : ports) {
            eps.add(Endpoint.of("127.0.0.1", p, name + "-pod"));
        }
        Backend b = new Backend(backends.size(), name, null, protocol, eps, tls);
        backends.add(b);
        return b;
    }

    Backend invalidBackend(String name) {
        Backend b = new Backend(backends.size(), name, "BackendNotFound", AppProtocol.HTTP1, List.of(), null);
        backends.add(b);
        return b;
    }

    PortBuilder http(int port) {
        PortBuilder p = new PortBuilder(this, port, PortBinding.Kind.HTTP, BindAddress.Transport.TCP);
        ports.add(p);
        return p;
    }

    PortBuilder https(int port) {
        PortBuilder p = new PortBuilder(this, port, PortBinding.Kind.TLS, BindAddress.Transport.TCP);
        ports.add(p);
        return p;
    }

    PortBuilder tcp(int port, Backend b) {
        PortBuilder p = new PortBuilder(this, port, PortBinding.Kind.TCP, BindAddress.Transport.TCP);
        p.l4 = new L4Route(new RouteRef("TCPRoute", "ns", "tcp"), new BackendSet(List.of(new WeightedBackend(b, 1, List.of()))));
        ports.add(p);
        return p;
    }

    PortBuilder udp(int port, Backend b) {
        PortBuilder p = new PortBuilder(this, port, PortBinding.Kind.UDP, BindAddress.Transport.UDP);
        p.l4 = new L4Route(new RouteRef("UDPRoute", "ns", "udp"), new BackendSet(List.of(new WeightedBackend(b, 1, List.of()))));
        ports.add(p);
        return p;
    }

    Snapshot build() {
        List<PortBinding> bs = new ArrayList<>();
        for (PortBuilder p : ports) {
            bs.add(p.build());
        }
        bs.sort((a, b) -> a.address().compareTo(b.address()));
        return new Snapshot(version, bs, backends);
    }

    static BindAddress addr(int port) {
        return new BindAddress("127.0.0.1", port, BindAddress.Transport.TCP);
    }

    static final class PortBuilder {
        final Snap snap;
        final int port;
        final PortBinding.Kind kind;
        final BindAddress.Transport transport;
        final List<ListenerBuilder> listeners = new ArrayList<>();
        final List<Object[]> passthrough = new ArrayList<>();
        L4Route l4;

        /** A TLS passthrough listener: ClientHellos for {@code hostname} go to {@code b} untouched. */
        PortBuilder passthrough(String name, String hostname, Backend b) {
            passthrough.add(new Object[]{name, hostname, b});
            return this;
        }

        PortBuilder(Snap snap, int port, PortBinding.Kind kind, BindAddress.Transport transport) {
            this.snap = snap;
            this.port = port;
            this.kind = kind;
            this.transport = transport;
        }

        /** A listener; {@code hostname} null = catch-all. */
        ListenerBuilder listener(String name, String hostname) {
            ListenerBuilder l = new ListenerBuilder(this, name, hostname);
            listeners.add(l);
            return l;
        }

        /** Shortcut: the catch-all listener "gw/http" and a rule builder on it. */
        RuleBuilder rule() {
            ListenerBuilder l = listeners.isEmpty() ? listener("http", null) : listeners.getFirst();
            return l.rule();
        }

        Snap done() {
            return snap;
        }

        PortBinding build() {
            BindAddress a = new BindAddress("127.0.0.1", port, transport);
            List<ListenerRef> refs = new ArrayList<>();
            if (kind == PortBinding.Kind.TCP || kind == PortBinding.Kind.UDP) {
                return new PortBinding(a, kind, null, null, l4, List.of(ListenerRef.of("ns", "gw", null, "l4")));
            }
            HostTable.Builder<ListenerRoutes> lt = HostTable.builder();
            HostTable.Builder<TlsListener> tt = HostTable.builder();
            List<ListenerRoutes> all = new ArrayList<>();
            for (ListenerBuilder l : listeners) {
                ListenerRef ref = ListenerRef.of("ns", "gw", null, l.name);
                refs.add(ref);
                HostTable.Builder<RuleTable> vh = HostTable.builder();
                for (Map.Entry<String, List<CompiledMatch>> e : l.matchesByHost().entrySet()) {
                    vh.put(e.getKey().isEmpty() ? null : e.getKey(), RuleTable.build(e.getValue()));
                }
                ListenerRoutes lr = new ListenerRoutes(ref, l.hostname, vh.build(), l.backendClientCertificate);
                lt.put(l.hostname, lr);
                all.add(lr);
                if (kind == PortBinding.Kind.TLS) {
                    tt.put(l.hostname, new TlsListener(ref, l.hostname, true, true, l.certs, l.clientValidation, null));
                }
            }
            for (Object[] p : passthrough) {
                ListenerRef ref = ListenerRef.of("ns", "gw", null, (String) p[0]);
                refs.add(ref);
                L4Route r = new L4Route(new RouteRef("TLSRoute", "ns", (String) p[0]),
                        new BackendSet(List.of(new WeightedBackend((Backend) p[2], 1, List.of()))));
                HostTable<L4Route> pt = HostTable.<L4Route>builder().put((String) p[1], r).build();
                tt.put((String) p[1], new TlsListener(ref, (String) p[1], false, false, List.of(), null, pt));
            }
            return new PortBinding(a, kind, new HttpRouter(lt.build(), all),
                    kind == PortBinding.Kind.TLS ? tt.build() : null, null, refs);
        }
    }

    static final class ListenerBuilder {
        final PortBuilder port;
        final String name;
        final String hostname;
        final List<RuleBuilder> rules = new ArrayList<>();
        final List<CertificateBundle> certs = new ArrayList<>();

        ListenerBuilder(PortBuilder port, String name, String hostname) {
            this.port = port;
            this.name = name;
            this.hostname = hostname;
        }

        ListenerBuilder cert(CertificateBundle b) {
            certs.add(b);
            return this;
        }

        TlsListener.ClientValidation clientValidation;
        CertificateBundle backendClientCertificate;

        /** The Gateway's client certificate toward TLS backends ({@code spec.tls.backend}). */
        ListenerBuilder backendClientCertificate(CertificateBundle b) {
            backendClientCertificate = b;
            return this;
        }

        /** Frontend client-certificate validation ({@code spec.tls.frontend}). */
        ListenerBuilder clientValidation(byte[] caPem, boolean insecureFallback) {
            clientValidation = new TlsListener.ClientValidation(caPem, insecureFallback);
            return this;
        }

        RuleBuilder rule() {
            RuleBuilder r = new RuleBuilder(this, rules.size());
            rules.add(r);
            return r;
        }

        PortBuilder done() {
            return port;
        }

        Map<String, List<CompiledMatch>> matchesByHost() {
            Map<String, List<CompiledMatch>> out = new LinkedHashMap<>();
            for (RuleBuilder r : rules) {
                HttpRule rule = r.buildRule();
                int i = 0;
                for (Object[] m : r.matches) {
                    CompiledMatch cm = new CompiledMatch(rule, (CompiledMatch.PathType) m[0], (String) m[1], null,
                            (String) m[2], List.of(), List.of(), Instant.EPOCH.plusSeconds(r.index), "ns/route" + r.index, i++);
                    out.computeIfAbsent(r.host == null ? "" : r.host, k -> new ArrayList<>()).add(cm);
                }
            }
            return out;
        }
    }

    static final class RuleBuilder {
        final ListenerBuilder listener;
        final int index;
        final List<Object[]> matches = new ArrayList<>();
        final List<HttpFilter> filters = new ArrayList<>();
        final List<WeightedBackend> backends = new ArrayList<>();
        String host;
        Duration timeout;

        RuleBuilder(ListenerBuilder listener, int index) {
            this.listener = listener;
            this.index = index;
        }

        RuleBuilder prefix(String p) {
            matches.add(new Object[]{CompiledMatch.PathType.PREFIX, p, null});
            return this;
        }

        RuleBuilder exact(String p) {
            matches.add(new Object[]{CompiledMatch.PathType.EXACT, p, null});
            return this;
        }

        RuleBuilder host(String h) {
            this.host = h;
            return this;
        }

        RuleBuilder filter(HttpFilter f) {
            filters.add(f);
            return this;
        }

        RuleBuilder timeout(Duration d) {
            this.timeout = d;
            return this;
        }

        Duration backendTimeout;
        HttpRule.Retry retry;

        RuleBuilder backendTimeout(Duration d) {
            this.backendTimeout = d;
            return this;
        }

        RuleBuilder retry(List<Integer> codes, int attempts, Duration backoff) {
            this.retry = new HttpRule.Retry(codes, attempts, backoff);
            return this;
        }

        RuleBuilder to(Backend b) {
            return to(b, 1);
        }

        RuleBuilder to(Backend b, int weight, HttpFilter... filters) {
            backends.add(new WeightedBackend(b, weight, List.of(filters)));
            return this;
        }

        ListenerBuilder done() {
            return listener;
        }

        /** Ends this rule and returns the port (for chaining another rule on the same listener). */
        PortBuilder end() {
            return listener.port;
        }

        HttpRule buildRule() {
            if (matches.isEmpty()) {
                prefix("/");
            }
            return new HttpRule(new RouteRef("HTTPRoute", "ns", "route" + index), index, null, filters,
                    new BackendSet(backends), timeout, backendTimeout, retry, "ns/route" + index + "/" + index);
        }
    }

    static HeaderOps ops(List<String[]> set, List<String[]> add, List<String> remove) {
        return new HeaderOps(set.stream().map(a -> HeaderOps.Header.of(a[0], a[1])).toList(),
                add.stream().map(a -> HeaderOps.Header.of(a[0], a[1])).toList(),
                remove.stream().map(s -> s.toLowerCase(java.util.Locale.ROOT)).toList());
    }
}
