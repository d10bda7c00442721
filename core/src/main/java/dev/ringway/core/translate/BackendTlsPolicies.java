package dev.ringway.core.translate;

import dev.ringway.core.model.BackendTlsPolicy;
import dev.ringway.core.model.Kinds;
import dev.ringway.core.route.BackendTls;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BackendTLSPolicy (BackendTLSPolicy godoc): which Service ports are reached over TLS, and how.
 * A policy targets a Service, or one port of it by {@code sectionName} (the Service port name); a
 * port-specific policy wins over a whole-Service one. "When more than one BackendTLSPolicy selects
 * the same target and sectionName, implementations MUST determine precedence using: the older
 * policy by creation timestamp; the policy appearing first in alphabetical order by
 * {namespace}/{name}. For any BackendTLSPolicy that does not take precedence, the implementation
 * MUST ensure the Accepted Condition is set to status: False, with Reason Conflicted."
 * CA references: see {@link CaCertificates}; "If ALL CACertificateRefs are invalid ... Accepted ...
 * False, with a Reason NoValidCACertificate", and connections using it must fail with a 5xx:
 * such a policy makes its backends answer 500. {@code wellKnownCACertificates: System} uses the
 * system trust store; any other value is {@code Accepted=False, Invalid}.
 */
final class BackendTlsPolicies {
    /** How one policy was judged; {@code tls} is null when connections using it must fail. */
    record Outcome(BackendTlsPolicy policy, String notAcceptedReason, String notAcceptedMessage,
                   String unresolvedReason, String unresolvedMessage, BackendTls tls) {
        boolean accepted() {
            return notAcceptedReason == null;
        }
    }

    final Map<BackendTlsPolicy, Outcome> outcomes = new LinkedHashMap<>();
    /** Winner per target: {@code ns/service|sectionName} (sectionName empty for the whole Service). */
    private final Map<String, Outcome> winners = new HashMap<>();

    BackendTlsPolicies(Index index) {
        for (BackendTlsPolicy p : index.backendTlsPolicies) { // oldest first, then namespace/name
            Outcome o = judge(index, p);
            List<String> keys = new ArrayList<>();
            for (BackendTlsPolicy.TargetRef t : p.spec() == null ? List.<BackendTlsPolicy.TargetRef>of() : p.spec().targetRefs()) {
                if (Kinds.isCoreGroup(t.group()) && Kinds.SERVICE.equals(t.kind())) {
                    keys.add(p.namespace() + "/" + t.name() + "|" + (t.sectionName() == null ? "" : t.sectionName()));
                }
            }
            boolean won = false;
            List<String> lostTo = new ArrayList<>();
            for (String k : keys) {
                Outcome prev = winners.get(k);
                if (prev == null) {
                    winners.put(k, o);
                    won = true;
                } else {
                    lostTo.add(prev.policy().namespace() + "/" + prev.policy().name());
                }
            }
            if (!won && !lostTo.isEmpty() && o.accepted()) {
                o = new Outcome(p, "Conflicted", "another policy takes precedence for the same target: "
                        + String.join(", ", lostTo), o.unresolvedReason(), o.unresolvedMessage(), o.tls());
            }
            outcomes.put(p, o);
        }
    }

    private static Outcome judge(Index index, BackendTlsPolicy p) {
        if (p.spec() == null || p.spec().validation() == null) {
            return new Outcome(p, "Invalid", "spec.validation is required", null, null, null);
        }
        for (int i = 0; i < p.spec().targetRefs().size(); i++) {
            BackendTlsPolicy.TargetRef t = p.spec().targetRefs().get(i);
            if (!Kinds.isCoreGroup(t.group()) || !Kinds.SERVICE.equals(t.kind())) {
                return new Outcome(p, "Invalid", "spec.targetRefs[" + i + "]: " + t.group() + "/" + t.kind()
                        + " is not supported (only core Service)", null, null, null);
            }
        }
        BackendTlsPolicy.Validation v = p.spec().validation();
        String hv = Hostnames.validate(v.hostname());
        if (v.hostname() == null || v.hostname().isEmpty() || hv != null || v.hostname().startsWith("*")) {
            return new Outcome(p, "Invalid", "spec.validation.hostname: " + (hv != null ? hv : "a DNS name is required"),
                    null, null, null);
        }
        List<BackendTls.SubjectAltName> sans = new ArrayList<>();
        for (int i = 0; i < v.subjectAltNames().size(); i++) {
            BackendTlsPolicy.SubjectAltName s = v.subjectAltNames().get(i);
            String value = "URI".equals(s.type()) ? s.uri() : "Hostname".equals(s.type()) ? s.hostname() : null;
            if (value == null || value.isEmpty()) {
                return new Outcome(p, "Invalid", "spec.validation.subjectAltNames[" + i + "]: type " + s.type()
                        + " needs its value", null, null, null);
            }
            sans.add(new BackendTls.SubjectAltName(s.type(), value));
        }
        String wellKnown = v.wellKnownCACertificates();
        boolean hasRefs = !v.caCertificateRefs().isEmpty();
        if (wellKnown != null && !wellKnown.isEmpty()) {
            if (hasRefs) {
                return new Outcome(p, "Invalid", "spec.validation: caCertificateRefs and wellKnownCACertificates are "
                        + "mutually exclusive", null, null, null);
            }
            if (!"System".equals(wellKnown)) {
                return new Outcome(p, "Invalid", "spec.validation.wellKnownCACertificates: " + wellKnown
                        + " is not supported (System is)", null, null, null);
            }
            return new Outcome(p, null, null, null, null, new BackendTls(v.hostname(), new byte[0], true, sans, nsName(p)));
        }
        if (!hasRefs) {
            return new Outcome(p, "Invalid", "spec.validation: caCertificateRefs or wellKnownCACertificates is required",
                    null, null, null);
        }
        CaCertificates.Result r = CaCertificates.resolve(index, v.caCertificateRefs(), p.namespace(), null, "InvalidKind",
                "spec.validation.caCertificateRefs");
        if (r.allInvalid()) {
            return new Outcome(p, "NoValidCACertificate", "no valid CA certificate: " + r.message(), r.reason(), r.message(), null);
        }
        return new Outcome(p, null, null, r.reason(), r.message(), new BackendTls(v.hostname(), r.pem(), false, sans, nsName(p)));
    }

    private static String nsName(BackendTlsPolicy p) {
        return p.namespace() + "/" + p.name();
    }

    /** The policy that applies to a Service port (port-specific first), or null. */
    Outcome forPort(String namespace, String service, String portName) {
        Outcome o = portName == null || portName.isEmpty() ? null : winners.get(namespace + "/" + service + "|" + portName);
        return o != null ? o : winners.get(namespace + "/" + service + "|");
    }
}
