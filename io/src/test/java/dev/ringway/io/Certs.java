package dev.ringway.io;

import dev.ringway.core.route.CertificateBundle;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;

/** Test certificates (BouncyCastle) and a TLS client that records what the server presented. */
final class Certs {
    private Certs() {
    }

    enum KeyFormat { PKCS1_RSA, PKCS8_RSA, SEC1_EC }

    static CertificateBundle selfSigned(String source, KeyFormat format, String... dnsNames) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(format == KeyFormat.SEC1_EC ? "EC" : "RSA");
        g.initialize(format == KeyFormat.SEC1_EC ? 256 : 2048);
        KeyPair kp = g.generateKeyPair();
        X500Name name = new X500Name("CN=" + dnsNames[0]);
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(30, ChronoUnit.DAYS)), name, kp.getPublic());
        GeneralName[] sans = new GeneralName[dnsNames.length];
        for (int i = 0; i < dnsNames.length; i++) {
            sans[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
        }
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
        String alg = format == KeyFormat.SEC1_EC ? "SHA256withECDSA" : "SHA256withRSA";
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder(alg).build(kp.getPrivate())));
        String certPem = pem(cert);
        String keyPem = switch (format) {
            case PKCS1_RSA, SEC1_EC -> pem(kp); // JcaPEMWriter writes a KeyPair as PKCS#1 / SEC1
            case PKCS8_RSA -> pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(kp.getPrivate(), null));
        };
        return new CertificateBundle(source, certPem.getBytes(StandardCharsets.US_ASCII),
                keyPem.getBytes(StandardCharsets.US_ASCII), List.of(dnsNames));
    }

    /** A certificate authority for tests: its key pair, certificate and PEM. */
    record Ca(KeyPair keys, X509Certificate cert, byte[] pem) {
    }

    static Ca ca(String cn) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair kp = g.generateKeyPair();
        X500Name name = new X500Name("CN=" + cn);
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli() ^ cn.hashCode()),
                Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(30, ChronoUnit.DAYS)), name, kp.getPublic());
        b.addExtension(Extension.basicConstraints, true, new org.bouncycastle.asn1.x509.BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new org.bouncycastle.asn1.x509.KeyUsage(
                org.bouncycastle.asn1.x509.KeyUsage.keyCertSign | org.bouncycastle.asn1.x509.KeyUsage.cRLSign));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        return new Ca(kp, cert, pem(cert).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A leaf certificate signed by {@code ca}: subject CN {@code cn}, DNS SANs {@code dns}, URI SANs
     * {@code uris}; {@code client} makes it a client certificate (else a server one).
     */
    static CertificateBundle issue(Ca ca, String source, String cn, List<String> dns, List<String> uris, boolean client)
            throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair kp = g.generateKeyPair();
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                new X500Name(ca.cert().getSubjectX500Principal().getName()),
                BigInteger.valueOf(now.toEpochMilli() ^ source.hashCode()),
                Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(30, ChronoUnit.DAYS)),
                new X500Name("CN=" + cn), kp.getPublic());
        java.util.List<GeneralName> sans = new java.util.ArrayList<>();
        for (String d : dns) {
            sans.add(new GeneralName(GeneralName.dNSName, d));
        }
        for (String u : uris) {
            sans.add(new GeneralName(GeneralName.uniformResourceIdentifier, u));
        }
        if (!sans.isEmpty()) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
        }
        b.addExtension(Extension.extendedKeyUsage, false, new org.bouncycastle.asn1.x509.ExtendedKeyUsage(
                client ? org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_clientAuth : org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_serverAuth));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.keys().getPrivate())));
        return new CertificateBundle(source, pem(cert).getBytes(StandardCharsets.US_ASCII),
                pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(kp.getPrivate(), null)).getBytes(StandardCharsets.US_ASCII),
                dns);
    }

    /** A server (JDK provider) context for a test backend; {@code clientCa} non-null: ask for a client certificate. */
    static io.netty.handler.ssl.SslContext serverContext(CertificateBundle b, Ca clientCa, boolean requireClient,
                                                         io.netty.handler.ssl.ApplicationProtocolConfig alpn) throws Exception {
        X509Certificate[] chain = PemKeys.certificates(b.certChainPem());
        io.netty.handler.ssl.SslContextBuilder sb = io.netty.handler.ssl.SslContextBuilder
                .forServer(PemKeys.privateKey(b.privateKeyPem(), chain[0]), chain)
                .sslProvider(io.netty.handler.ssl.SslProvider.JDK);
        if (clientCa != null) {
            sb.trustManager(clientCa.cert());
            sb.clientAuth(requireClient ? io.netty.handler.ssl.ClientAuth.REQUIRE : io.netty.handler.ssl.ClientAuth.OPTIONAL);
        }
        if (alpn != null) {
            sb.applicationProtocolConfig(alpn);
        }
        return sb.build();
    }

    private static String pem(Object o) throws Exception {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        }
        return sw.toString();
    }

    /** A TLS client socket to 127.0.0.1:port with the given SNI (null: none), trusting anything. */
    static SSLSocket connect(int port, String sni, String... alpn) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[]{new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        if (alpn.length > 0) {
            p.setApplicationProtocols(alpn);
        }
        s.setSSLParameters(p);
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    /**
     * A TLS client socket offering {@code client} (null: no certificate) when asked; {@code asked}
     * records whether the server sent a CertificateRequest. Trusts any server.
     */
    static SSLSocket connectWithClientCert(int port, String sni, CertificateBundle client,
                                           java.util.concurrent.atomic.AtomicBoolean asked) throws Exception {
        javax.net.ssl.KeyManager km = new javax.net.ssl.X509ExtendedKeyManager() {
            final X509Certificate[] chain = client == null ? null : PemKeys.certificates(client.certChainPem());
            final java.security.PrivateKey key = client == null ? null : PemKeys.privateKey(client.privateKeyPem(), chain[0]);

            @Override
            public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers, javax.net.ssl.SSLEngine engine) {
                asked.set(true);
                return client == null ? null : "c";
            }

            @Override
            public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, java.net.Socket socket) {
                asked.set(true);
                return client == null ? null : "c";
            }

            @Override
            public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
                return client == null ? null : new String[]{"c"};
            }

            @Override
            public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
                return null;
            }

            @Override
            public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
                return null;
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return chain;
            }

            @Override
            public java.security.PrivateKey getPrivateKey(String alias) {
                return key;
            }
        };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(new javax.net.ssl.KeyManager[]{km}, new TrustManager[]{new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(sni)));
        p.setApplicationProtocols(new String[]{"http/1.1"});
        s.setSSLParameters(p);
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    /** The subject CN of the certificate the server presented. */
    static String peerCn(SSLSocket s) throws Exception {
        X509Certificate c = (X509Certificate) s.getSession().getPeerCertificates()[0];
        return c.getSubjectX500Principal().getName().replace("CN=", "");
    }
}
