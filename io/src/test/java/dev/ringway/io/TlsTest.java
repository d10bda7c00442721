package dev.ringway.io;

import dev.ringway.core.route.Backend;
import dev.ringway.core.route.CertificateBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ssl.SSLSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTPS termination: SNI certificate selection, ALPN, X-Forwarded-Proto, misdirected requests. */
class TlsTest {
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void sniSelectsTheListenerAndItsCertificate(String transport) throws Exception {
        TestBackend v1 = new TestBackend("v1");
        closeables.add(v1);
        TestBackend v2 = new TestBackend("v2");
        closeables.add(v2);
        TestBackend v3 = new TestBackend("v3");
        closeables.add(v3);
        CertificateBundle defCert = Certs.selfSigned("ns/default", Certs.KeyFormat.PKCS1_RSA, "default.example");
        CertificateBundle secondCert = Certs.selfSigned("ns/second", Certs.KeyFormat.SEC1_EC, "second-example.org");
        CertificateBundle wildCert = Certs.selfSigned("ns/wild", Certs.KeyFormat.PKCS8_RSA, "*.wildcard.org");
        int port = TestSupport.freePort();
        Snap snap = Snap.create();
        Backend b1 = snap.backend("ns/v1:80", v1.port);
        Backend b2 = snap.backend("ns/v2:80", v2.port);
        Backend b3 = snap.backend("ns/v3:80", v3.port);
        Snap.PortBuilder p = snap.https(port);
        p.listener("https", null).cert(defCert).rule().host("example.org").prefix("/").to(b1);
        p.listener("second", "second-example.org").cert(secondCert).rule().prefix("/").to(b2);
        p.listener("wild", "*.wildcard.org").cert(wildCert).rule().prefix("/").to(b3);
        NettyDataPlane dp = TestSupport.dataPlane(transport);
        closeables.add(dp);
        ApplyResult ar = dp.apply(snap.build()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(ar.failed()).isEmpty();

        try (SSLSocket s = Certs.connect(port, "second-example.org", "http/1.1")) {
            assertThat(Certs.peerCn(s)).isEqualTo("second-example.org");
            assertThat(s.getApplicationProtocol()).isEqualTo("http/1.1");
            assertThat(s.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
            RawHttp c = new RawHttp(s);
            RawHttp.Response r = c.get("/x", "second-example.org");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.echo()).containsEntry("server", "v2").containsEntry("h:x-forwarded-proto", "https");
            // Host of another listener on this port: 421.
            assertThat(c.get("/x", "example.org").status()).isEqualTo(421);
            assertThat(c.get("/x", "unknown-example.org").status()).isEqualTo(421);
            // The connection survives a 421.
            assertThat(c.get("/y", "second-example.org").status()).isEqualTo(200);
        }
        try (SSLSocket s = Certs.connect(port, "example.org")) {
            assertThat(Certs.peerCn(s)).isEqualTo("default.example");
            RawHttp c = new RawHttp(s);
            assertThat(c.get("/x", "example.org").echo()).containsEntry("server", "v1");
            assertThat(c.get("/x", "second-example.org").status()).isEqualTo(421);
            assertThat(c.get("/x", "unknown-example.org").status()).isEqualTo(404);
        }
        try (SSLSocket s = Certs.connect(port, "third.wildcard.org")) {
            assertThat(Certs.peerCn(s)).isEqualTo("*.wildcard.org");
            RawHttp c = new RawHttp(s);
            assertThat(c.get("/x", "fifth.wildcard.org").echo()).containsEntry("server", "v3");
            assertThat(c.get("/x", "second-example.org").status()).isEqualTo(421);
        }
        // No SNI: the catch-all listener's certificate; no misdirection check without SNI.
        try (SSLSocket s = Certs.connect(port, null)) {
            assertThat(Certs.peerCn(s)).isEqualTo("default.example");
            RawHttp c = new RawHttp(s);
            assertThat(c.get("/x", "second-example.org").echo()).containsEntry("server", "v2");
        }
        // Certificate rotation: a new snapshot with a new certificate serves new handshakes.
        CertificateBundle rotated = Certs.selfSigned("ns/second", Certs.KeyFormat.SEC1_EC, "second-example.org", "rotated.example");
        Snap snap2 = Snap.create().version(2);
        Backend c2 = snap2.backend("ns/v2:80", v2.port);
        snap2.https(port).listener("second", "second-example.org").cert(rotated).rule().prefix("/").to(c2);
        dp.apply(snap2.build()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        try (SSLSocket s = Certs.connect(port, "second-example.org")) {
            java.security.cert.X509Certificate cert = (java.security.cert.X509Certificate) s.getSession().getPeerCertificates()[0];
            assertThat(cert.getSubjectAlternativeNames()).hasSize(2);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void passthroughForwardsTheTlsStreamUntouched(String transport) throws Exception {
        // A TLS echo backend with its own certificate.
        CertificateBundle backendCert = Certs.selfSigned("ns/backend", Certs.KeyFormat.PKCS8_RSA, "pass.example");
        java.security.cert.X509Certificate[] chain = PemKeys.certificates(backendCert.certChainPem());
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", PemKeys.privateKey(backendCert.privateKeyPem()), new char[0], chain);
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, new char[0]);
        javax.net.ssl.SSLContext sc = javax.net.ssl.SSLContext.getInstance("TLS");
        sc.init(kmf.getKeyManagers(), null, null);
        javax.net.ssl.SSLServerSocket server = (javax.net.ssl.SSLServerSocket) sc.getServerSocketFactory()
                .createServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
        closeables.add(server);
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    java.net.Socket s = server.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                        } catch (java.io.IOException ignored) {
                            // closed
                        }
                    });
                } catch (java.io.IOException e) {
                    return;
                }
            }
        });
        TestBackend v1 = new TestBackend("v1");
        closeables.add(v1);
        CertificateBundle gwCert = Certs.selfSigned("ns/gw", Certs.KeyFormat.SEC1_EC, "gateway.example");
        int port = TestSupport.freePort();
        Snap snap = Snap.create();
        Backend pass = snap.backend("ns/pass:443", server.getLocalPort());
        Backend b1 = snap.backend("ns/v1:80", v1.port);
        Snap.PortBuilder p = snap.https(port);
        p.listener("https", "gateway.example").cert(gwCert).rule().prefix("/").to(b1);
        p.passthrough("tls-pass", "pass.example", pass);
        NettyDataPlane dp = TestSupport.dataPlane(transport);
        closeables.add(dp);
        assertThat(dp.apply(snap.build()).toCompletableFuture().get(10, TimeUnit.SECONDS).failed()).isEmpty();
        try (SSLSocket s = Certs.connect(port, "pass.example")) {
            assertThat(Certs.peerCn(s)).isEqualTo("pass.example"); // the backend's certificate, end to end
            s.getOutputStream().write("ping\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            assertThat(new String(s.getInputStream().readNBytes(5), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ping\n");
        }
        try (SSLSocket s = Certs.connect(port, "gateway.example")) {
            assertThat(Certs.peerCn(s)).isEqualTo("gateway.example");
            assertThat(new RawHttp(s).get("/", "gateway.example").echo()).containsEntry("server", "v1");
        }
    }
}
