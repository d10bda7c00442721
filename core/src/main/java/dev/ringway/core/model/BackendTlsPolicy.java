package dev.ringway.core.model;

import java.util.List;
import java.util.Map;

/** BackendTLSPolicy: how the gateway connects to the targeted Services over TLS. */
public record BackendTlsPolicy(String apiVersion, ObjectMeta metadata, Spec spec) implements Resource {
    public record Spec(List<TargetRef> targetRefs, Validation validation, Map<String, String> options) {
        public Spec {
            targetRefs = Lists.copy(targetRefs);
            options = Lists.copy(options);
        }
    }

    public record TargetRef(String group, String kind, String name, String sectionName) {
        public TargetRef {
            group = Lists.orEmpty(group);
        }
    }

    public record Validation(List<ObjectReference> caCertificateRefs, String hostname,
                             List<SubjectAltName> subjectAltNames, String wellKnownCACertificates) {
        public Validation {
            caCertificateRefs = Lists.copy(caCertificateRefs);
            subjectAltNames = Lists.copy(subjectAltNames);
        }
    }

    public record SubjectAltName(String type, String hostname, String uri) {
    }

    @Override
    public String kind() {
        return Kinds.BACKEND_TLS_POLICY;
    }

    @Override
    public BackendTlsPolicy withMetadata(ObjectMeta m) {
        return new BackendTlsPolicy(apiVersion, m, spec);
    }
}
