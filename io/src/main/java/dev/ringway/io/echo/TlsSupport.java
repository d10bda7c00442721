package dev.ringway.io.echo;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

/** Builds the server {@link SslContext}s of the echo servers. */
final class TlsSupport {
    private TlsSupport() {}

    /**
     * HTTPS listener (ECHO.md section 3): TLS 1.2 and 1.3, ALPN {@code h2} and {@code http/1.1}; with a client CA
     * bundle, a client certificate is requested and, if sent, verified against the bundle.
     */
    static SslContext httpsContext(EchoTls tls) throws IOException {
        SslContextBuilder builder = builder(tls)
                .applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2,
                        ApplicationProtocolNames.HTTP_1_1));
        if (tls.clientCaPem().isPresent()) {
            try {
                builder.trustManager(Pem.certificates(tls.clientCaPem().get()).toArray(X509Certificate[]::new))
                        .clientAuth(ClientAuth.OPTIONAL);
            } catch (GeneralSecurityException e) {
                throw new IOException("bad client CA bundle: " + e.getMessage(), e);
            }
        }
        return build(builder);
    }

    /** TLS listener of the TCP echo (ECHO.md section 5): TLS 1.2 and 1.3, no ALPN, no client certificate. */
    static SslContext tcpContext(EchoTls tls) throws IOException {
        return build(builder(tls));
    }

    private static SslContextBuilder builder(EchoTls tls) throws IOException {
        try {
            X509Certificate[] chain = Pem.certificates(tls.certificateChainPem()).toArray(X509Certificate[]::new);
            SslProvider provider = tls.provider() == EchoTls.Provider.OPENSSL_IF_AVAILABLE && OpenSsl.isAvailable()
                    ? SslProvider.OPENSSL
                    : SslProvider.JDK;
            return SslContextBuilder.forServer(Pem.privateKey(tls.privateKeyPem()), chain)
                    .sslProvider(provider)
                    .protocols("TLSv1.3", "TLSv1.2");
        } catch (GeneralSecurityException e) {
            throw new IOException("bad server certificate or key: " + e.getMessage(), e);
        }
    }

    private static SslContext build(SslContextBuilder builder) throws IOException {
        try {
            return builder.build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IOException("cannot build the TLS context: " + e.getMessage(), e);
        }
    }
}
