package dev.ringway.io;

import dev.ringway.core.route.Backend;
import dev.ringway.core.route.CertificateBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ssl.SSLSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Frontend client-certificate validation ({@code spec.tls.frontend}): AllowValidOnly and AllowInsecureFallback. */
class FrontendValidationTest {
    private static Certs.Ca ca;
    private static Certs.Ca otherCa;
    private static CertificateBundle serverCert;
    private static CertificateBundle goodClient;
    private static CertificateBundle otherClient;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void certificates() throws Exception {
        ca = Certs.ca("tls-validity-checks-ca");
        otherCa = Certs.ca("per-port-ca");
        serverCert = Certs.selfSigned("ns/tls-validity-checks-certificate", Certs.KeyFormat.PKCS1_RSA, "*.org", "example.org");
        goodClient = Certs.issue(ca, "ns/client", "good-client", List.of(), List.of(), true);
        otherClient = Certs.issue(otherCa, "ns/other-client", "other-client", List.of(), List.of(), true);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private int start(String transport, boolean insecureFallback) throws Exception {
        TestBackend v1 = new TestBackend("v1");
        closeables.add(v1);
        int port = TestSupport.freePort();
        Snap snap = Snap.create();
        Backend b = snap.backend("ns/v1:8080", v1.port);
        snap.https(port).listener("https", null).cert(serverCert).clientValidation(ca.pem(), insecureFallback)
                .rule().prefix("/").to(b);
        NettyDataPlane dp = TestSupport.dataPlane(transport);
        closeables.add(dp);
        assertThat(dp.apply(snap.build()).toCompletableFuture().get(10, TimeUnit.SECONDS).failed()).isEmpty();
        return port;
    }

    /** The status of a GET over a connection offering {@code client}, or -1 when the connection failed. */
    private static int get(int port, CertificateBundle client, AtomicBoolean asked) {
        try (SSLSocket s = Certs.connectWithClientCert(port, "example.org", client, asked)) {
            RawHttp c = new RawHttp(s);
            return c.get("/", "example.org").status();
        } catch (Exception e) {
            return -1; // handshake alert, reset or EOF (TLS 1.3 reports a refused certificate after the client's Finished)
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void allowValidOnlyRequiresACertificateFromTheCa(String transport) throws Exception {
        int port = start(transport, false);
        AtomicBoolean asked = new AtomicBoolean();
        assertThat(get(port, goodClient, asked)).isEqualTo(200);
        assertThat(asked).isTrue();
        assertThat(get(port, otherClient, new AtomicBoolean())).isEqualTo(-1);
        assertThat(get(port, null, new AtomicBoolean())).isEqualTo(-1);
        assertThat(get(port, goodClient, new AtomicBoolean())).isEqualTo(200);
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void allowInsecureFallbackAsksButLetsEveryoneIn(String transport) throws Exception {
        int port = start(transport, true);
        AtomicBoolean asked = new AtomicBoolean();
        assertThat(get(port, goodClient, asked)).isEqualTo(200);
        assertThat(asked).isTrue();
        AtomicBoolean asked2 = new AtomicBoolean();
        assertThat(get(port, otherClient, asked2)).isEqualTo(200); // a certificate of another CA: still in
        assertThat(asked2).isTrue();
        AtomicBoolean asked3 = new AtomicBoolean();
        assertThat(get(port, null, asked3)).isEqualTo(200); // none at all: in
        assertThat(asked3).isTrue();
    }
}
