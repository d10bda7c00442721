package dev.ringway.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * PEM parsing for Kubernetes TLS Secrets without extra libraries: certificate chains, and private
 * keys in PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}, cert-manager's default) or
 * SEC1 ({@code EC PRIVATE KEY}) form; the latter two are wrapped into PKCS#8 for the JDK key factories.
 */
final class PemKeys {
    private PemKeys() {
    }

    private static final byte[] RSA_OID = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    private static final byte[] EC_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    static X509Certificate[] certificates(byte[] pem) throws GeneralSecurityException {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (byte[] der : blocks(pem, "CERTIFICATE")) {
            out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
        }
        if (out.isEmpty()) {
            throw new GeneralSecurityException("no CERTIFICATE block in PEM");
        }
        return out.toArray(X509Certificate[]::new);
    }

    static PrivateKey privateKey(byte[] pem) throws GeneralSecurityException {
        return privateKey(pem, null);
    }

    /**
     * The private key of a PEM block; {@code leaf} (the certificate it belongs to) supplies the
     * curve of a SEC1 EC key written without its parameters.
     */
    static PrivateKey privateKey(byte[] pem, X509Certificate leaf) throws GeneralSecurityException {
        String text = new String(pem, StandardCharsets.US_ASCII);
        if (text.contains("-----BEGIN PRIVATE KEY-----")) {
            byte[] der = blocks(pem, "PRIVATE KEY").getFirst();
            for (String alg : new String[]{"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
                try {
                    return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
                } catch (GeneralSecurityException e) {
                    // try the next algorithm
                }
            }
            throw new GeneralSecurityException("unsupported PKCS#8 private key");
        }
        if (text.contains("-----BEGIN RSA PRIVATE KEY-----")) {
            byte[] der = blocks(pem, "RSA PRIVATE KEY").getFirst();
            byte[] algId = seq(concat(RSA_OID, new byte[]{0x05, 0x00}));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8(algId, der)));
        }
        if (text.contains("-----BEGIN EC PRIVATE KEY-----")) {
            byte[] der = blocks(pem, "EC PRIVATE KEY").getFirst();
            byte[] curve = ecCurveOid(der);
            if (curve == null) {
                if (leaf != null && leaf.getPublicKey() instanceof java.security.interfaces.ECPublicKey ecPub) {
                    return KeyFactory.getInstance("EC").generatePrivate(
                            new java.security.spec.ECPrivateKeySpec(ecPrivateScalar(der), ecPub.getParams()));
                }
                throw new GeneralSecurityException("EC private key without named curve parameters");
            }
            byte[] algId = seq(concat(EC_OID, curve));
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8(algId, der)));
        }
        throw new GeneralSecurityException("no supported private key block in PEM");
    }

    static List<byte[]> blocks(byte[] pem, String type) {
        String text = new String(pem, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        while ((i = text.indexOf(begin, i)) >= 0) {
            int j = text.indexOf(end, i);
            if (j < 0) {
                break;
            }
            String b64 = text.substring(i + begin.length(), j).replaceAll("\\s", "");
            out.add(Base64.getDecoder().decode(b64));
            i = j + end.length();
        }
        return out;
    }

    private static byte[] pkcs8(byte[] algId, byte[] key) {
        return seq(concat(new byte[]{0x02, 0x01, 0x00}, algId, tlv(0x04, key)));
    }

    /** The namedCurve OID TLV inside a SEC1 ECPrivateKey's {@code [0] parameters}. */
    private static byte[] ecCurveOid(byte[] der) throws GeneralSecurityException {
        int[] pos = {0};
        expect(der, pos, 0x30);
        int seqLen = length(der, pos);
        int end = pos[0] + seqLen;
        while (pos[0] < end) {
            int tag = der[pos[0]++] & 0xff;
            int len = length(der, pos);
            if (tag == 0xa0) {
                byte[] out = new byte[len];
                System.arraycopy(der, pos[0], out, 0, len);
                return out; // the OID TLV
            }
            pos[0] += len;
        }
        return null;
    }

    /** The private scalar of a SEC1 ECPrivateKey (its OCTET STRING). */
    private static java.math.BigInteger ecPrivateScalar(byte[] der) throws GeneralSecurityException {
        int[] pos = {0};
        expect(der, pos, 0x30);
        int end = length(der, pos) + pos[0];
        while (pos[0] < end) {
            int tag = der[pos[0]++] & 0xff;
            int len = length(der, pos);
            if (tag == 0x04) {
                byte[] k = new byte[len];
                System.arraycopy(der, pos[0], k, 0, len);
                return new java.math.BigInteger(1, k);
            }
            pos[0] += len;
        }
        throw new GeneralSecurityException("malformed EC private key");
    }

    private static void expect(byte[] der, int[] pos, int tag) throws GeneralSecurityException {
        if ((der[pos[0]++] & 0xff) != tag) {
            throw new GeneralSecurityException("malformed DER");
        }
    }

    private static int length(byte[] der, int[] pos) {
        int b = der[pos[0]++] & 0xff;
        if (b < 0x80) {
            return b;
        }
        int n = b & 0x7f;
        int len = 0;
        for (int k = 0; k < n; k++) {
            len = (len << 8) | (der[pos[0]++] & 0xff);
        }
        return len;
    }

    private static byte[] seq(byte[] content) {
        return tlv(0x30, content);
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(content.length + 6);
        o.write(tag);
        int len = content.length;
        if (len < 0x80) {
            o.write(len);
        } else if (len < 0x100) {
            o.write(0x81);
            o.write(len);
        } else if (len < 0x10000) {
            o.write(0x82);
            o.write(len >> 8);
            o.write(len);
        } else {
            o.write(0x83);
            o.write(len >> 16);
            o.write(len >> 8);
            o.write(len);
        }
        o.writeBytes(content);
        return o.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }
}
