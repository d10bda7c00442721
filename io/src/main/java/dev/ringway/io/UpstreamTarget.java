package dev.ringway.io;

import dev.ringway.core.route.AppProtocol;
import dev.ringway.core.route.Backend;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AsciiString;

import java.util.Objects;

/**
 * How the data plane speaks to a backend's endpoints: HTTP/1.1 or HTTP/2 (h2c, or h2 over TLS),
 * cleartext or TLS (BackendTLSPolicy: the client context with the trust, the verification and the
 * client certificate, and the SNI). Derived once per snapshot for each backend; upstream
 * connections are pooled per target and endpoint address, so two backends that reach the same
 * address the same way share connections. Equality is by content (TLS contexts are cached by
 * content, so their identity stands for their content).
 */
final class UpstreamTarget {
    static final AsciiString HTTP = AsciiString.cached("http");
    static final AsciiString HTTPS = AsciiString.cached("https");

    /** Cleartext HTTP/1.1, the common case. */
    static final UpstreamTarget H1 = new UpstreamTarget(false, null, null, null);
    /** Cleartext HTTP/2 with prior knowledge ({@code appProtocol: kubernetes.io/h2c}). */
    static final UpstreamTarget H2C = new UpstreamTarget(true, null, null, null);

    final boolean h2;
    /** Client TLS context, or null for cleartext. */
    final SslContext ssl;
    /** Server name sent in the ClientHello (and verified), or null. */
    final String sni;
    /** Why this backend cannot be reached (its TLS settings could not be built), or null. */
    final String failure;
    final AsciiString scheme;
    private final int hash;

    UpstreamTarget(boolean h2, SslContext ssl, String sni, String failure) {
        this.h2 = h2;
        this.ssl = ssl;
        this.sni = sni;
        this.failure = failure;
        this.scheme = ssl == null ? HTTP : HTTPS;
        this.hash = Objects.hash(h2, ssl == null ? 0 : System.identityHashCode(ssl), sni, failure);
    }

    static UpstreamTarget unusable(String why) {
        return new UpstreamTarget(false, null, null, why);
    }

    /** The cleartext target for a backend's protocol. */
    static UpstreamTarget cleartext(Backend b) {
        return b.protocol() == AppProtocol.H2C ? H2C : H1;
    }

    boolean tls() {
        return ssl != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UpstreamTarget t && t.h2 == h2 && t.ssl == ssl && Objects.equals(t.sni, sni)
                && Objects.equals(t.failure, failure);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return (h2 ? (ssl == null ? "h2c" : "h2") : "http/1.1") + (ssl == null ? "" : "+tls sni=" + sni)
                + (failure == null ? "" : " unusable: " + failure);
    }
}
