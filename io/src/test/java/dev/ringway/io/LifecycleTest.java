package dev.ringway.io;

import dev.ringway.core.route.Backend;
import dev.ringway.core.route.BindAddress;
import dev.ringway.core.route.CertificateBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Snapshot swaps, listener (re)binding, metrics, drain and the L4 forwarders. */
class LifecycleTest {
    private final List<AutoCloseable> closeables = new ArrayList<>();

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

    private static ApplyResult apply(NettyDataPlane dp, Snap s) throws Exception {
        return dp.apply(s.build()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void inFlightRequestFinishesOnItsSnapshotAndTheNextUsesTheNewOne(String transport) throws Exception {
        TestBackend a = track(new TestBackend("a"));
        TestBackend b = track(new TestBackend("b"));
        int port = TestSupport.freePort();
        NettyDataPlane dp = track(TestSupport.dataPlane(transport));
        Snap s1 = Snap.create().version(1);
        s1.http(port).rule().prefix("/").to(s1.backend("ns/a:80", a.port));
        apply(dp, s1);
        try (RawHttp c = new RawHttp(port)) {
            // Head now, body after the swap: the request was routed on snapshot 1.
            c.send("POST /in-flight HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\n");
            await().until(() -> a.requests.get() == 1);
            Snap s2 = Snap.create().version(2);
            s2.http(port).rule().prefix("/").to(s2.backend("ns/b:80", b.port));
            ApplyResult r = apply(dp, s2);
            assertThat(r.version()).isEqualTo(2);
            assertThat(dp.current().version()).isEqualTo(2);
            c.send("body");
            RawHttp.Response first = c.read(false);
            assertThat(first.echo()).containsEntry("server", "a").containsEntry("bytes", "4");
            // Same keep-alive connection, next request: snapshot 2.
            assertThat(c.get("/next", "h").echo()).containsEntry("server", "b");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void rebindingKeepsUnchangedSocketsAndTheirConnections(String transport) throws Exception {
        TestBackend a = track(new TestBackend("a"));
        int p1 = TestSupport.freePort();
        int p2 = TestSupport.freePort();
        int p3 = TestSupport.freePort();
        NettyDataPlane dp = track(TestSupport.dataPlane(transport));
        Snap s1 = Snap.create().version(1);
        Backend ba = s1.backend("ns/a:80", a.port);
        s1.http(p1).rule().prefix("/").to(ba);
        s1.http(p2).rule().prefix("/").to(ba);
        ApplyResult r1 = apply(dp, s1);
        assertThat(r1.bound()).containsExactlyInAnyOrder(Snap.addr(p1), Snap.addr(p2));
        try (RawHttp keep = new RawHttp(p1)) {
            assertThat(keep.get("/1", "h").status()).isEqualTo(200);
            // p1 stays (with a different route), p2 goes, p3 comes.
            Snap s2 = Snap.create().version(2);
            Backend ba2 = s2.backend("ns/a:80", a.port);
            s2.http(p1).rule().prefix("/only").to(ba2);
            s2.http(p3).rule().prefix("/").to(ba2);
            ApplyResult r2 = apply(dp, s2);
            assertThat(r2.bound()).containsExactlyInAnyOrder(Snap.addr(p1), Snap.addr(p3));
            assertThat(r2.failed()).isEmpty();
            assertThat(keep.get("/1", "h").status()).isEqualTo(404);
            assertThat(keep.get("/only", "h").status()).isEqualTo(200);
            assertThatThrownBy(() -> new RawHttp(p2).close()).isInstanceOf(IOException.class);
            try (RawHttp c3 = new RawHttp(p3)) {
                assertThat(c3.get("/x", "h").status()).isEqualTo(200);
            }
            // The kind of an address changes (HTTP -> HTTPS): new connections speak TLS, the old one
            // keeps its protocol until it closes.
            CertificateBundle cert = Certs.selfSigned("ns/c", Certs.KeyFormat.SEC1_EC, "tls.example");
            Snap s3 = Snap.create().version(3);
            Backend ba3 = s3.backend("ns/a:80", a.port);
            s3.https(p1).listener("https", null).cert(cert).rule().prefix("/").to(ba3);
            apply(dp, s3);
            try (SSLSocket tls = Certs.connect(p1, "tls.example")) {
                RawHttp c = new RawHttp(tls);
                assertThat(c.get("/t", "tls.example").echo()).containsEntry("h:x-forwarded-proto", "https");
            }
            RawHttp.Response old = keep.get("/only", "h");
            assertThat(old.status()).isEqualTo(200);
        }
        // A port in use by someone else is reported as failed, the others are bound.
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Snap s4 = Snap.create().version(4);
            Backend b4 = s4.backend("ns/a:80", a.port);
            s4.http(taken.getLocalPort()).rule().prefix("/").to(b4);
            s4.http(p3).rule().prefix("/").to(b4);
            ApplyResult r4 = apply(dp, s4);
            assertThat(r4.failed()).containsOnlyKeys(Snap.addr(taken.getLocalPort()));
            assertThat(r4.bound()).containsExactly(Snap.addr(p3));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void theBackendsPartOfARequestIsMeasured(String transport) throws Exception {
        TestBackend a = track(new TestBackend("a"));
        int port = TestSupport.freePort();
        NettyDataPlane dp = track(TestSupport.dataPlane(transport));
        Snap s = Snap.create();
        s.http(port).rule().prefix("/").to(s.backend("ns/a:80", a.port));
        apply(dp, s);
        try (RawHttp c = new RawHttp(port)) {
            assertThat(c.get("/delay?ms=300", "h").status()).isEqualTo(200); // the backend waits 300 ms
        }
        String series = "{listener=\"ns/gw/http\",route=\"ns/route0/0\",backend=\"ns/a:80\"";
        await().untilAsserted(() -> {
            StringBuilder sb = new StringBuilder();
            dp.writeMetrics(sb);
            String m = sb.toString();
            assertThat(m).contains("ringway_http_upstream_duration_seconds_count" + series + "} 1")
                    .contains("ringway_http_upstream_duration_seconds_bucket" + series + ",le=\"0.25\"} 0");
            double upstream = sum(m, "ringway_http_upstream_duration_seconds_sum" + series + "} ");
            double total = sum(m, "ringway_http_request_duration_seconds_sum" + series + "} ");
            assertThat(upstream).isGreaterThanOrEqualTo(0.3).isLessThanOrEqualTo(total);
        });
    }

    private static double sum(String metrics, String prefix) {
        int i = metrics.indexOf(prefix);
        assertThat(i).as(prefix).isGreaterThanOrEqualTo(0);
        int start = i + prefix.length();
        return Double.parseDouble(metrics.substring(start, metrics.indexOf('\n', start)));
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void metricsAreRecorded(String transport) throws Exception {
        TestBackend a = track(new TestBackend("a"));
        int port = TestSupport.freePort();
        NettyDataPlane dp = track(TestSupport.dataPlane(transport));
        Snap s = Snap.create();
        s.http(port).rule().prefix("/").to(s.backend("ns/a:80", a.port)).end()
                .rule().prefix("/down").to(s.backend("ns/down:80", TestSupport.freePort()));
        apply(dp, s);
        try (RawHttp c = new RawHttp(port)) {
            for (int i = 0; i < 3; i++) {
                assertThat(c.get("/ok", "h").status()).isEqualTo(200);
            }
            assertThat(c.get("/status/404", "h").status()).isEqualTo(404);
            assertThat(c.get("/down", "h").status()).isEqualTo(503);
            await().untilAsserted(() -> {
            StringBuilder sb = new StringBuilder();
            dp.writeMetrics(sb);
            String m = sb.toString();
            assertThat(m).contains("ringway_http_responses_total{listener=\"ns/gw/http\",code=\"2xx\"} 3")
                    .contains("ringway_http_responses_total{listener=\"ns/gw/http\",code=\"4xx\"} 1")
                    .contains("ringway_http_responses_total{listener=\"ns/gw/http\",code=\"5xx\"} 1")
                    .contains("ringway_http_request_duration_seconds_count{listener=\"ns/gw/http\",route=\"ns/route0/0\",backend=\"ns/a:80\"} 4")
                    .contains("ringway_http_request_duration_seconds_bucket{listener=\"ns/gw/http\",route=\"ns/route0/0\",backend=\"ns/a:80\",le=\"+Inf\"} 4")
                    // the backend answered all four; the 503 for the unreachable backend was the gateway's own
                    .contains("ringway_http_upstream_duration_seconds_count{listener=\"ns/gw/http\",route=\"ns/route0/0\",backend=\"ns/a:80\"} 4")
                    .containsPattern("ringway_http_upstream_duration_seconds_count\\{[^}]*backend=\"ns/down:80\"\\} 0\n")
                    .containsPattern("ringway_http_request_duration_seconds_count\\{[^}]*backend=\"ns/down:80\"\\} 1\n")
                    .contains("ringway_upstream_connect_errors_total{backend=\"ns/down:80\"} 1")
                    // the loops handled I/O in timed turns (the requests above at least)
                    .containsPattern("ringway_event_loop_busy_seconds_count [1-9][0-9]*\n")
                    .containsPattern("ringway_event_loop_busy_seconds_bucket\\{le=\"0.000010\"\\} [0-9]+\n")
                    .containsPattern("ringway_event_loop_io_events_total [1-9][0-9]*\n")
                    .contains("ringway_downstream_connections_active 1")
                    .contains("ringway_upstream_connections_active 1");
            });
        }
        await().untilAsserted(() -> {
            StringBuilder sb = new StringBuilder();
            dp.writeMetrics(sb);
            assertThat(sb.toString()).contains("ringway_downstream_connections_active 0");
        });
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void drainAnswersInFlightRequestsAndClosesIdleConnections(String transport) throws Exception {
        TestBackend a = track(new TestBackend("a"));
        int port = TestSupport.freePort();
        NettyDataPlane dp = TestSupport.dataPlane(transport);
        Snap s = Snap.create();
        s.http(port).rule().prefix("/").to(s.backend("ns/a:80", a.port));
        apply(dp, s);
        try (RawHttp idle = new RawHttp(port); RawHttp busy = new RawHttp(port)) {
            assertThat(idle.get("/warm", "h").status()).isEqualTo(200);
            busy.send("GET /delay?ms=500 HTTP/1.1\r\nHost: h\r\n\r\n");
            await().until(() -> a.requests.get() == 2);
            CompletableFuture<Void> done = dp.shutdown(Duration.ofSeconds(5)).toCompletableFuture();
            assertThat(idle.closedByPeer()).isTrue();
            RawHttp.Response r = busy.read(false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("connection")).isEqualToIgnoringCase("close");
            assertThat(busy.closedByPeer()).isTrue();
            done.get(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> new RawHttp(port).close()).isInstanceOf(IOException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void tcpAndUdpForwarding(String transport) throws Exception {
        // A TCP echo backend and a UDP echo backend.
        ServerSocket tcpEcho = track(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")));
        Thread.ofVirtual().start(() -> {
            while (!tcpEcho.isClosed()) {
                try {
                    Socket s = tcpEcho.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                        } catch (IOException ignored) {
                            // closed
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        DatagramSocket udpEcho = track(new DatagramSocket(0, InetAddress.getByName("127.0.0.1")));
        Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[2048];
            while (!udpEcho.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    udpEcho.receive(p);
                    udpEcho.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        });
        int tcpPort = TestSupport.freePort();
        int udpPort;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            udpPort = probe.getLocalPort();
        }
        NettyDataPlane dp = track(TestSupport.dataPlane(transport));
        Snap s = Snap.create();
        s.tcp(tcpPort, s.backend("ns/tcp:9000", tcpEcho.getLocalPort()));
        s.udp(udpPort, s.backend("ns/udp:9001", udpEcho.getLocalPort()));
        ApplyResult r = apply(dp, s);
        assertThat(r.failed()).isEmpty();
        assertThat(r.bound()).contains(new BindAddress("127.0.0.1", udpPort, BindAddress.Transport.UDP));
        try (Socket c = new Socket("127.0.0.1", tcpPort)) {
            c.setSoTimeout(5000);
            byte[] msg = "hello over tcp\n".getBytes(StandardCharsets.US_ASCII);
            c.getOutputStream().write(msg);
            assertThat(c.getInputStream().readNBytes(msg.length)).isEqualTo(msg);
            byte[] big = new byte[2 * 1024 * 1024];
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    c.getOutputStream().write(big);
                } catch (IOException ignored) {
                    // test fails below
                }
            });
            assertThat(c.getInputStream().readNBytes(big.length)).hasSize(big.length);
            writer.join();
        }
        try (DatagramSocket c = new DatagramSocket()) {
            c.setSoTimeout(5000);
            byte[] msg = "ping".getBytes(StandardCharsets.US_ASCII);
            c.send(new DatagramPacket(msg, msg.length, InetAddress.getByName("127.0.0.1"), udpPort));
            DatagramPacket p = new DatagramPacket(new byte[100], 100);
            c.receive(p);
            assertThat(new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII)).isEqualTo("ping");
        }
    }
}
