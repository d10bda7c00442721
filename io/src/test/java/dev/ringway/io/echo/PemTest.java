package dev.ringway.io.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PemTest {

    private static String pkcs8(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    @Test
    void readsPkcs1AndPkcs8RsaKeys() throws Exception {
        String pkcs1 = TestCerts.SERVER.keyPem();
        assertThat(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        PrivateKey fromPkcs1 = Pem.privateKey(pkcs1);
        assertThat(fromPkcs1.getEncoded()).isEqualTo(TestCerts.SERVER.key().getEncoded());
        assertThat(Pem.privateKey(pkcs8(TestCerts.SERVER.key())).getEncoded())
                .isEqualTo(TestCerts.SERVER.key().getEncoded());
    }

    @Test
    void readsPkcs8EcKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        PrivateKey key = generator.generateKeyPair().getPrivate();
        assertThat(Pem.privateKey(pkcs8(key)).getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void readsChainsInOrderAndWritesGoStylePem() throws Exception {
        String chain = TestCerts.SERVER.certificatePem() + "junk between blocks\n" + TestCerts.CA.certificatePem();
        assertThat(Pem.certificates(chain))
                .containsExactly(TestCerts.SERVER.certificate(), TestCerts.CA.certificate());
        String written = Pem.encode(TestCerts.CLIENT.certificate());
        assertThat(written).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("\n-----END CERTIFICATE-----\n");
        assertThat(written.lines().filter(l -> !l.startsWith("-----")).allMatch(l -> l.length() <= 64)).isTrue();
        assertThat(Pem.certificates(written)).containsExactly(TestCerts.CLIENT.certificate());
    }

    @Test
    void rejectsMissingBlocks() {
        assertThatThrownBy(() -> Pem.privateKey(TestCerts.CA.certificatePem()))
                .isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> Pem.certificates("nothing")).isInstanceOf(GeneralSecurityException.class);
    }
}
