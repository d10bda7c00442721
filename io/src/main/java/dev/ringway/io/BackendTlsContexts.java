package dev.ringway.io;

import dev.ringway.core.route.AppProtocol;
import dev.ringway.core.route.Backend;
import dev.ringway.core.route.BackendTls;
import dev.ringway.core.route.CertificateBundle;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Client {@link SslContext}s toward backends (BackendTLSPolicy), built on the apply thread and
 * cached by content across snapshots: trusted CAs (PEM, or the system pool), the name to verify,
 * the subject alternative names to require, the Gateway's client certificate and the ALPN
 * protocol. The backend certificate must chain to the trusted CAs and then carry a matching name:
 * one of {@code subjectAltNames} when the policy lists some (a DNS name, wildcards as RFC 6125
 * allows, or an exact URI), else {@code hostname} as a DNS subject alternative name. The common name
 * is never used. The SNI is {@code hostname}.
 */
final class BackendTlsContexts {
    private record Key(ByteBuffer ca, boolean systemCa, String hostname, List<BackendTls.SubjectAltName> subjectAltNames,
                       CertificateBundle client, boolean h2) {
    }

    private final Map<Key, SslContext> cache = new HashMap<>();
    private final SslProvider provider;

    BackendTlsContexts(SslProvider provider) {
        this.provider = provider;
    }

    /**
     * The target for a backend with a TLS policy, presenting {@code client} (the Gateway's
     * certificate toward backends, or null); throws when the settings cannot be used.
     */
    UpstreamTarget target(Backend b, CertificateBundle client, Set<Object> used) throws Exception {
        BackendTls t = b.tls();
        boolean h2 = b.protocol() == AppProtocol.H2C;
        Key key = new Key(t.systemCa() || t.caPem() == null ? null : ByteBuffer.wrap(t.caPem()), t.systemCa(),
                t.hostname() == null ? null : t.hostname().toLowerCase(Locale.ROOT), t.subjectAltNames(), client, h2);
        used.add(key);
        SslContext ctx = cache.get(key);
        if (ctx == null) {
            ctx = build(key);
            cache.put(key, ctx);
        }
        return new UpstreamTarget(h2, ctx, key.hostname(), null);
    }

    /** Forgets contexts the current snapshot no longer uses. */
    void retain(Set<Object> used) {
        cache.keySet().retainAll(used);
    }

    private SslContext build(Key k) throws Exception {
        if (k.hostname() == null || k.hostname().isEmpty()) {
            throw new IllegalArgumentException("no hostname to verify the backend certificate against");
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (k.systemCa()) {
            tmf.init((KeyStore) null);
        } else if (k.ca() != null) {
            X509Certificate[] cas = PemKeys.certificates(k.ca().array());
            if (cas.length == 0) {
                throw new IllegalArgumentException("no CA certificate in the policy's CA references");
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            for (int i = 0; i < cas.length; i++) {
                ks.setCertificateEntry("ca" + i, cas[i]);
            }
            tmf.init(ks);
        } else {
            throw new IllegalArgumentException("neither CA certificates nor the system trust store");
        }
        X509TrustManager delegate = null;
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                delegate = x;
            }
        }
        if (delegate == null) {
            throw new IllegalStateException("no X.509 trust manager");
        }
        SslContextBuilder b = SslContextBuilder.forClient()
                .sslProvider(provider)
                .protocols("TLSv1.3", "TLSv1.2")
                // Names are checked by our trust manager (hostname or subjectAltNames), not by the engine.
                .endpointIdentificationAlgorithm(null)
                .trustManager(new Verifier(delegate, k.hostname(), k.subjectAltNames()))
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        k.h2() ? ApplicationProtocolNames.HTTP_2 : ApplicationProtocolNames.HTTP_1_1));
        CertificateBundle client = k.client();
        if (client != null) {
            X509Certificate[] chain = PemKeys.certificates(client.certChainPem());
            b.keyManager(PemKeys.privateKey(client.privateKeyPem(), chain[0]), chain);
        }
        return b.build();
    }

    /**
     * Chain validation by the platform's PKIX trust manager (no endpoint identification there),
     * then the name check of BackendTLSPolicy.
     */
    static final class Verifier extends X509ExtendedTrustManager {
        private final X509TrustManager pkix;
        private final String hostname;
        private final List<BackendTls.SubjectAltName> subjectAltNames;

        Verifier(X509TrustManager pkix, String hostname, List<BackendTls.SubjectAltName> subjectAltNames) {
            this.pkix = pkix;
            this.hostname = hostname;
            this.subjectAltNames = subjectAltNames;
        }

        private void verify(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("no backend certificate");
            }
            pkix.checkServerTrusted(chain, authType);
            checkNames(chain[0], hostname, subjectAltNames);
        }

        /** Throws unless {@code cert} carries one of the names required. */
        static void checkNames(X509Certificate cert, String hostname, List<BackendTls.SubjectAltName> subjectAltNames)
                throws CertificateException {
            Collection<List<?>> sans;
            try {
                sans = cert.getSubjectAlternativeNames();
            } catch (CertificateParsingException e) {
                throw new CertificateException("unreadable subject alternative names", e);
            }
            if (subjectAltNames.isEmpty()) {
                if (matchesAny(sans, hostname, false)) {
                    return;
                }
                throw new CertificateException("backend certificate is not valid for " + hostname);
            }
            for (BackendTls.SubjectAltName want : subjectAltNames) {
                if (matchesAny(sans, want.value(), "URI".equals(want.type()))) {
                    return;
                }
            }
            throw new CertificateException("backend certificate has none of the subject alternative names "
                    + subjectAltNames);
        }

        private static boolean matchesAny(Collection<List<?>> sans, String want, boolean uri) {
            if (sans == null) {
                return false;
            }
            for (List<?> san : sans) {
                int type = (Integer) san.get(0);
                Object v = san.get(1);
                if (!(v instanceof String value)) {
                    continue;
                }
                if (uri) {
                    if (type == 6 && value.equals(want)) {
                        return true;
                    }
                } else if (type == 2 && (dnsMatches(value, want) || (want.startsWith("*.") && dnsMatches(want, value)))) {
                    // The certificate's name covers the one wanted, or a wanted wildcard covers the certificate's.
                    return true;
                } else if (type == 7 && value.equalsIgnoreCase(want)) {
                    return true; // an IP address SAN for an IP literal
                }
            }
            return false;
        }

        /** RFC 6125 6.4: exact (case-insensitive), or a wildcard standing for the whole left-most label. */
        static boolean dnsMatches(String pattern, String host) {
            String p = pattern.toLowerCase(Locale.ROOT);
            String h = host.toLowerCase(Locale.ROOT);
            if (p.endsWith(".")) {
                p = p.substring(0, p.length() - 1);
            }
            if (h.endsWith(".")) {
                h = h.substring(0, h.length() - 1);
            }
            if (p.equals(h)) {
                return true;
            }
            if (p.startsWith("*.") && p.indexOf('.', 2) > 0) {
                int dot = h.indexOf('.');
                return dot > 0 && h.substring(dot).equals(p.substring(1));
            }
            return false;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            verify(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            verify(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            verify(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("not a server trust manager");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("not a server trust manager");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not a server trust manager");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return pkix.getAcceptedIssuers();
        }
    }
}
