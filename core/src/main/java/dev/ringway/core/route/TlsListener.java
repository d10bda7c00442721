package dev.ringway.core.route;

import java.util.List;

/**
 * A TLS-carrying listener on a port, selected by SNI: {@code Terminate} (certificates; the traffic
 * then goes to the port's {@link HttpRouter}, or to {@code l4} for a TLSRoute with terminate) or
 * {@code Passthrough} (the TLS stream forwarded by SNI to {@code passthrough}).
 *
 * @param clientValidation frontend client-certificate validation for this port, or null
 */
public record TlsListener(ListenerRef listener, String hostname, boolean terminate, boolean http,
                          List<CertificateBundle> certificates, ClientValidation clientValidation,
                          HostTable<L4Route> passthrough) {
    public TlsListener {
        certificates = List.copyOf(certificates);
    }

    /** {@code spec.tls.frontend} validation: trusted CA PEM and whether invalid/missing certs are let in. */
    public record ClientValidation(byte[] caPem, boolean allowInsecureFallback) {
    }
}
