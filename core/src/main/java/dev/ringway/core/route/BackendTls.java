package dev.ringway.core.route;

import java.util.List;

/**
 * TLS toward a backend (BackendTLSPolicy): SNI and verification hostname, trusted CAs (PEM, or
 * the system pool), subject alternative names to require, and the Gateway's client certificate.
 */
public record BackendTls(String hostname, byte[] caPem, boolean systemCa, List<String> subjectAltNames,
                         CertificateBundle clientCertificate, String policy) {
    public BackendTls {
        subjectAltNames = List.copyOf(subjectAltNames);
    }
}
