package dev.ringway.core.route;

import java.util.List;

/**
 * TLS toward a backend, from the BackendTLSPolicy that targets its Service (port): {@code hostname}
 * is the SNI and, unless {@code subjectAltNames} is given, the name the server certificate must
 * match; trust is {@code caPem} (concatenated PEM bundle) or the system pool when {@code systemCa}.
 * The Gateway's own client certificate toward backends is per Gateway, so it travels with the
 * listener: {@link ListenerRoutes#backendClientCertificate()}.
 *
 * @param policy the BackendTLSPolicy ({@code namespace/name}), for logs and metrics
 */
public record BackendTls(String hostname, byte[] caPem, boolean systemCa, List<SubjectAltName> subjectAltNames,
                         String policy) {
    public BackendTls {
        subjectAltNames = List.copyOf(subjectAltNames);
    }

    /** A required SAN: {@code type} is {@code Hostname} (DNS SAN) or {@code URI}. */
    public record SubjectAltName(String type, String value) {
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackendTls t && hostname.equals(t.hostname) && java.util.Arrays.equals(caPem, t.caPem)
                && systemCa == t.systemCa && subjectAltNames.equals(t.subjectAltNames) && policy.equals(t.policy);
    }

    @Override
    public int hashCode() {
        return hostname.hashCode() * 31 + java.util.Arrays.hashCode(caPem);
    }

    @Override
    public String toString() {
        return "BackendTls[" + policy + " sni=" + hostname + (systemCa ? " system-ca" : "") + " sans=" + subjectAltNames + "]";
    }
}
