package dev.ringway.conformance.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringway.conformance.cluster.Certificates;
import dev.ringway.conformance.model.Protocol;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Client TLS per SCHEMA 8.9 against a JDK TLS server. */
class TlsClientTest {
    static Certificates.Issued ca;
    static Certificates.Issued selfSignedWildcard;
    static Certificates.Issued leafByCa;
    static Certificates.Issued clientByCa;
    static Certificates.Issued otherCa;

    SSLServerSocket server;
    final AtomicReference<String> peer = new AtomicReference<>();

    @BeforeAll
    static void certs() {
        ca = Certificates.ca();
        otherCa = Certificates.ca();
        selfSignedWildcard = Certificates.selfSigned(List.of("*", "*.org", "*.wildcard.org"), true);
        leafByCa = Certificates.signed(ca, List.of("abc.example.com", "spiffe://abc.example.com/x"), true);
        clientByCa = Certificates.signed(ca, List.of(), false);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** A one-request-per-connection HTTPS server answering 200 with whether a client certificate came. */
    int serve(Certificates.Issued cert, boolean wantClientAuth) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", cert.keys().getPrivate(), "p".toCharArray(), new Certificate[] {cert.cert()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "p".toCharArray());
        X509TrustManager trustAll = new X509TrustManager() {
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {}
            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {}
            public java.security.cert.X509Certificate[] getAcceptedIssuers() { return new java.security.cert.X509Certificate[0]; }
        };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), new TrustManager[] {trustAll}, null);
        server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 10, InetAddress.getLoopbackAddress());
        server.setWantClientAuth(wantClientAuth);
        Thread.startVirtualThread(() -> {
            while (!server.isClosed()) {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    InputStream in = new BufferedInputStream(s.getInputStream());
                    while (true) {
                        String line = Http1Client.readLine(in);
                        if (line == null || line.isEmpty()) {
                            break;
                        }
                    }
                    String who;
                    try {
                        who = ((java.security.cert.X509Certificate) s.getSession().getPeerCertificates()[0])
                                .getSerialNumber().toString();
                    } catch (Exception e) {
                        who = "none";
                    }
                    peer.set(who);
                    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                            + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body);
                    out.flush();
                } catch (Exception e) {
                    // handshake failures are expected in some tests
                }
            }
        });
        return server.getLocalPort();
    }

    HttpResult get(int port, TlsConfig tls) throws TransportException {
        return Http1Client.send(new HttpCall(Protocol.HTTPS, InetAddress.getLoopbackAddress(), port, "GET", "h", "/",
                List.of(), null, tls, Duration.ofSeconds(5)));
    }

    @Test
    void trustsASelfSignedLeafAndMatchesWildcardsTheGoWay() throws Exception {
        int port = serve(selfSignedWildcard, false);
        List<java.security.cert.X509Certificate> roots = List.of(selfSignedWildcard.cert());
        assertThat(get(port, new TlsConfig("example.org", roots, null, null, null)).status()).isEqualTo(200);
        assertThat(get(port, new TlsConfig("third.wildcard.org", roots, null, null, null)).status()).isEqualTo(200);
        // '*' matches exactly one label; URI SAN '*' and the CN are ignored
        assertThatThrownBy(() -> get(port, new TlsConfig("a.b.example.org", roots, null, null, null)))
                .hasMessageContaining("not valid for a.b.example.org");
        assertThatThrownBy(() -> get(port, new TlsConfig("example.com", roots, null, null, null)))
                .hasMessageContaining("not valid for example.com");
        // not trusted without the certificate
        assertThatThrownBy(() -> get(port, new TlsConfig("example.org", List.of(otherCa.cert()), null, null, null)))
                .hasMessageContaining("unknown authority");
    }

    @Test
    void trustsACaSignedLeafGivenAsRootAndItsCa() throws Exception {
        int port = serve(leafByCa, false);
        assertThat(get(port, new TlsConfig("abc.example.com", List.of(leafByCa.cert()), null, null, null)).status())
                .isEqualTo(200);
        assertThat(get(port, new TlsConfig("abc.example.com", List.of(ca.cert()), null, null, null)).status())
                .isEqualTo(200);
        assertThatThrownBy(() -> get(port, new TlsConfig("abc.example.com", List.of(otherCa.cert()), null, null, null)))
                .hasMessageContaining("unknown authority");
    }

    @Test
    void recordsCertificateRequestsAndOffersTheClientCertificate() throws Exception {
        int port = serve(leafByCa, true);
        TlsConfig withCert = new TlsConfig("abc.example.com", List.of(ca.cert()), List.of(clientByCa.cert()),
                clientByCa.keys().getPrivate(), null);
        HttpResult r = get(port, withCert);
        assertThat(r.clientCertRequested()).isTrue();
        assertThat(peer.get()).isEqualTo(clientByCa.cert().getSerialNumber().toString());
        HttpResult none = get(port, new TlsConfig("abc.example.com", List.of(ca.cert()), null, null, null));
        assertThat(none.clientCertRequested()).isTrue();
        assertThat(peer.get()).isEqualTo("none");
        stop();
        int port2 = serve(leafByCa, false);
        assertThat(get(port2, withCert).clientCertRequested()).isFalse();
    }

    @Test
    void pemRoundTrip() {
        assertThat(Pem.certificates(selfSignedWildcard.certPem())).containsExactly(selfSignedWildcard.cert());
        assertThat(Pem.privateKey(selfSignedWildcard.keyPem())).isEqualTo(selfSignedWildcard.keys().getPrivate());
    }

    @Test
    void goHostnameRules() {
        assertThat(TlsConfig.matchHostname("*.org", "example.org")).isTrue();
        assertThat(TlsConfig.matchHostname("*.org", "a.example.org")).isFalse();
        assertThat(TlsConfig.matchHostname("*.Example.com", "x.example.com")).isTrue();
        assertThat(TlsConfig.matchHostname("a.*.com", "a.b.com")).isFalse();
        assertThat(TlsConfig.matchHostname("abc.example.com", "abc.example.com")).isTrue();
    }
}
