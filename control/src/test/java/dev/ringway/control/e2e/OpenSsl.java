package dev.ringway.control.e2e;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code openssl s_client} handshakes, and the HTTPS example's {@code gen-secrets.sh}. */
final class OpenSsl {
    private OpenSsl() {
    }

    /** What one handshake showed: the server's certificate, the protocol, ALPN, the verify result. */
    record Handshake(X509Certificate certificate, String protocol, String alpn, String verify, String output) {
        String subject() {
            return certificate.getSubjectX500Principal().getName();
        }

        String issuer() {
            return certificate.getIssuerX500Principal().getName();
        }

        /** The DNS names of the subjectAltName extension. */
        List<String> dnsNames() {
            List<String> out = new ArrayList<>();
            try {
                var sans = certificate.getSubjectAlternativeNames();
                if (sans != null) {
                    for (List<?> san : sans) {
                        if (Integer.valueOf(2).equals(san.get(0))) {
                            out.add((String) san.get(1));
                        }
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return out;
        }
    }

    private static final Pattern PEM = Pattern.compile("-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----");

    /**
     * {@code openssl s_client -connect 127.0.0.1:PORT -servername SNI [args]}, verifying against {@code ca}
     * and the SNI as hostname; null when no certificate came back (failed handshake).
     */
    static Handshake connect(int port, String sni, Path ca, String... args) {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", sni, "-CAfile", ca.toString(), "-verify_hostname", sni));
        cmd.addAll(List.of(args));
        Curl.Output o = Curl.run(cmd);
        String out = o.stdout();
        Matcher m = PEM.matcher(out);
        if (!m.find()) {
            return new Handshake(null, null, null, null, out + o.stderr());
        }
        try {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(m.group().getBytes(StandardCharsets.US_ASCII)));
            return new Handshake(c, find(out, "(?m)^New, ([^,]+),"), find(out, "(?m)^ALPN protocol: (\\S+)"),
                    find(out, "(?m)Verify return code: (.*)$"), out);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String find(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        return m.find() ? m.group(1).trim() : null;
    }

    /** Runs {@code DIR/gen-secrets.sh DIR} (the example's script, as a user runs it). */
    static void genSecrets(Path dir) {
        Curl.Output o = Curl.run(List.of("bash", dir.resolve("gen-secrets.sh").toString(), dir.toString()));
        if (o.exit() != 0) {
            throw new IllegalStateException("gen-secrets.sh: " + o.stderr() + o.stdout());
        }
    }
}
