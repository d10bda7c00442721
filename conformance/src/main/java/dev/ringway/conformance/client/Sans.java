package dev.ringway.conformance.client;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * Subject alternative names read with BouncyCastle: the JDK's {@code getSubjectAlternativeNames()} throws on the
 * URI SAN {@code *} that upstream's certificate generator produces (ECHO.md 8).
 */
public final class Sans {
    private Sans() {}

    /** "dns:NAME", "uri:URI", "ip:ADDR" entries. */
    public static List<String> of(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        byte[] ext = cert.getExtensionValue(Extension.subjectAlternativeName.getId());
        if (ext == null) {
            return out;
        }
        GeneralNames names = GeneralNames.getInstance(ASN1OctetString.getInstance(ext).getOctets());
        for (GeneralName n : names.getNames()) {
            switch (n.getTagNo()) {
                case GeneralName.dNSName -> out.add("dns:" + ASN1IA5String.getInstance(n.getName()).getString());
                case GeneralName.uniformResourceIdentifier ->
                        out.add("uri:" + ASN1IA5String.getInstance(n.getName()).getString());
                case GeneralName.iPAddress -> {
                    byte[] b = ASN1OctetString.getInstance(n.getName()).getOctets();
                    try {
                        out.add("ip:" + java.net.InetAddress.getByAddress(b).getHostAddress());
                    } catch (java.net.UnknownHostException e) {
                        // malformed: ignore
                    }
                }
                default -> { }
            }
        }
        return out;
    }

    public static List<String> dnsNames(X509Certificate cert) {
        return of(cert).stream().filter(s -> s.startsWith("dns:")).map(s -> s.substring(4)).toList();
    }
}
