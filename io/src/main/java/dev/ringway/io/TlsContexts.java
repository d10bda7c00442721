package dev.ringway.io;

import dev.ringway.core.route.CertificateBundle;
import dev.ringway.core.route.TlsListener;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server {@link SslContext}s built from {@link CertificateBundle}s and cached by content across
 * snapshots: an unchanged certificate keeps its context (and its session cache); a rotated one gets
 * a new context, used by new handshakes only (open connections keep their engine). Contexts are
 * built on the apply thread, never on an event loop.
 */
final class TlsContexts {
    private static final Logger LOG = LoggerFactory.getLogger(TlsContexts.class);

    /** Cache key: the bundle (content equality), the client-validation settings and whether ALPN offers h2. */
    private record Key(CertificateBundle bundle, ByteBuffer clientCa, boolean insecureFallback, boolean h2) {
    }

    private final Map<Key, SslContext> cache = new ConcurrentHashMap<>();
    private final SslProvider provider;

    TlsContexts() {
        this.provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        LOG.info("TLS provider: {}{}", provider,
                provider == SslProvider.JDK ? " (BoringSSL unavailable: " + OpenSsl.unavailabilityCause() + ")" : " " + OpenSsl.versionString());
    }

    SslProvider provider() {
        return provider;
    }

    /**
     * The context for one certificate of a listener, built or reused; throws on a bad bundle.
     * {@code h2}: an HTTP listener, whose ALPN offers {@code h2} before {@code http/1.1}.
     */
    SslContext context(CertificateBundle bundle, TlsListener.ClientValidation cv, boolean h2, Set<Object> used) throws Exception {
        Key key = new Key(bundle, cv == null || cv.caPem() == null ? null : ByteBuffer.wrap(cv.caPem()),
                cv != null && cv.allowInsecureFallback(), h2);
        used.add(key);
        SslContext ctx = cache.get(key);
        if (ctx == null) {
            ctx = build(bundle, cv, h2);
            cache.put(key, ctx);
        }
        return ctx;
    }

    /** Forgets contexts no longer referenced by the current snapshot (they die with their connections). */
    void retain(Set<Object> used) {
        cache.keySet().retainAll(used);
    }

    private SslContext build(CertificateBundle bundle, TlsListener.ClientValidation cv, boolean h2) throws Exception {
        X509Certificate[] chain = PemKeys.certificates(bundle.certChainPem());
        SslContextBuilder b = SslContextBuilder
                .forServer(PemKeys.privateKey(bundle.privateKeyPem(), chain[0]), chain)
                .sslProvider(provider)
                .protocols("TLSv1.3", "TLSv1.2");
        if (h2) {
            // RFC 9113 9.2.2: TLS 1.2 with HTTP/2 needs an ephemeral key exchange and an AEAD cipher.
            b.ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE);
            b.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1));
        }
        if (cv != null && cv.caPem() != null) {
            X509Certificate[] cas = PemKeys.certificates(cv.caPem());
            if (cv.allowInsecureFallback()) {
                // AllowInsecureFallback: ask for a certificate (naming the CAs), let the client in
                // whatever it sends, nothing included.
                b.trustManager(new InsecureFallback(pkix(cas)));
                b.clientAuth(ClientAuth.OPTIONAL);
            } else {
                // AllowValidOnly: a certificate chaining to the CAs, or no handshake.
                b.trustManager(cas);
                b.clientAuth(ClientAuth.REQUIRE);
            }
        }
        return b.build();
    }

    private static X509TrustManager pkix(X509Certificate[] cas) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        for (int i = 0; i < cas.length; i++) {
            ks.setCertificateEntry("ca" + i, cas[i]);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new IllegalStateException("no X.509 trust manager");
    }

    /**
     * Client-certificate validation with {@code AllowInsecureFallback}: the CertificateRequest names
     * the trusted CAs, and a certificate that does not verify (or none) does not fail the handshake.
     * Whether it verified is counted, never enforced.
     */
    static final class InsecureFallback extends X509ExtendedTrustManager {
        private final X509TrustManager pkix;
        static final java.util.concurrent.atomic.LongAdder UNVERIFIED = new java.util.concurrent.atomic.LongAdder();

        InsecureFallback(X509TrustManager pkix) {
            this.pkix = pkix;
        }

        private void check(X509Certificate[] chain, String authType) {
            try {
                pkix.checkClientTrusted(chain, authType);
            } catch (Exception e) {
                UNVERIFIED.increment(); // let in anyway: that is what the mode means
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            check(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            check(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            check(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("not a client trust manager");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("not a client trust manager");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not a client trust manager");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return pkix.getAcceptedIssuers();
        }
    }
}
