package dev.ringway.core.translate;

import dev.ringway.core.model.ConfigMap;
import dev.ringway.core.model.Kinds;
import dev.ringway.core.model.ObjectReference;
import dev.ringway.core.model.Secret;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolution of CA certificate references (BackendTLSPolicy {@code validation.caCertificateRefs},
 * Gateway {@code spec.tls.frontend...validation.caCertificateRefs}): a ConfigMap (Core) or a Secret
 * (implementation-specific) holding a PEM bundle under {@code ca.crt}. Unknown kinds are
 * {@code kindReason}; missing objects, a missing key or unparsable PEM are
 * {@code InvalidCACertificateRef}; cross-namespace references need a ReferenceGrant where
 * {@code grantFrom} is given (Gateway frontend validation), else they are invalid (BackendTLSPolicy:
 * "It refers to a resource in another namespace").
 */
final class CaCertificates {
    private CaCertificates() {
    }

    /** The outcome: a concatenated PEM bundle of the valid references and the first problem, if any. */
    record Result(byte[] pem, int valid, String reason, String message) {
        boolean allInvalid() {
            return valid == 0;
        }
    }

    static Result resolve(Index index, List<ObjectReference> refs, String ownerNamespace, String grantFromKind,
                          String kindReason, String where) {
        ByteArrayOutputStream pem = new ByteArrayOutputStream();
        int valid = 0;
        String reason = null;
        String message = null;
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            ObjectReference ref = refs.get(i);
            String w = where + "[" + i + "]";
            String ns = ref.namespaceOr(ownerNamespace);
            String problemReason = null;
            String problem = null;
            byte[] data = null;
            boolean configMap = Kinds.isCoreGroup(ref.group()) && Kinds.CONFIG_MAP.equals(ref.kind());
            boolean secret = Kinds.isCoreGroup(ref.group()) && Kinds.SECRET.equals(ref.kind());
            if (!configMap && !secret) {
                problemReason = kindReason;
                problem = w + ": " + (ref.group().isEmpty() ? "" : ref.group() + "/") + ref.kind()
                        + " is not supported (ConfigMap or Secret with ca.crt)";
            } else if (!ns.equals(ownerNamespace) && (grantFromKind == null || !index.grants.allowed(Kinds.GATEWAY_GROUP,
                    grantFromKind, ownerNamespace, "", ref.kind(), ns, ref.name()))) {
                problemReason = "RefNotPermitted";
                problem = w + ": " + ref.kind() + " " + ns + "/" + ref.name() + " is in another namespace"
                        + (grantFromKind == null ? "" : " and no ReferenceGrant allows it");
            } else if (configMap) {
                ConfigMap cm = index.configMaps.get(ns + "/" + ref.name());
                String s = cm == null ? null : cm.data().get("ca.crt");
                if (s == null) {
                    problemReason = "InvalidCACertificateRef";
                    problem = w + ": ConfigMap " + ns + "/" + ref.name() + (cm == null ? " not found" : " has no key ca.crt");
                } else {
                    data = s.getBytes(StandardCharsets.UTF_8);
                }
            } else {
                Secret sec = index.secrets.get(ns + "/" + ref.name());
                byte[] v = null;
                try {
                    v = sec == null ? null : sec.value("ca.crt");
                } catch (IllegalArgumentException e) {
                    v = null;
                }
                if (v == null) {
                    problemReason = "InvalidCACertificateRef";
                    problem = w + ": Secret " + ns + "/" + ref.name() + (sec == null ? " not found" : " has no key ca.crt");
                } else {
                    data = v;
                }
            }
            if (data != null) {
                try {
                    Certificates.parseCertificates(data);
                    pem.writeBytes(data);
                    pem.write('\n');
                    valid++;
                } catch (IllegalArgumentException e) {
                    problemReason = "InvalidCACertificateRef";
                    problem = w + ": " + ref.kind() + " " + ns + "/" + ref.name() + ": " + e.getMessage();
                }
            }
            if (problem != null) {
                problems.add(problem);
                if (reason == null) {
                    reason = problemReason;
                }
            }
        }
        if (!problems.isEmpty()) {
            message = String.join("; ", problems);
        }
        return new Result(pem.toByteArray(), valid, reason, message);
    }
}
