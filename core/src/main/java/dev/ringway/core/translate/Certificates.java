package dev.ringway.core.translate;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;

/**
 * Checks that PEM material from Secrets and ConfigMaps is usable before it reaches the data plane,
 * so a malformed certificate is a status condition ({@code InvalidCertificateRef}), not a failed
 * handshake. Plain JDK: X.509 via {@link CertificateFactory}; private keys by PEM structure.
 */
final class Certificates {
    private Certificates() {
    }

    // Fixed PEM framing written by us, not user input, so java.util.regex is fine here.
    private static final java.util.regex.Pattern KEY_BLOCK = java.util.regex.Pattern.compile(
            "-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    /** Parsed certificates of a PEM bundle; throws IllegalArgumentException with why when unusable. */
    static List<X509Certificate> parseCertificates(byte[] pem) {
        if (pem == null || pem.length == 0) {
            throw new IllegalArgumentException("no certificate data");
        }
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            Collection<? extends java.security.cert.Certificate> certs = cf.generateCertificates(new ByteArrayInputStream(pem));
            List<X509Certificate> out = new ArrayList<>();
            for (java.security.cert.Certificate c : certs) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException("no PEM certificate found");
            }
            return out;
        } catch (CertificateException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("malformed certificate: " + e.getMessage());
        }
    }

    /** Checks a PEM private key block is present and base64-decodable. */
    static void checkPrivateKey(byte[] pem) {
        if (pem == null || pem.length == 0) {
            throw new IllegalArgumentException("no private key data");
        }
        Matcher m = KEY_BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
        if (!m.find()) {
            throw new IllegalArgumentException("no PEM private key found");
        }
        if (m.group(1).startsWith("ENCRYPTED")) {
            throw new IllegalArgumentException("encrypted private keys are not supported");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2).replaceAll("\\s", ""));
            if (der.length < 32) {
                throw new IllegalArgumentException("private key too short");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed private key: " + e.getMessage());
        }
    }

    /** DNS subject alternative names of the leaf certificate. */
    static List<String> dnsNames(X509Certificate leaf) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(2).equals(san.get(0))) {
                        out.add(String.valueOf(san.get(1)).toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            // no SANs usable: the certificate is still served as the listener's default
        }
        return out;
    }
}
