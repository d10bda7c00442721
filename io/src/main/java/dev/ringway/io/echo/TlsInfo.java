package dev.ringway.io.echo;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.OpenSslSession;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Facts about an established TLS connection that the echo servers report.
 *
 * @param version             protocol as the JDK names it ({@code TLSv1.3})
 * @param serverName          SNI host name the client sent, or empty
 * @param negotiatedProtocol  ALPN result, or empty
 * @param cipherSuite         IANA name
 * @param namedGroup          key exchange group ({@code X25519}), or empty when the TLS stack does not tell
 * @param peerCertificatesPem client certificates as presented, PEM
 */
record TlsInfo(
        String version,
        String serverName,
        String negotiatedProtocol,
        String cipherSuite,
        String namedGroup,
        List<String> peerCertificatesPem) {

    private static final AttributeKey<TlsInfo> KEY = AttributeKey.valueOf(TlsInfo.class, "tlsInfo");

    /**
     * The TLS facts of the connection {@code channel} belongs to (for an HTTP/2 stream: its connection), or empty
     * when it is not TLS. Computed once per connection, after the handshake.
     */
    static Optional<TlsInfo> of(Channel channel) {
        Channel connection = channel instanceof Http2StreamChannel ? channel.parent() : channel;
        TlsInfo cached = connection.attr(KEY).get();
        if (cached != null) {
            return Optional.of(cached);
        }
        SslHandler ssl = connection.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return Optional.empty();
        }
        TlsInfo info = of(ssl);
        connection.attr(KEY).set(info);
        return Optional.of(info);
    }

    private static TlsInfo of(SslHandler ssl) {
        SSLSession session = ssl.engine().getSession();
        String serverName = "";
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    serverName = host.getAsciiName();
                }
            }
        }
        List<String> peers = new ArrayList<>();
        try {
            for (Certificate c : session.getPeerCertificates()) {
                if (c instanceof X509Certificate x509) {
                    peers.add(Pem.encode(x509));
                }
            }
        } catch (SSLPeerUnverifiedException e) {
            // no client certificate
        }
        String group = session instanceof OpenSslSession openSsl && openSsl.getNamedGroup() != null
                ? openSsl.getNamedGroup()
                : "";
        String alpn = ssl.applicationProtocol();
        return new TlsInfo(session.getProtocol(), serverName, alpn == null ? "" : alpn,
                ianaCipherSuite(session.getCipherSuite()), group, List.copyOf(peers));
    }

    /** Java names a few legacy suites {@code SSL_...}; IANA names them all {@code TLS_...}. */
    private static String ianaCipherSuite(String javaName) {
        return javaName.startsWith("SSL_") ? "TLS_" + javaName.substring(4) : javaName;
    }

    /** The {@code tls} object of the HTTP echo (ECHO.md section 3). */
    Map<String, Object> httpJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", version);
        if (!peerCertificatesPem.isEmpty()) {
            json.put("peerCertificates", peerCertificatesPem);
        }
        json.put("serverName", serverName);
        if (!negotiatedProtocol.isEmpty()) {
            json.put("negotiatedProtocol", negotiatedProtocol);
        }
        json.put("cipherSuite", cipherSuite);
        return json;
    }

    /** The {@code tls} object of the TCP echo's {@code TEST} answer (ECHO.md section 5): Go's version names. */
    Map<String, Object> tcpJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", version.startsWith("TLSv") ? "TLS " + version.substring(4) : version);
        json.put("serverName", serverName);
        if (!negotiatedProtocol.isEmpty()) {
            json.put("negotiatedProtocol", negotiatedProtocol);
        }
        if (!namedGroup.isEmpty()) {
            json.put("curves", namedGroup);
        }
        json.put("cipherSuite", cipherSuite);
        return json;
    }
}
