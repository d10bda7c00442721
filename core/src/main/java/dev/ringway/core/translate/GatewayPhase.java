package dev.ringway.core.translate;

import dev.ringway.core.model.Gateway;
import dev.ringway.core.model.GatewayClass;
import dev.ringway.core.model.Kinds;
import dev.ringway.core.model.LabelSelector;
import dev.ringway.core.model.Listener;
import dev.ringway.core.model.ListenerSet;
import dev.ringway.core.model.ParentReference;
import dev.ringway.core.model.Secret;
import dev.ringway.core.model.SecretObjectReference;
import dev.ringway.core.route.BindAddress;
import dev.ringway.core.route.CertificateBundle;
import dev.ringway.core.status.Condition;
import dev.ringway.core.status.ObjectStatus;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Phase 2: Gateways of Ringway's GatewayClasses, their ListenerSets and listeners: validation,
 * certificates, addresses, conflicts and bind state. Produces {@link GatewayState}s for the route
 * phase and the Gateway/ListenerSet statuses.
 */
final class GatewayPhase {
    private final Index index;
    private final TranslatorOptions options;
    private final BindFeedback feedback;
    final List<GatewayState> gateways = new ArrayList<>();
    final Map<String, GatewayState> byKey = new HashMap<>();
    /** ListenerSets whose parent is one of our Gateways, with their status. */
    final Map<ListenerSet, ListenerSetOutcome> listenerSets = new LinkedHashMap<>();
    final Map<String, String> assignedAddresses = new TreeMap<>();

    record ListenerSetOutcome(GatewayState gateway, String notAllowedReason, String notAllowedMessage,
                              List<ListenerState> listeners) {
    }

    GatewayPhase(Index index, TranslatorOptions options, BindFeedback feedback) {
        this.index = index;
        this.options = options;
        this.feedback = feedback;
    }

    void run(Set<String> ourClasses) {
        int order = 0;
        for (Gateway g : index.gateways) {
            if (g.spec() == null || !ourClasses.contains(g.spec().gatewayClassName())) {
                continue;
            }
            GatewayState gs = new GatewayState(g, order++);
            gateways.add(gs);
            byKey.put(gs.nsName(), gs);
            validateGateway(gs);
            int i = 0;
            for (Listener l : g.spec().listeners()) {
                ListenerState ls = new ListenerState(l, gs, null, 0, i++, gs.generation);
                validateListener(ls, Kinds.GATEWAY, g.namespace());
                gs.listeners.add(ls);
            }
        }
        attachListenerSets();
        for (GatewayState gs : gateways) {
            backendClientCertificate(gs);
            frontendValidation(gs);
        }
        assignAddresses();
        for (GatewayState gs : gateways) {
            for (ListenerState l : gs.allListeners()) {
                for (String ip : gs.ips) {
                    l.binds.add(new BindAddress(ip, l.port(), "UDP".equals(l.protocol) ? BindAddress.Transport.UDP
                            : BindAddress.Transport.TCP));
                }
            }
        }
        ListenerConflicts.resolve(gateways);
        applyBindFeedback();
    }

    /**
     * Gateway-level validation: {@code spec.infrastructure.parametersRef} (Ringway defines no
     * parameters kind, so any reference is {@code Accepted=False, InvalidParameters}, as GatewayClass
     * and Gateway godoc require for references that cannot be resolved) and {@code spec.addresses}
     * types (only {@code IPAddress} is supported: others are {@code UnsupportedAddress}).
     */
    private void validateGateway(GatewayState gs) {
        Gateway.Spec spec = gs.gateway.spec();
        if (spec.infrastructure() != null && spec.infrastructure().parametersRef() != null) {
            var ref = spec.infrastructure().parametersRef();
            gs.notAcceptedReason = "InvalidParameters";
            gs.notAcceptedMessage = "spec.infrastructure.parametersRef " + ref.group() + "/" + ref.kind() + " " + ref.name()
                    + " is not supported by Ringway (no parameters kinds are defined)";
            return;
        }
        for (int i = 0; i < spec.addresses().size(); i++) {
            Gateway.Address a = spec.addresses().get(i);
            if (!"IPAddress".equals(a.type())) {
                gs.notAcceptedReason = "UnsupportedAddress";
                gs.notAcceptedMessage = "spec.addresses[" + i + "].type " + a.type() + " is not supported (only IPAddress)";
                return;
            }
            if (a.value() != null && !a.value().isEmpty() && !isIp(a.value())) {
                gs.notAcceptedReason = "UnsupportedAddress";
                gs.notAcceptedMessage = "spec.addresses[" + i + "].value " + a.value() + " is not an IP address";
                return;
            }
        }
        if (spec.listeners().isEmpty()) {
            gs.notAcceptedReason = "ListenersNotValid";
            gs.notAcceptedMessage = "spec.listeners is empty";
        }
    }

    static boolean isIp(String s) {
        try {
            java.net.InetAddress.ofLiteral(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Route kinds each listener protocol carries (the default {@code supportedKinds}). */
    static List<String> kindsFor(String protocol) {
        return switch (protocol) {
            case "HTTP", "HTTPS" -> List.of(Kinds.HTTP_ROUTE, Kinds.GRPC_ROUTE);
            case "TLS" -> List.of(Kinds.TLS_ROUTE);
            case "TCP" -> List.of(Kinds.TCP_ROUTE);
            case "UDP" -> List.of(Kinds.UDP_ROUTE);
            default -> List.of();
        };
    }

    /**
     * Listener validation (Listener godoc and the CRD's validation rules): supported protocol
     * (otherwise {@code Accepted=False, UnsupportedProtocol}); hostname syntax and applicability;
     * {@code tls} required for HTTPS/TLS and forbidden for HTTP/TCP/UDP; {@code allowedRoutes.kinds}
     * ("If an implementation does not support or recognize this resource type, it MUST set the
     * ResolvedRefs condition to False for this Listener with the InvalidRouteKinds reason");
     * certificateRefs ({@code InvalidCertificateRef}, or {@code RefNotPermitted} across namespaces
     * without a ReferenceGrant).
     */
    private void validateListener(ListenerState l, String ownerKind, String ownerNamespace) {
        Listener spec = l.spec;
        String p = spec.protocol() == null ? "" : spec.protocol();
        List<String> kinds = kindsFor(p);
        if (kinds.isEmpty()) {
            l.notAcceptedReason = "UnsupportedProtocol";
            l.notAcceptedMessage = "protocol \"" + p + "\" is not supported (HTTP, HTTPS, TLS, TCP, UDP are)";
            return;
        }
        if (spec.port() == null || spec.port() < 1 || spec.port() > 65535) {
            l.notAcceptedReason = "Invalid";
            l.notAcceptedMessage = "port " + spec.port() + " is not in 1-65535";
            return;
        }
        String hv = Hostnames.validate(spec.hostname());
        if (hv != null) {
            l.notAcceptedReason = "Invalid";
            l.notAcceptedMessage = "hostname: " + hv;
            return;
        }
        if ((p.equals("TCP") || p.equals("UDP")) && l.hostname() != null) {
            l.notAcceptedReason = "Invalid";
            l.notAcceptedMessage = "hostname must not be specified for protocol " + p;
            return;
        }
        boolean needsTls = p.equals("HTTPS") || p.equals("TLS");
        if (!needsTls && spec.tls() != null) {
            l.notAcceptedReason = "Invalid";
            l.notAcceptedMessage = "tls must not be specified for protocol " + p;
            return;
        }
        if (needsTls && spec.tls() == null) {
            l.notAcceptedReason = "Invalid";
            l.notAcceptedMessage = "tls is required for protocol " + p;
            return;
        }
        if (p.equals("HTTPS") && !"Terminate".equals(spec.tls().mode())) {
            l.notAcceptedReason = "Invalid";
            l.notAcceptedMessage = "tls.mode must be Terminate for protocol HTTPS";
            return;
        }
        // allowedRoutes.kinds
        if (spec.allowedRoutes().kinds() == null || spec.allowedRoutes().kinds().isEmpty()) {
            kinds.forEach(k -> l.supportedKinds.add(new Listener.RouteGroupKind(Kinds.GATEWAY_GROUP, k)));
        } else {
            List<String> invalid = new ArrayList<>();
            for (Listener.RouteGroupKind k : spec.allowedRoutes().kinds()) {
                if (Kinds.GATEWAY_GROUP.equals(k.group()) && kinds.contains(k.kind())) {
                    if (!l.supportedKinds.contains(k)) {
                        l.supportedKinds.add(k);
                    }
                } else {
                    invalid.add(k.group() + "/" + k.kind());
                }
            }
            if (!invalid.isEmpty()) {
                l.unresolvedReason = "InvalidRouteKinds";
                l.unresolvedMessage = "route kinds " + String.join(", ", invalid) + " are not supported on a " + p + " listener";
                l.unresolvedBlocksServing = l.supportedKinds.isEmpty();
            }
        }
        LabelSelector sel = spec.allowedRoutes().namespaces().selector();
        if ("Selector".equals(spec.allowedRoutes().namespaces().from()) && sel != null && sel.validate() != null) {
            l.notAcceptedReason = "Invalid";
            l.notAcceptedMessage = "allowedRoutes.namespaces.selector: " + sel.validate();
            return;
        }
        if (needsTls) {
            resolveCertificates(l, ownerKind, ownerNamespace);
        }
    }

    private void resolveCertificates(ListenerState l, String ownerKind, String ownerNamespace) {
        Listener.Tls tls = l.spec.tls();
        boolean terminate = "Terminate".equals(tls.mode());
        if (terminate && tls.certificateRefs().isEmpty()) {
            setUnresolved(l, "InvalidCertificateRef", "tls.certificateRefs is required when tls.mode is Terminate");
            return;
        }
        for (int i = 0; i < tls.certificateRefs().size(); i++) {
            SecretObjectReference ref = tls.certificateRefs().get(i);
            String where = "tls.certificateRefs[" + i + "]";
            if (!Kinds.isCoreGroup(ref.group()) || !Kinds.SECRET.equals(ref.kind())) {
                setUnresolved(l, "InvalidCertificateRef", where + ": " + ref.group() + "/" + ref.kind()
                        + " is not supported (only core Secret)");
                return;
            }
            String ns = ref.namespaceOr(ownerNamespace);
            if (!index.grants.allowed(Kinds.GATEWAY_GROUP, ownerKind, ownerNamespace, "", Kinds.SECRET, ns, ref.name())) {
                setUnresolved(l, "RefNotPermitted", where + ": Secret " + ns + "/" + ref.name()
                        + " is in another namespace and no ReferenceGrant allows it");
                return;
            }
            Secret s = index.secrets.get(ns + "/" + ref.name());
            if (s == null) {
                setUnresolved(l, "InvalidCertificateRef", where + ": Secret " + ns + "/" + ref.name() + " not found");
                return;
            }
            try {
                byte[] crt = s.value("tls.crt");
                byte[] key = s.value("tls.key");
                if (crt == null || key == null) {
                    throw new IllegalArgumentException("Secret must have tls.crt and tls.key");
                }
                List<X509Certificate> chain = Certificates.parseCertificates(crt);
                Certificates.checkPrivateKey(key);
                l.certificates.add(new CertificateBundle(ns + "/" + ref.name(), crt, key, Certificates.dnsNames(chain.get(0))));
            } catch (IllegalArgumentException e) {
                setUnresolved(l, "InvalidCertificateRef", where + ": Secret " + ns + "/" + ref.name() + ": " + e.getMessage());
                return;
            }
        }
    }

    /**
     * {@code spec.tls.backend.clientCertificateRef} (GatewayBackendTLS godoc): the certificate the
     * Gateway presents to backends. A reference that is not a core Secret, is missing or malformed is
     * {@code ResolvedRefs=False, InvalidClientCertificateRef}; another namespace without a
     * ReferenceGrant is {@code RefNotPermitted}. The Gateway stays Accepted.
     */
    private void backendClientCertificate(GatewayState gs) {
        Gateway.GatewayTls tls = gs.gateway.spec().tls();
        if (tls == null || tls.backend() == null || tls.backend().clientCertificateRef() == null) {
            return;
        }
        SecretObjectReference ref = tls.backend().clientCertificateRef();
        String where = "spec.tls.backend.clientCertificateRef";
        String ns = ref.namespaceOr(gs.namespace());
        if (!Kinds.isCoreGroup(ref.group()) || !Kinds.SECRET.equals(ref.kind())) {
            gs.unresolvedReason = "InvalidClientCertificateRef";
            gs.unresolvedMessage = where + ": " + ref.group() + "/" + ref.kind() + " is not supported (only core Secret)";
            return;
        }
        if (!index.grants.allowed(Kinds.GATEWAY_GROUP, Kinds.GATEWAY, gs.namespace(), "", Kinds.SECRET, ns, ref.name())) {
            gs.unresolvedReason = "RefNotPermitted";
            gs.unresolvedMessage = where + ": Secret " + ns + "/" + ref.name() + " is in another namespace and no ReferenceGrant allows it";
            return;
        }
        Secret s = index.secrets.get(ns + "/" + ref.name());
        try {
            if (s == null) {
                throw new IllegalArgumentException("not found");
            }
            byte[] crt = s.value("tls.crt");
            byte[] key = s.value("tls.key");
            if (crt == null || key == null) {
                throw new IllegalArgumentException("must have tls.crt and tls.key");
            }
            List<X509Certificate> chain = Certificates.parseCertificates(crt);
            Certificates.checkPrivateKey(key);
            gs.backendClientCertificate = new CertificateBundle(ns + "/" + ref.name(), crt, key, Certificates.dnsNames(chain.get(0)));
        } catch (IllegalArgumentException e) {
            gs.unresolvedReason = "InvalidClientCertificateRef";
            gs.unresolvedMessage = where + ": Secret " + ns + "/" + ref.name() + ": " + e.getMessage();
        }
    }

    /**
     * Frontend client-certificate validation (FrontendTLSConfig godoc): {@code perPort} settings for
     * a listener's port, else {@code default}, apply to every TLS-terminating listener. A CA reference
     * of another kind is {@code InvalidCACertificateKind}, a missing or unusable one
     * {@code InvalidCACertificateRef}, another namespace without a ReferenceGrant
     * {@code RefNotPermitted} (ResolvedRefs=False); with no valid CA left the listener is
     * {@code Accepted=False, NoValidCACertificate}. {@code AllowInsecureFallback} is reported on the
     * Gateway as {@code InsecureFrontendValidationMode=True}.
     */
    private void frontendValidation(GatewayState gs) {
        Gateway.GatewayTls tls = gs.gateway.spec().tls();
        if (tls == null || tls.frontend() == null) {
            return;
        }
        for (ListenerState l : gs.allListeners()) {
            if (l.notAcceptedReason != null || l.spec.tls() == null || !"Terminate".equals(l.spec.tls().mode())) {
                continue;
            }
            Gateway.FrontendTlsConfig cfg = tls.frontend().defaultConfig();
            String where = "spec.tls.frontend.default.validation.caCertificateRefs";
            for (int i = 0; i < tls.frontend().perPort().size(); i++) {
                Gateway.PerPort pp = tls.frontend().perPort().get(i);
                if (pp.port() != null && pp.port() == l.port()) {
                    cfg = pp.tls();
                    where = "spec.tls.frontend.perPort[" + i + "].tls.validation.caCertificateRefs";
                    break;
                }
            }
            if (cfg == null || cfg.validation() == null) {
                continue;
            }
            CaCertificates.Result r = CaCertificates.resolve(index, cfg.validation().caCertificateRefs(), gs.namespace(),
                    Kinds.GATEWAY, "InvalidCACertificateKind", where);
            if (r.reason() != null && l.unresolvedReason == null) {
                l.unresolvedReason = r.reason();
                l.unresolvedMessage = r.message();
            }
            if (r.allInvalid()) {
                l.notAcceptedReason = "NoValidCACertificate";
                l.notAcceptedMessage = "no valid CA certificate for client validation: " + r.message();
                continue;
            }
            boolean insecure = "AllowInsecureFallback".equals(cfg.validation().mode());
            l.clientValidation = new dev.ringway.core.route.TlsListener.ClientValidation(r.pem(), insecure);
            gs.insecureFrontendValidation |= insecure;
        }
    }

    private static void setUnresolved(ListenerState l, String reason, String message) {
        l.unresolvedReason = reason;
        l.unresolvedMessage = message;
        l.unresolvedBlocksServing = true;
        l.certificates.clear();
    }

    /**
     * ListenerSet attachment (ListenerSet and Gateway.spec.allowedListeners godoc): a ListenerSet's
     * parentRef names a Gateway; the Gateway's {@code allowedListeners.namespaces.from} (default
     * {@code None}) decides: {@code Same}, {@code All}, or {@code Selector} on the ListenerSet's
     * namespace labels. Not allowed: {@code Accepted=False, NotAllowed}. Attached ListenerSets are
     * ordered by creation time then namespace/name; their listeners come after the Gateway's own in
     * conflict precedence.
     */
    private void attachListenerSets() {
        int lsOrder = 1;
        for (ListenerSet set : index.listenerSets) {
            if (set.spec() == null || set.spec().parentRef() == null) {
                continue;
            }
            ParentReference pr = set.spec().parentRef();
            if (!Kinds.GATEWAY_GROUP.equals(pr.group()) || !Kinds.GATEWAY.equals(pr.kind())) {
                continue;
            }
            GatewayState gs = byKey.get(pr.namespaceOr(set.namespace()) + "/" + pr.name());
            if (gs == null) {
                continue; // not one of ours: another controller's business
            }
            Gateway.AllowedListeners al = gs.gateway.spec().allowedListeners();
            String from = al == null ? "None" : al.namespaces().from();
            boolean allowed = switch (from) {
                case "All" -> true;
                case "Same" -> set.namespace().equals(gs.namespace());
                case "Selector" -> al.namespaces().selector() != null
                        && al.namespaces().selector().matches(index.namespaceLabels(set.namespace()));
                default -> false;
            };
            if (!allowed) {
                listenerSets.put(set, new ListenerSetOutcome(gs, "NotAllowed", "Gateway " + gs.nsName()
                        + " does not allow ListenerSets from namespace " + set.namespace()
                        + " (spec.allowedListeners.namespaces.from: " + from + ")", List.of()));
                continue;
            }
            List<ListenerState> ls = new ArrayList<>();
            int i = 0;
            for (Listener l : set.spec().listeners()) {
                ListenerState st = new ListenerState(l, gs, set, lsOrder, i++, set.metadata().gen());
                validateListener(st, Kinds.LISTENER_SET, set.namespace());
                ls.add(st);
            }
            lsOrder++;
            gs.listenerSets.put(set, ls);
            listenerSets.put(set, new ListenerSetOutcome(gs, null, null, ls));
        }
    }

    /**
     * Addresses: each {@code IPAddress} value in {@code spec.addresses} is bound as given; a Gateway
     * without addresses (or with an {@code IPAddress} entry without value) gets the bind address, or
     * its own address from the pool. Pool assignment is deterministic: Gateways keep the address the
     * previous translation gave them ({@link BindFeedback#addresses()}); the others take the lowest
     * free addresses in namespace/name order. Pool exhausted: {@code Programmed=False, AddressNotAssigned}.
     */
    private void assignAddresses() {
        List<GatewayState> needPool = new ArrayList<>();
        for (GatewayState gs : gateways) {
            if (gs.notAcceptedReason != null && !gs.notAcceptedReason.equals("ListenersNotValid")) {
                continue;
            }
            boolean needsDynamic = gs.gateway.spec().addresses().isEmpty();
            for (Gateway.Address a : gs.gateway.spec().addresses()) {
                if (a.value() == null || a.value().isEmpty()) {
                    needsDynamic = true;
                } else if (!gs.ips.contains(a.value())) {
                    gs.ips.add(a.value());
                }
            }
            if (needsDynamic) {
                if (options.addresses() instanceof TranslatorOptions.AddressPolicy.Bind b) {
                    if (!gs.ips.contains(b.ip())) {
                        gs.ips.add(b.ip());
                    }
                } else {
                    needPool.add(gs);
                }
            }
        }
        if (options.addresses() instanceof TranslatorOptions.AddressPolicy.Pool pool && !needPool.isEmpty()) {
            AddressPool ap = AddressPool.parse(pool.cidr());
            needPool.sort(Comparator.comparing(GatewayState::nsName));
            Map<String, String> taken = new HashMap<>();
            List<GatewayState> fresh = new ArrayList<>();
            for (GatewayState gs : needPool) {
                String prev = feedback.addresses().get(gs.nsName());
                if (prev != null && ap.contains(prev) && !taken.containsKey(prev)) {
                    taken.put(prev, gs.nsName());
                    gs.ips.add(prev);
                } else {
                    fresh.add(gs);
                }
            }
            for (GatewayState gs : fresh) {
                String ip = ap.firstFree(taken.keySet());
                if (ip == null) {
                    gs.notProgrammedReason = "AddressNotAssigned";
                    gs.notProgrammedMessage = "address pool " + pool.cidr() + " is exhausted";
                    continue;
                }
                taken.put(ip, gs.nsName());
                gs.ips.add(ip);
            }
        }
        for (GatewayState gs : gateways) {
            if (!gs.ips.isEmpty()) {
                assignedAddresses.put(gs.nsName(), gs.ips.get(0));
            }
        }
    }

    /**
     * Bind feedback: a listener whose socket could not be bound is not Programmed. A statically
     * requested address ({@code spec.addresses}) that cannot be bound makes the Gateway
     * {@code Programmed=False, AddressNotUsable} ("If a value is set in the spec and the requested
     * address is invalid or unavailable, the implementation MUST indicate this in an associated entry
     * in GatewayStatus.Conditions"); only bound addresses are reported in {@code status.addresses}.
     */
    private void applyBindFeedback() {
        if (feedback.failures().isEmpty()) {
            return;
        }
        for (GatewayState gs : gateways) {
            java.util.Set<String> requested = new java.util.LinkedHashSet<>();
            for (Gateway.Address a : gs.gateway.spec().addresses()) {
                if (a.value() != null && !a.value().isEmpty()) {
                    requested.add(a.value());
                }
            }
            java.util.Set<String> unusable = new java.util.TreeSet<>();
            java.util.Set<String> boundIps = new java.util.HashSet<>();
            for (ListenerState l : gs.allListeners()) {
                if (!l.valid()) {
                    continue;
                }
                for (BindAddress b : l.binds) {
                    String f = feedback.failures().get(b);
                    if (f == null) {
                        boundIps.add(b.ip());
                        continue;
                    }
                    l.bindFailure = b + ": " + f;
                    gs.unboundIps.add(b.ip());
                    if (requested.contains(b.ip())) {
                        unusable.add(b.ip() + " (" + f + ")");
                    }
                }
            }
            gs.unboundIps.removeAll(boundIps); // an address is unusable only when nothing could be bound on it
            if (!unusable.isEmpty() && gs.notProgrammedReason == null) {
                gs.notProgrammedReason = "AddressNotUsable";
                gs.notProgrammedMessage = "spec.addresses cannot be bound: " + String.join(", ", unusable);
            }
        }
    }

    /** Status of a Gateway: addresses, Accepted and Programmed, listeners, attached ListenerSets. */
    ObjectStatus.GatewayStatus status(GatewayState gs) {
        long g = gs.generation;
        List<Condition> conds = new ArrayList<>();
        List<ListenerState> own = gs.listeners;
        long validOwn = own.stream().filter(ListenerState::valid).count();
        boolean allValid = validOwn == own.size();
        if (gs.notAcceptedReason != null) {
            conds.add(Condition.isFalse("Accepted", gs.notAcceptedReason, gs.notAcceptedMessage, g));
        } else if (validOwn == 0) {
            conds.add(Condition.isFalse("Accepted", "ListenersNotValid", "No listener is valid: " + invalidSummary(own), g));
        } else if (!allValid) {
            conds.add(Condition.isTrue("Accepted", "ListenersNotValid", "Some listeners are not valid: "
                    + invalidSummary(own), g));
        } else {
            conds.add(Condition.isTrue("Accepted", "Accepted", "Gateway is accepted", g));
        }
        boolean anyProgrammed = gs.allListeners().stream().anyMatch(ListenerState::programmed);
        if (gs.notAcceptedReason != null) {
            conds.add(Condition.isFalse("Programmed", "Invalid", "Gateway is not accepted", g));
        } else if (gs.notProgrammedReason != null) {
            conds.add(Condition.isFalse("Programmed", gs.notProgrammedReason, gs.notProgrammedMessage, g));
        } else if (!anyProgrammed) {
            conds.add(Condition.isFalse("Programmed", "Invalid", "No listener is programmed", g));
        } else {
            conds.add(Condition.isTrue("Programmed", "Programmed", "Gateway is programmed on " + String.join(", ", gs.ips), g));
        }
        conds.add(gs.unresolvedReason == null
                ? Condition.isTrue("ResolvedRefs", "ResolvedRefs", "All references are resolved", g)
                : Condition.isFalse("ResolvedRefs", gs.unresolvedReason, gs.unresolvedMessage, g));
        if (gs.insecureFrontendValidation) {
            conds.add(Condition.isTrue("InsecureFrontendValidationMode", "ConfigurationChanged",
                    "A listener accepts clients without a valid certificate (AllowInsecureFallback)", g));
        }
        List<ObjectStatus.ListenerStatus> ls = new ArrayList<>();
        for (ListenerState l : own) {
            ls.add(listenerStatus(l));
        }
        List<ObjectStatus.Address> addrs = new ArrayList<>();
        if (gs.notAcceptedReason == null && anyProgrammed) {
            for (String ip : gs.ips) {
                if (!gs.unboundIps.contains(ip)) {
                    addrs.add(new ObjectStatus.Address("IPAddress", ip));
                }
            }
        }
        Integer attachedSets = null;
        long accepted = listenerSets.values().stream()
                .filter(o -> o.gateway() == gs && o.notAllowedReason() == null && o.listeners().stream().anyMatch(ListenerState::valid))
                .count();
        if (gs.gateway.spec().allowedListeners() != null || accepted > 0) {
            attachedSets = (int) accepted;
        }
        return new ObjectStatus.GatewayStatus(addrs, conds, ls, attachedSets);
    }

    static ObjectStatus.ListenerStatus listenerStatus(ListenerState l) {
        return new ObjectStatus.ListenerStatus(l.spec.name(), l.supportedKinds, l.attachedRoutes(), l.conditions());
    }

    private static String invalidSummary(List<ListenerState> ls) {
        StringBuilder sb = new StringBuilder();
        for (ListenerState l : ls) {
            if (!l.valid()) {
                if (!sb.isEmpty()) {
                    sb.append("; ");
                }
                sb.append(l.spec.name()).append(": ").append(l.conflictMessage != null ? l.conflictMessage
                        : l.notAcceptedMessage != null ? l.notAcceptedMessage : l.unresolvedMessage);
            }
        }
        return sb.toString();
    }

    /** Status of a ListenerSet whose parent is one of our Gateways. */
    ObjectStatus.ListenerSetStatus status(ListenerSet set, ListenerSetOutcome o) {
        long g = set.metadata().gen();
        List<Condition> conds = new ArrayList<>();
        if (o.notAllowedReason() != null) {
            conds.add(Condition.isFalse("Accepted", o.notAllowedReason(), o.notAllowedMessage(), g));
            conds.add(Condition.isFalse("Programmed", o.notAllowedReason(), o.notAllowedMessage(), g));
            return new ObjectStatus.ListenerSetStatus(conds, List.of());
        }
        long valid = o.listeners().stream().filter(ListenerState::valid).count();
        if (valid == 0) {
            conds.add(Condition.isFalse("Accepted", "ListenersNotValid", "No listener is valid: " + invalidSummary(o.listeners()), g));
            conds.add(Condition.isFalse("Programmed", "ListenersNotValid", "No listener is valid", g));
        } else {
            conds.add(valid == o.listeners().size()
                    ? Condition.isTrue("Accepted", "Accepted", "ListenerSet is accepted", g)
                    : Condition.isTrue("Accepted", "ListenersNotValid", "Some listeners are not valid: " + invalidSummary(o.listeners()), g));
            boolean programmed = o.listeners().stream().anyMatch(ListenerState::programmed);
            conds.add(programmed ? Condition.isTrue("Programmed", "Programmed", "ListenerSet is programmed", g)
                    : Condition.isFalse("Programmed", "Invalid", "No listener is programmed", g));
        }
        List<ObjectStatus.ListenerStatus> ls = new ArrayList<>();
        for (ListenerState l : o.listeners()) {
            ls.add(listenerStatus(l));
        }
        return new ObjectStatus.ListenerSetStatus(conds, ls);
    }

    /** GatewayClass acceptance, exposed for the translator (kept here with the other Gateway rules). */
    static boolean isOurs(GatewayClass gc, TranslatorOptions options) {
        return gc.spec() != null && options.controllerName().equals(gc.spec().controllerName());
    }
}
