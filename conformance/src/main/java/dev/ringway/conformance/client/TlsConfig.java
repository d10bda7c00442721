package dev.ringway.conformance.client;

import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Client TLS settings of one connection (SCHEMA 8.9): trust the given PEM certificates as roots even when they are
 * leaves (Go accepts a presented certificate that is itself in the root pool), verify the server name with Go's
 * rules (DNS SANs only, {@code *} only as the whole leftmost label matching one label), TLS 1.2 minimum, an optional
 * client certificate offered when the server asks, and a record of whether it asked.
 *
 * @param serverName SNI and the name verified; null = no SNI, the address is verified against IP SANs
 * @param roots trust anchors; null = the system trust roots (with Go's name rules as well)
 */
public record TlsConfig(String serverName, List<X509Certificate> roots, List<X509Certificate> clientChain,
                        PrivateKey clientKey, List<String> alpn) {

    /** A fresh SSLContext plus the flag its key manager sets when the server requests a client certificate. */
    public record Session(SSLContext context, AtomicBoolean clientCertRequested, TlsConfig config) {
        public SSLParameters parameters(InetAddress peer) {
            SSLParameters p = new SSLParameters();
            p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            String sni = config.serverName();
            if (sni != null && !sni.isEmpty() && !isIp(sni)) {
                String n = sni.endsWith(".") ? sni.substring(0, sni.length() - 1) : sni;
                try {
                    p.setServerNames(List.of(new SNIHostName(n)));
                } catch (IllegalArgumentException e) {
                    // not a valid SNI host name: send none (Go does the same for invalid names)
                }
            }
            if (config.alpn() != null && !config.alpn().isEmpty()) {
                p.setApplicationProtocols(config.alpn().toArray(String[]::new));
            }
            p.setEndpointIdentificationAlgorithm(null);
            return p;
        }
    }

    public TlsConfig withAlpn(List<String> protocols) {
        return new TlsConfig(serverName, roots, clientChain, clientKey, protocols);
    }

    public Session newSession(InetAddress peer) throws GeneralSecurityException {
        AtomicBoolean requested = new AtomicBoolean();
        X509TrustManager system = roots == null ? systemTrust() : null;
        TrustManager tm = new GoTrustManager(roots, system, serverName == null ? peer.getHostAddress() : serverName);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(new javax.net.ssl.KeyManager[] {new ClientKeyManager(clientChain, clientKey, requested)},
                new TrustManager[] {tm}, null);
        return new Session(ctx, requested, this);
    }

    static boolean isIp(String s) {
        return s.matches("[0-9.]+") || s.contains(":");
    }

    private static X509TrustManager systemTrust() throws GeneralSecurityException {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init((KeyStore) null);
        for (TrustManager t : f.getTrustManagers()) {
            if (t instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no system trust manager");
    }

    /** Go's hostname matching (crypto/x509 matchHostnames, DNS SANs only). */
    public static boolean goMatches(X509Certificate cert, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (isIp(h)) {
            String ip = h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
            for (String s : Sans.of(cert)) {
                if (s.startsWith("ip:")) {
                    try {
                        if (InetAddress.getByName(s.substring(3)).equals(InetAddress.getByName(ip))) {
                            return true;
                        }
                    } catch (java.net.UnknownHostException e) {
                        // ignore
                    }
                }
            }
            return false;
        }
        for (String pattern : Sans.dnsNames(cert)) {
            if (matchHostname(pattern, h)) {
                return true;
            }
        }
        return false;
    }

    static boolean matchHostname(String pattern, String host) {
        String p = pattern.toLowerCase(Locale.ROOT);
        if (p.isEmpty() || host.isEmpty()) {
            return false;
        }
        if (p.endsWith(".")) {
            p = p.substring(0, p.length() - 1);
        }
        String[] pp = p.split("\\.", -1);
        String[] hp = host.split("\\.", -1);
        if (pp.length != hp.length) {
            return false;
        }
        for (int i = 0; i < pp.length; i++) {
            if (i == 0 && pp[i].equals("*")) {
                if (hp[i].isEmpty()) {
                    return false;
                }
                continue;
            }
            if (!pp[i].equals(hp[i]) || pp[i].isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Verifies a server chain to one of the roots (a root may be the leaf itself), then the name. */
    static final class GoTrustManager extends X509ExtendedTrustManager {
        private final List<X509Certificate> roots;
        private final X509TrustManager system;
        private final String name;

        GoTrustManager(List<X509Certificate> roots, X509TrustManager system, String name) {
            this.roots = roots;
            this.system = system;
            this.name = name;
        }

        void verify(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("server sent no certificate");
            }
            X509Certificate leaf = chain[0];
            if (system != null) {
                system.checkServerTrusted(chain, authType);
            } else {
                verifyChain(chain);
            }
            try {
                List<String> eku = leaf.getExtendedKeyUsage();
                if (eku != null && !eku.contains("1.3.6.1.5.5.7.3.1") && !eku.contains("2.5.29.37.0")) {
                    throw new CertificateException("certificate specifies an incompatible key usage");
                }
            } catch (java.security.cert.CertificateParsingException e) {
                throw new CertificateException(e);
            }
            if (!goMatches(leaf, name)) {
                throw new CertificateException("certificate is not valid for " + name + " (DNS SANs "
                        + Sans.dnsNames(leaf) + ")");
            }
        }

        private void verifyChain(X509Certificate[] chain) throws CertificateException {
            Date now = new Date();
            X509Certificate current = chain[0];
            current.checkValidity(now);
            for (int depth = 0; depth < 10; depth++) {
                if (isRoot(current)) {
                    return;
                }
                X509Certificate issuer = findIssuer(current, chain);
                if (issuer == null) {
                    throw new CertificateException("certificate signed by unknown authority ("
                            + current.getIssuerX500Principal() + ")");
                }
                issuer.checkValidity(now);
                if (isRoot(issuer)) {
                    return;
                }
                current = issuer;
            }
            throw new CertificateException("certificate chain too long");
        }

        private boolean isRoot(X509Certificate c) throws CertificateException {
            for (X509Certificate r : roots) {
                if (Arrays.equals(r.getEncoded(), c.getEncoded())) {
                    return true;
                }
            }
            return false;
        }

        private X509Certificate findIssuer(X509Certificate c, X509Certificate[] chain) {
            java.util.List<X509Certificate> candidates = new java.util.ArrayList<>(roots);
            candidates.addAll(Arrays.asList(chain).subList(1, chain.length));
            for (X509Certificate cand : candidates) {
                if (!cand.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
                    continue;
                }
                try {
                    c.verify(cand.getPublicKey());
                    return cand;
                } catch (GeneralSecurityException e) {
                    // not this one
                }
            }
            return null;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            verify(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            verify(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            verify(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** Offers the client certificate (if any) when asked, and records that it was asked. */
    static final class ClientKeyManager extends X509ExtendedKeyManager {
        private static final String ALIAS = "client";
        private final List<X509Certificate> chain;
        private final PrivateKey key;
        private final AtomicBoolean requested;

        ClientKeyManager(List<X509Certificate> chain, PrivateKey key, AtomicBoolean requested) {
            this.chain = chain;
            this.key = key;
            this.requested = requested;
        }

        private String choose() {
            requested.set(true);
            return chain != null && key != null ? ALIAS : null;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return choose();
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return choose();
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return chain != null && key != null ? new String[] {ALIAS} : null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) && chain != null ? chain.toArray(X509Certificate[]::new) : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? key : null;
        }
    }
}
