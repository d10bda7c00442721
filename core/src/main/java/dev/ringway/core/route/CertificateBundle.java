package dev.ringway.core.route;

import java.util.Arrays;
import java.util.List;

/**
 * A certificate chain and its private key (PEM) from a Secret, with the DNS names it serves.
 * {@code source} names the Secret. Equality is by content so the data plane can reuse TLS contexts
 * across snapshots when a certificate did not change.
 */
public record CertificateBundle(String source, byte[] certChainPem, byte[] privateKeyPem, List<String> dnsNames) {
    public CertificateBundle {
        dnsNames = List.copyOf(dnsNames);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertificateBundle b && source.equals(b.source) && Arrays.equals(certChainPem, b.certChainPem)
                && Arrays.equals(privateKeyPem, b.privateKeyPem);
    }

    @Override
    public int hashCode() {
        return source.hashCode() * 31 + Arrays.hashCode(certChainPem);
    }

    @Override
    public String toString() {
        return "CertificateBundle[" + source + " " + dnsNames + "]";
    }
}
