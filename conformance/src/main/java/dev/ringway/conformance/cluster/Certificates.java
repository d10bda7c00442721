package dev.ringway.conformance.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringway.conformance.model.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificates the suite creates at start-up (ECHO.md section 8), generated once per run with BouncyCastle and
 * returned as Secrets ({@code kubernetes.io/tls}, PKCS#1 keys) and CA ConfigMaps ({@code ca.crt}, {@code key.crt}).
 */
public final class Certificates {
    public static final String INFRA = "gateway-conformance-infra";
    public static final String APP = "gateway-conformance-app-backend";
    public static final String WEB = "gateway-conformance-web-backend";
    private static final Pattern DNS_NAME = Pattern.compile(
            "^(\\*\\.)?([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A generated key pair and certificate. */
    public record Issued(KeyPair keys, X509Certificate cert) {
        public String certPem() {
            return pem(cert);
        }

        public String keyPem() {
            return pem(keys.getPrivate());
        }
    }

    private Certificates() {}

    /** All objects of ECHO.md section 8. */
    public static List<JsonNode> generate() {
        List<JsonNode> out = new ArrayList<>();
        out.add(secret(WEB, "certificate", selfSigned(List.of("*"), true)));
        out.add(secret(INFRA, "tls-validity-checks-certificate", selfSigned(List.of("*", "*.org", "*.wildcard.org"), true)));
        out.add(caConfigMap(WEB, "web-backend-cm", ca()));
        Issued validityCa = ca();
        out.add(caConfigMap(INFRA, "tls-validity-checks-ca-certificate", validityCa));
        out.add(secret(INFRA, "tls-validity-checks-client-certificate", signed(validityCa, List.of(), false)));
        Issued perPortCa = ca();
        out.add(caConfigMap(INFRA, "tls-validity-checks-per-port-ca-certificate", perPortCa));
        out.add(secret(INFRA, "tls-validity-checks-per-port-client-certificate", signed(perPortCa, List.of(), false)));
        Issued checksCa = ca();
        out.add(caConfigMap(INFRA, "tls-checks-ca-certificate", checksCa));
        out.add(secret(INFRA, "tls-checks-certificate", signed(checksCa,
                List.of("abc.example.com", "other.example.com", "spiffe://abc.example.com/test-identity"), true)));
        out.add(secret(INFRA, "tls-checks-client-certificate", signed(checksCa, List.of(), false)));
        out.add(secret(INFRA, "tls-passthrough-checks-certificate", signed(checksCa, List.of("abc.example.com"), true)));
        out.add(secret(APP, "tls-passthrough-checks-certificate", signed(checksCa, List.of("abc.example.com"), true)));
        out.add(secret(INFRA, "tls-terminate-checks-certificate", signed(checksCa, List.of("tls.example.com"), true)));
        out.add(caConfigMap(INFRA, "mismatch-ca-certificate", ca()));
        return out;
    }

    public static Issued ca() {
        KeyPair kp = rsa();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, "US")
                .addRDN(BCStyle.O, "Kubernetes Gateway API").addRDN(BCStyle.CN, "gatewayapi").build();
        return build(name, kp, name, kp, List.of(), true, true);
    }

    public static Issued selfSigned(List<String> hosts, boolean server) {
        KeyPair kp = rsa();
        return build(leafName(), kp, leafName(), kp, hosts, server, false);
    }

    public static Issued signed(Issued issuer, List<String> hosts, boolean server) {
        KeyPair kp = rsa();
        X500Name issuerName = X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded());
        return build(leafName(), kp, issuerName, issuer.keys(), hosts, server, false);
    }

    private static X500Name leafName() {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Acme Co").addRDN(BCStyle.CN, "default").build();
    }

    private static Issued build(X500Name subject, KeyPair keys, X500Name issuer, KeyPair issuerKeys,
                                List<String> hosts, boolean server, boolean isCa) {
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, RANDOM),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(365))), subject,
                    keys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            if (isCa) {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                b.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.digitalSignature | KeyUsage.cRLSign));
            } else {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                b.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                b.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
                if (issuerKeys != keys) {
                    b.addExtension(Extension.authorityKeyIdentifier, false,
                            ext.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
                }
            }
            if (!hosts.isEmpty()) {
                List<GeneralName> names = new ArrayList<>();
                for (String h : hosts) {
                    names.add(DNS_NAME.matcher(h).matches() ? new GeneralName(GeneralName.dNSName, h)
                            : new GeneralName(GeneralName.uniformResourceIdentifier, h));
                }
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate());
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer));
            return new Issued(keys, cert);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("certificate generation failed", e);
        }
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048, RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PEM of a certificate, or of a private key (RSA keys as PKCS#1 "RSA PRIVATE KEY"). */
    public static String pem(Object o) {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    public static JsonNode secret(String ns, String name, Issued issued) {
        ObjectNode s = Json.object();
        s.put("apiVersion", "v1");
        s.put("kind", "Secret");
        s.putObject("metadata").put("name", name).put("namespace", ns);
        s.put("type", "kubernetes.io/tls");
        ObjectNode data = s.putObject("data");
        data.put("tls.crt", b64(issued.certPem()));
        data.put("tls.key", b64(issued.keyPem()));
        return s;
    }

    public static JsonNode caConfigMap(String ns, String name, Issued ca) {
        ObjectNode c = Json.object();
        c.put("apiVersion", "v1");
        c.put("kind", "ConfigMap");
        c.putObject("metadata").put("name", name).put("namespace", ns);
        ObjectNode data = c.putObject("data");
        data.put("ca.crt", ca.certPem());
        data.put("key.crt", ca.keyPem());
        return c;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
