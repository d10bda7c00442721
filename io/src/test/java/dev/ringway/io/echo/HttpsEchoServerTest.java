package dev.ringway.io.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The HTTPS listener of {@link HttpEchoServer}: SNI, ALPN, TLS facts, client certificates. */
@ParameterizedClass(name = "{0} {1}")
@MethodSource("parameters")
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpsEchoServerTest {
    @Parameter(0)
    EchoTransport transport;

    @Parameter(1)
    EchoTls.Provider provider;

    private EchoRuntime runtime;
    private HttpEchoServer server;
    private HttpEchoServer mutualServer;

    static Stream<Arguments> parameters() {
        return TestTransports.transports().stream()
                .flatMap(t -> Stream.of(EchoTls.Provider.values()).map(p -> Arguments.of(t, p)));
    }

    @BeforeEach
    void start() throws IOException {
        runtime = EchoRuntime.create(transport, 1);
        EchoTls tls = TestCerts.serverTls().withProvider(provider);
        EchoIdentity identity = EchoIdentity.of("tls-backend-5d9f8c6b5-abcde", "gateway-conformance-infra");
        server = HttpEchoServer.start(runtime, HttpEchoConfig.builder(identity)
                .httpPort(0).https(0, tls).logSink(line -> {}).build());
        mutualServer = HttpEchoServer.start(runtime, HttpEchoConfig.builder(identity)
                .httpPort(0).https(0, tls.withClientCa(TestCerts.CA.certificatePem())).logSink(line -> {}).build());
    }

    @AfterEach
    void stop() {
        server.close();
        mutualServer.close();
        runtime.close();
    }

    private RawHttp connect(HttpEchoServer target, TestCerts.Issued clientCert, AtomicInteger certRequests,
            String serverName, List<String> alpn, List<String> protocols) throws Exception {
        return RawHttp.tls(target.httpsAddress().orElseThrow(), TestCerts.clientContext(clientCert, certRequests),
                serverName, alpn, protocols);
    }

    @Test
    void http11ReportsTlsFacts() throws Exception {
        AtomicInteger certRequests = new AtomicInteger();
        try (RawHttp https = connect(server, null, certRequests, TestCerts.SERVER_NAME, List.of("http/1.1"),
                List.of())) {
            JsonNode json = https.send(RawHttp.get("/tls?x=1")).read().json();
            assertThat(json.path("path").asText()).isEqualTo("/tls?x=1");
            assertThat(json.path("proto").asText()).isEqualTo("HTTP/1.1");
            JsonNode tls = json.path("tls");
            assertThat(tls.path("version").asText()).isEqualTo("TLSv1.3");
            assertThat(tls.path("serverName").asText()).isEqualTo(TestCerts.SERVER_NAME);
            assertThat(tls.path("negotiatedProtocol").asText()).isEqualTo("http/1.1");
            assertThat(tls.path("cipherSuite").asText())
                    .isEqualTo(((SSLSocket) https.socket()).getSession().getCipherSuite())
                    .startsWith("TLS_");
            assertThat(tls.has("peerCertificates")).isFalse();
            // same endpoints as the plain port, on the same connection
            assertThat(https.send(RawHttp.get("/health")).read().text()).isEqualTo("OK");
            assertThat(https.send(RawHttp.get("/status/418")).read().status()).isEqualTo(418);
        }
        assertThat(certRequests).hasValue(0);
    }

    @Test
    void withoutSniOrAlpn() throws Exception {
        try (RawHttp https = connect(server, null, new AtomicInteger(), null, List.of(), List.of())) {
            JsonNode tls = https.send(RawHttp.get("/")).read().json().path("tls");
            assertThat(tls.path("serverName").asText()).isEmpty();
            assertThat(tls.has("negotiatedProtocol")).isFalse();
        }
    }

    @Test
    void tls12() throws Exception {
        try (RawHttp https = connect(server, null, new AtomicInteger(), TestCerts.SERVER_NAME, List.of(),
                List.of("TLSv1.2"))) {
            JsonNode tls = https.send(RawHttp.get("/")).read().json().path("tls");
            assertThat(tls.path("version").asText()).isEqualTo("TLSv1.2");
            assertThat(tls.path("cipherSuite").asText())
                    .isEqualTo(((SSLSocket) https.socket()).getSession().getCipherSuite())
                    .startsWith("TLS_ECDHE_");
        }
    }

    @Test
    void http2ByAlpn() throws Exception {
        try (H2Client h2 = H2Client.tls(server.httpsAddress().orElseThrow(), TestCerts.SERVER_NAME, null)) {
            assertThat(h2.negotiatedProtocol()).isEqualTo("h2");
            JsonNode json = h2.get("/over-h2").json();
            assertThat(json.path("proto").asText()).isEqualTo("HTTP/2.0");
            assertThat(json.path("tls").path("negotiatedProtocol").asText()).isEqualTo("h2");
            assertThat(json.path("tls").path("serverName").asText()).isEqualTo(TestCerts.SERVER_NAME);
            // HTTPS routes endpoints over HTTP/2 too
            assertThat(h2.get("/health").text()).isEqualTo("OK");
            assertThat(h2.get("/status/418").status()).isEqualTo(418);
        }
    }

    @Test
    void clientCertificateIsRequestedAndEchoed() throws Exception {
        AtomicInteger certRequests = new AtomicInteger();
        try (RawHttp https = connect(mutualServer, TestCerts.CLIENT, certRequests, TestCerts.SERVER_NAME,
                List.of(), List.of())) {
            JsonNode peers = https.send(RawHttp.get("/")).read().json().path("tls").path("peerCertificates");
            assertThat(peers.size()).isEqualTo(1);
            assertThat(parse(peers.get(0).asText())).isEqualTo(TestCerts.CLIENT.certificate());
            assertThat(peers.get(0).asText()).startsWith("-----BEGIN CERTIFICATE-----\n")
                    .endsWith("\n-----END CERTIFICATE-----\n");
        }
        assertThat(certRequests.get()).isPositive();
    }

    @Test
    void clientCertificateOverHttp2() throws Exception {
        try (H2Client h2 = H2Client.tls(mutualServer.httpsAddress().orElseThrow(), TestCerts.SERVER_NAME,
                TestCerts.CLIENT)) {
            JsonNode peers = h2.get("/").json().path("tls").path("peerCertificates");
            assertThat(parse(peers.get(0).asText())).isEqualTo(TestCerts.CLIENT.certificate());
        }
    }

    @Test
    void clientCertificateIsOptional() throws Exception {
        AtomicInteger certRequests = new AtomicInteger();
        try (RawHttp https = connect(mutualServer, null, certRequests, TestCerts.SERVER_NAME, List.of(),
                List.of())) {
            RawHttp.Response response = https.send(RawHttp.get("/")).read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().path("tls").has("peerCertificates")).isFalse();
        }
        assertThat(certRequests.get()).isPositive();
    }

    @Test
    void clientCertificateFromAnotherCaIsRefused() {
        assertThatThrownBy(() -> {
            try (RawHttp https = connect(mutualServer, TestCerts.STRANGER, new AtomicInteger(),
                    TestCerts.SERVER_NAME, List.of(), List.of())) {
                https.send(RawHttp.get("/")).read();
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void retryResetOverTls() throws Exception {
        try (RawHttp https = connect(server, null, new AtomicInteger(), TestCerts.SERVER_NAME, List.of(),
                List.of())) {
            https.send(RawHttp.get("/retry/r?uuid=tls&succeedAfter=1"));
            assertThatThrownBy(https::read).isInstanceOf(IOException.class);
        }
        try (RawHttp https = connect(server, null, new AtomicInteger(), TestCerts.SERVER_NAME, List.of(),
                List.of())) {
            assertThat(https.send(RawHttp.get("/retry/r?uuid=tls&succeedAfter=1")).read().status()).isEqualTo(200);
        }
    }

    private static X509Certificate parse(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }
}
