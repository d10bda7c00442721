package dev.ringway.io;

import dev.ringway.core.route.AppProtocol;
import dev.ringway.core.route.Backend;
import dev.ringway.core.route.BackendTls;
import dev.ringway.core.route.CertificateBundle;
import dev.ringway.core.route.Snapshot;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** BackendTLSPolicy: TLS toward backends (trust, hostname, SANs, SNI, client certificate). */
class BackendTlsTest {
    private static Certs.Ca ca;
    private static Certs.Ca otherCa;
    private static CertificateBundle serverCert;
    private static CertificateBundle clientCert;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void certificates() throws Exception {
        ca = Certs.ca("tls-checks-ca");
        otherCa = Certs.ca("mismatch-ca");
        // As the conformance suite's tls-checks-certificate: two DNS names and a SPIFFE URI.
        serverCert = Certs.issue(ca, "ns/tls-checks-certificate", "default",
                List.of("abc.example.com", "other.example.com"), List.of("spiffe://abc.example.com/test-identity"), false);
        clientCert = Certs.issue(ca, "ns/tls-checks-client-certificate", "gateway-client", List.of(), List.of(), true);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private <T extends AutoCloseable> T track(T t) {
        closeables.add(t);
        return t;
    }

    /** A policy; {@code sans}: "URI:..." or a hostname; {@code trust} null: the system pool. */
    private static BackendTls policy(String hostname, Certs.Ca trust, List<String> sans) {
        List<BackendTls.SubjectAltName> typed = sans.stream().map(v -> v.startsWith("URI:")
                ? new BackendTls.SubjectAltName("URI", v.substring(4)) : new BackendTls.SubjectAltName("Hostname", v)).toList();
        return new BackendTls(hostname, trust == null ? new byte[0] : trust.pem(), trust == null, typed, "ns/policy");
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void verifiesTheBackendCertificate(String transport) throws Exception {
        TestBackend tls = track(new TestBackend("tls-backend", Certs.serverContext(serverCert, null, false, null)));
        int port = TestSupport.freePort();
        Snap snap = Snap.create();
        Backend ok = snap.backend("ns/ok:443", AppProtocol.HTTP1, policy("abc.example.com", ca, List.of()), tls.port);
        Backend wrongCa = snap.backend("ns/cert-mismatch:443", AppProtocol.HTTP1, policy("abc.example.com", otherCa, List.of()), tls.port);
        Backend wrongHost = snap.backend("ns/host-mismatch:443", AppProtocol.HTTP1, policy("mismatch.example.com", ca, List.of()), tls.port);
        Backend system = snap.backend("ns/system:443", AppProtocol.HTTP1, policy("abc.example.com", null, List.of()), tls.port);
        Backend sanDns = snap.backend("ns/san-dns:443", AppProtocol.HTTP1, policy("abc.example.com", ca, List.of("abc.example.com")), tls.port);
        Backend sanDnsBad = snap.backend("ns/san-dns-mismatch:443", AppProtocol.HTTP1, policy("abc.example.com", ca, List.of("dce.example.com")), tls.port);
        Backend sanUri = snap.backend("ns/san-uri:443", AppProtocol.HTTP1,
                policy("abc.example.com", ca, List.of("URI:spiffe://abc.example.com/test-identity")), tls.port);
        Backend sanUriBad = snap.backend("ns/san-uri-mismatch:443", AppProtocol.HTTP1,
                policy("abc.example.com", ca, List.of("URI:spiffe://def.example.com/test-identity")), tls.port);
        Backend sanMany = snap.backend("ns/multiple-sans:443", AppProtocol.HTTP1,
                policy("abc.example.com", ca, List.of("URI:spiffe://def.example.com/x", "abc.example.com")), tls.port);
        Backend sanManyBad = snap.backend("ns/multiple-mismatch:443", AppProtocol.HTTP1,
                policy("abc.example.com", ca, List.of("URI:spiffe://def.example.com/x", "def.example.com")), tls.port);
        // The SANs replace the hostname check: a hostname the certificate lacks is fine with a matching SAN.
        Backend sanOnly = snap.backend("ns/san-not-hostname:443", AppProtocol.HTTP1,
                policy("other-name.example.com", ca, List.of("URI:spiffe://abc.example.com/test-identity")), tls.port);
        Backend wildcard = snap.backend("ns/wildcard-san:443", AppProtocol.HTTP1, policy("abc.example.com", ca, List.of("*.example.com")), tls.port);
        snap.http(port)
                .rule().exact("/ok").to(ok).end()
                .rule().exact("/cert-mismatch").to(wrongCa).end()
                .rule().exact("/host-mismatch").to(wrongHost).end()
                .rule().exact("/system").to(system).end()
                .rule().exact("/san-dns").to(sanDns).end()
                .rule().exact("/san-dns-mismatch").to(sanDnsBad).end()
                .rule().exact("/san-uri").to(sanUri).end()
                .rule().exact("/san-uri-mismatch").to(sanUriBad).end()
                .rule().exact("/multiple-sans").to(sanMany).end()
                .rule().exact("/multiple-mismatch").to(sanManyBad).end()
                .rule().exact("/san-not-hostname").to(sanOnly).end()
                .rule().exact("/wildcard-san").to(wildcard);
        NettyDataPlane dp = track(TestSupport.dataPlane(transport));
        assertThat(dp.apply(snap.build()).toCompletableFuture().get(10, TimeUnit.SECONDS).failed()).isEmpty();

        try (RawHttp c = new RawHttp(port)) {
            for (int i = 0; i < 3; i++) {
                RawHttp.Response r = c.get("/ok", "abc.example.com");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.echo()).containsEntry("server", "tls-backend").containsEntry("sni", "abc.example.com")
                        .containsEntry("clientcert", "none").containsEntry("h:host", "abc.example.com");
            }
            int accepted = tls.accepts.get();
            assertThat(accepted).isEqualTo(1); // the TLS connection is pooled and reused
            assertThat(c.get("/cert-mismatch", "abc.example.com").status()).isEqualTo(502);
            assertThat(c.get("/host-mismatch", "abc.example.com").status()).isEqualTo(502);
            assertThat(c.get("/system", "abc.example.com").status()).isEqualTo(502);
            assertThat(c.get("/san-dns", "abc.example.com").status()).isEqualTo(200);
            assertThat(c.get("/san-dns-mismatch", "abc.example.com").status()).isEqualTo(502);
            assertThat(c.get("/san-uri", "abc.example.com").status()).isEqualTo(200);
            assertThat(c.get("/san-uri-mismatch", "abc.example.com").status()).isEqualTo(502);
            assertThat(c.get("/multiple-sans", "abc.example.com").status()).isEqualTo(200);
            assertThat(c.get("/multiple-mismatch", "abc.example.com").status()).isEqualTo(502);
            RawHttp.Response s = c.get("/san-not-hostname", "abc.example.com");
            assertThat(s.status()).isEqualTo(200);
            assertThat(s.echo()).containsEntry("sni", "other-name.example.com");
            assertThat(c.get("/wildcard-san", "abc.example.com").status()).isEqualTo(200);
            // Failures do not poison what works.
            assertThat(c.get("/ok", "abc.example.com").status()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void presentsTheGatewayClientCertificate(String transport) throws Exception {
        // As tls-backend-with-client-cert-validation: asks for a client certificate and verifies it.
        TestBackend optional = track(new TestBackend("optional", Certs.serverContext(serverCert, ca, false, null)));
        TestBackend required = track(new TestBackend("required", Certs.serverContext(serverCert, ca, true, null)));
        int withPort = TestSupport.freePort();
        int withoutPort = TestSupport.freePort();
        Snap snap = Snap.create();
        // The same backends behind two Gateways: one with spec.tls.backend.clientCertificateRef, one without.
        Backend opt = snap.backend("ns/optional:443", AppProtocol.HTTP1, policy("abc.example.com", ca, List.of()), optional.port);
        Backend req = snap.backend("ns/required:443", AppProtocol.HTTP1, policy("abc.example.com", ca, List.of()), required.port);
        snap.http(withPort).listener("http", null).backendClientCertificate(clientCert)
                .rule().exact("/optional").to(opt).end().rule().exact("/required").to(req);
        snap.http(withoutPort).listener("http", null)
                .rule().exact("/optional").to(opt).end().rule().exact("/required").to(req);
        NettyDataPlane dp = track(TestSupport.dataPlane(transport));
        assertThat(dp.apply(snap.build()).toCompletableFuture().get(10, TimeUnit.SECONDS).failed()).isEmpty();
        try (RawHttp c = new RawHttp(withPort)) {
            RawHttp.Response r = c.get("/optional", "abc.example.com");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.echo()).containsEntry("clientcert", "CN=gateway-client").containsEntry("sni", "abc.example.com");
            assertThat(c.get("/required", "abc.example.com").echo()).containsEntry("clientcert", "CN=gateway-client");
        }
        try (RawHttp c = new RawHttp(withoutPort)) {
            assertThat(c.get("/optional", "abc.example.com").echo()).containsEntry("clientcert", "none");
            assertThat(c.get("/required", "abc.example.com").status()).isEqualTo(502);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void h2OverTlsToBackends(String transport) throws Exception {
        ApplicationProtocolConfig alpn = new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2);
        H2TestBackend h2 = track(new H2TestBackend("h2tls", 100, Certs.serverContext(serverCert, null, false, alpn)));
        int port = TestSupport.freePort();
        Snap snap = Snap.create();
        Backend b = snap.backend("ns/h2tls:443", AppProtocol.H2C, policy("abc.example.com", ca, List.of()), h2.port);
        snap.http(port).rule().prefix("/").to(b);
        NettyDataPlane dp = track(TestSupport.dataPlane(transport));
        assertThat(dp.apply(snap.build()).toCompletableFuture().get(10, TimeUnit.SECONDS).failed()).isEmpty();
        try (RawHttp c = new RawHttp(port)) {
            for (int i = 0; i < 3; i++) {
                RawHttp.Response r = c.get("/x", "abc.example.com");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.echo()).containsEntry("version", "HTTP/2.0").containsEntry("scheme", "https")
                        .containsEntry("authority", "abc.example.com");
            }
        }
        assertThat(h2.accepts.get()).isEqualTo(1);
    }

    @Test
    void contextsAreCachedByContentAndBadSettingsMakeTheBackendUnusable() throws Exception {
        BackendTlsContexts ctxs = new BackendTlsContexts(io.netty.handler.ssl.SslProvider.JDK);
        Set<Object> used = new HashSet<>();
        Snap snap = Snap.create();
        Backend a = snap.backend("ns/a:443", AppProtocol.HTTP1, policy("abc.example.com", ca, List.of()), 1);
        Backend b = snap.backend("ns/b:443", AppProtocol.HTTP1,
                new BackendTls("abc.example.com", ca.pem().clone(), false, List.of(), "ns/other"), 2);
        UpstreamTarget ta = ctxs.target(a, null, used);
        UpstreamTarget tb = ctxs.target(b, null, used);
        assertThat(ta.ssl).isSameAs(tb.ssl);
        assertThat(ta).isEqualTo(tb);
        assertThat(ta.sni).isEqualTo("abc.example.com");
        Backend c = snap.backend("ns/c:443", AppProtocol.HTTP1, policy("abc.example.com", otherCa, List.of()), 3);
        assertThat(ctxs.target(c, null, used).ssl).isNotSameAs(ta.ssl);
        assertThat(ctxs.target(a, clientCert, used).ssl).isNotSameAs(ta.ssl);
        // A CA reference without a certificate cannot be used: the snapshot keeps serving the rest.
        Backend bad = snap.backend("ns/bad:443", AppProtocol.HTTP1,
                new BackendTls("abc.example.com", "not a pem".getBytes(), false, List.of(), "ns/bad"), 4);
        Snapshot s = snap.build();
        ServingState st = ServingState.of(s, null, ctxs);
        assertThat(st.target(bad, null).failure).isNotNull();
        assertThat(st.target(a, null).failure).isNull();
        assertThat(st.problems).anyMatch(p -> p.contains("ns/bad"));
    }

    @Test
    void nameRules() throws Exception {
        assertThat(BackendTlsContexts.Verifier.dnsMatches("abc.example.com", "ABC.example.com")).isTrue();
        assertThat(BackendTlsContexts.Verifier.dnsMatches("*.example.com", "abc.example.com")).isTrue();
        assertThat(BackendTlsContexts.Verifier.dnsMatches("*.example.com", "a.b.example.com")).isFalse();
        assertThat(BackendTlsContexts.Verifier.dnsMatches("*.example.com", "example.com")).isFalse();
        assertThat(BackendTlsContexts.Verifier.dnsMatches("*.com", "example.com")).isFalse();
        X509Certificate leaf = PemKeys.certificates(serverCert.certChainPem())[0];
        BackendTlsContexts.Verifier.checkNames(leaf, "other.example.com", List.of());
        assertThatThrownBy(() -> BackendTlsContexts.Verifier.checkNames(leaf, "default", List.of()))
                .isInstanceOf(CertificateException.class); // the CN is never used
        BackendTlsContexts.Verifier.checkNames(leaf, "x",
                List.of(new BackendTls.SubjectAltName("URI", "spiffe://abc.example.com/test-identity")));
        assertThatThrownBy(() -> BackendTlsContexts.Verifier.checkNames(leaf, "abc.example.com",
                List.of(new BackendTls.SubjectAltName("URI", "spiffe://abc.example.com/other")))).isInstanceOf(CertificateException.class);
    }
}
