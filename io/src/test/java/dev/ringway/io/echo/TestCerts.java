package dev.ringway.io.echo;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.net.Socket;
import java.security.Principal;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates like those the conformance suite generates (ECHO.md section 8): an RSA CA, a server certificate
 * for {@code abc.example.com} and a client certificate, both signed by it. Keys are written as PKCS#1
 * ({@code RSA PRIVATE KEY}), as in the suite's Secrets. Generated once per test JVM.
 */
final class TestCerts {
    static final String SERVER_NAME = "abc.example.com";
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    record Issued(X509Certificate certificate, PrivateKey key) {
        String certificatePem() {
            return pem(certificate);
        }

        String keyPem() {
            return pem(key);
        }
    }

    static final Issued CA;
    static final Issued SERVER;
    static final Issued CLIENT;
    /** Not signed by {@link #CA}. */
    static final Issued STRANGER;

    static {
        try {
            CA = selfSignedCa("gatewayapi");
            SERVER = leaf(CA, "default", KeyPurposeId.id_kp_serverAuth, SERVER_NAME);
            CLIENT = leaf(CA, "default", KeyPurposeId.id_kp_clientAuth, null);
            Issued otherCa = selfSignedCa("other");
            STRANGER = leaf(otherCa, "stranger", KeyPurposeId.id_kp_clientAuth, null);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private TestCerts() {}

    static EchoTls serverTls() {
        return EchoTls.of(SERVER.certificatePem(), SERVER.keyPem());
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static Issued selfSignedCa(String cn) throws Exception {
        KeyPair keys = rsa();
        X500Name name = new X500Name("CN=" + cn + ", O=Kubernetes Gateway API, C=US");
        X509v3CertificateBuilder builder = builder(name, name, keys)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.digitalSignature));
        return new Issued(sign(builder, keys.getPrivate()), keys.getPrivate());
    }

    private static Issued leaf(Issued issuer, String cn, KeyPurposeId purpose, String dnsName) throws Exception {
        KeyPair keys = rsa();
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer.certificate(),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(365))), new X500Name("CN=" + cn + ", O=Acme Co"), keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        if (dnsName != null) {
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
        }
        return new Issued(sign(builder, issuer.key()), keys.getPrivate());
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))), subject,
                keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey) throws Exception {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
    }

    static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /**
     * A client context trusting {@link #CA}, presenting {@code clientCert} when asked (may be null); every
     * certificate request of a server is counted in {@code requests}.
     */
    static SSLContext clientContext(Issued clientCert, AtomicInteger requests) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", CA.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (clientCert != null) {
            keys.setKeyEntry("client", clientCert.key(), new char[0], new X509Certificate[] {clientCert.certificate()});
        }
        kmf.init(keys, new char[0]);
        X509ExtendedKeyManager delegate = (X509ExtendedKeyManager) kmf.getKeyManagers()[0];
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {new CountingKeyManager(delegate, requests)}, tmf.getTrustManagers(), null);
        return context;
    }

    /**
     * Counts the server's certificate requests (the JDK asks for a client alias only then) and presents the
     * certificate whatever CAs the server names, as a gateway with a configured client certificate does.
     */
    private static final class CountingKeyManager extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager delegate;
        private final AtomicInteger requests;

        CountingKeyManager(X509ExtendedKeyManager delegate, AtomicInteger requests) {
            this.delegate = delegate;
            this.requests = requests;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            requests.incrementAndGet();
            return delegate.getCertificateChain("client") != null ? "client" : null;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            requests.incrementAndGet();
            return delegate.getCertificateChain("client") != null ? "client" : null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return delegate.getClientAliases(keyType, issuers);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return delegate.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }
    }
}
