package dev.ringway.io;

import dev.ringway.core.route.Backend;
import dev.ringway.core.route.CertificateBundle;
import dev.ringway.core.route.Snapshot;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** HTTP/2 from clients: prior-knowledge h2c, ALPN h2, per-stream proxying, flow control, errors, drain. */
class H2DownstreamTest {
    private static final int MB = 1024 * 1024;
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

    /** A cleartext HTTP port (HTTP/1.1 and h2c) whose every path goes to {@code a}; returns the port. */
    private int proxyAllTo(String transport, TestBackend a) throws Exception {
        int port = TestSupport.freePort();
        Snap snap = Snap.create();
        snap.http(port).rule().prefix("/").to(snap.backend("ns/a:80", a.port));
        dataPlane = start(transport, snap.build());
        return port;
    }

    private NettyDataPlane dataPlane;

    private NettyDataPlane start(String transport, Snapshot s) throws Exception {
        NettyDataPlane dp = track(TestSupport.dataPlane(transport));
        assertThat(dp.apply(s).toCompletableFuture().get(10, TimeUnit.SECONDS).failed()).isEmpty();
        return dp;
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void priorKnowledgeH2cIsProxiedPerStream(String transport) throws Exception {
        TestBackend a = track(new TestBackend("a"));
        int port = TestSupport.freePort();
        Snap snap = Snap.create();
        Backend ba = snap.backend("ns/a:80", a.port);
        snap.http(port).rule().prefix("/a").to(ba);
        start(transport, snap.build());

        try (H2TestClient c = H2TestClient.cleartext(port)) {
            Http2Headers req = H2TestClient.get("/a/x?q=1", "example.com");
            req.add("x-custom", "one").add("cookie", "a=1").add("cookie", "b=2");
            H2TestClient.Response r = c.send(req);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.echo()).containsEntry("server", "a").containsEntry("uri", "/a/x?q=1")
                    .containsEntry("version", "HTTP/1.1")
                    .containsEntry("h:host", "example.com")
                    .containsEntry("h:x-custom", "one")
                    .containsEntry("h:cookie", "a=1; b=2")
                    .containsEntry("h:x-forwarded-proto", "http")
                    .doesNotContainKey("h:x-http2-stream-id").doesNotContainKey("h:x-http2-scheme");
            // Connection-specific fields of the HTTP/1 backend's answer never reach the HTTP/2 client.
            assertThat(r.header("connection")).isNull();
            assertThat(r.header("transfer-encoding")).isNull();
            // A body without content-length is sent chunked upstream.
            byte[] body = "x".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
            H2TestClient.Response p = c.request(H2TestClient.post("/a/post", "example.com"), body).get(10, TimeUnit.SECONDS);
            assertThat(p.echo()).containsEntry("bytes", "100000").containsEntry("method", "POST");
            // No route: 404 on that stream; the connection goes on.
            assertThat(c.send(H2TestClient.get("/nothing", "example.com")).status()).isEqualTo(404);
            assertThat(c.send(H2TestClient.get("/a/again", "example.com")).status()).isEqualTo(200);
            // HEAD: no body.
            H2TestClient.Response h = c.send(new DefaultHttp2Headers().method("HEAD").scheme("http").path("/a/h").authority("example.com"));
            assertThat(h.status()).isEqualTo(200);
            assertThat(h.body()).isEmpty();
            // The advertised settings.
            assertThat(c.settings.get(5, TimeUnit.SECONDS).maxConcurrentStreams()).isEqualTo(100L);
            assertThat(c.settings.get().maxHeaderListSize()).isEqualTo(32L * 1024);
        }
        // HTTP/1.1 still works on the same port.
        try (RawHttp c = new RawHttp(port)) {
            assertThat(c.get("/a/one", "h").echo()).containsEntry("server", "a");
        }
        // So does a request line starting with the preface's first letter.
        try (RawHttp c = new RawHttp(port)) {
            c.send("POST /a/p HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi");
            assertThat(c.read(false).echo()).containsEntry("bytes", "2");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void h2OverTlsStreamsDoNotBlockEachOther(String transport) throws Exception {
        TestBackend a = track(new TestBackend("a"));
        CertificateBundle cert = Certs.selfSigned("ns/cert", Certs.KeyFormat.SEC1_EC, "h2.example");
        int port = TestSupport.freePort();
        Snap snap = Snap.create();
        Backend ba = snap.backend("ns/a:80", a.port);
        snap.https(port).listener("https", "h2.example").cert(cert).rule().prefix("/").to(ba);
        start(transport, snap.build());

        try (H2TestClient c = H2TestClient.tls(port, "h2.example")) {
            assertThat(c.alpn).isEqualTo("h2");
            // Stream 1 is slow at the backend, stream 3 is not: 3 completes first.
            CompletableFuture<H2TestClient.Response> slow = c.request(H2TestClient.get("/delay?ms=1500", "h2.example"), null);
            CompletableFuture<H2TestClient.Response> fast = c.request(H2TestClient.get("/fast", "h2.example"), null);
            H2TestClient.Response f = fast.get(5, TimeUnit.SECONDS);
            assertThat(f.status()).isEqualTo(200);
            assertThat(f.echo()).containsEntry("h:x-forwarded-proto", "https");
            assertThat(slow).isNotDone();
            H2TestClient.Response s = slow.get(5, TimeUnit.SECONDS);
            assertThat(s.status()).isEqualTo(200);
            assertThat(s.echo()).containsEntry("uri", "/delayed?ms=1500");
            // Misdirected: a host of no listener of this port on a connection made for another name.
            assertThat(c.send(H2TestClient.get("/x", "other.example")).status()).isIn(404, 421);
        }
        // A client offering only http/1.1 still gets it.
        try (javax.net.ssl.SSLSocket s = Certs.connect(port, "h2.example", "http/1.1")) {
            assertThat(s.getApplicationProtocol()).isEqualTo("http/1.1");
            assertThat(new RawHttp(s).get("/one", "h2.example").echo()).containsEntry("server", "a");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void trailersAndResetsPassThrough(String transport) throws Exception {
        TestBackend a = track(new TestBackend("a"));
        int port = proxyAllTo(transport, a);
        try (H2TestClient c = H2TestClient.cleartext(port)) {
            H2TestClient.Response t = c.send(H2TestClient.get("/trailers", "h"));
            assertThat(t.status()).isEqualTo(200);
            assertThat(t.text()).isEqualTo("body-bytes");
            assertThat(t.trailers()).isNotNull();
            assertThat(t.trailers().get("grpc-status").toString()).isEqualTo("0");
            assertThat(t.trailers().get("grpc-message").toString()).isEqualTo("fine");
            // The backend dies mid-body: the stream is reset, not the connection.
            H2TestClient.Response cut = c.send(H2TestClient.get("/truncate", "h"));
            assertThat(cut.reset()).isNotNull();
            // Reset before any response: 502 on that stream.
            assertThat(c.send(H2TestClient.get("/reset", "h")).status()).isEqualTo(502);
            assertThat(c.send(H2TestClient.get("/fine", "h")).status()).isEqualTo(200);
            // Too many header fields: 431 on that stream (the size limit is the advertised
            // SETTINGS_MAX_HEADER_LIST_SIZE, which a conforming client enforces itself).
            Http2Headers many = H2TestClient.get("/many", "h");
            for (int i = 0; i < 150; i++) {
                many.add("x-h" + i, "v");
            }
            assertThat(c.send(many).status()).isEqualTo(431);
            assertThat(c.send(H2TestClient.get("/after", "h")).status()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void flowControlIsTheBackpressure(String transport) throws Exception {
        TestBackend a = track(new TestBackend("a"));
        int port = proxyAllTo(transport, a);
        try (H2TestClient c = H2TestClient.cleartext(port)) {
            // The client does not read: the stream window fills, the proxy stops reading the
            // backend, and the backend stops well before the end of a 128 MB body (the kernel's own
            // socket buffers, up to tcp_wmem + tcp_rmem max = 36 MB here, hold the rest).
            H2TestClient.Stream s = c.open(H2TestClient.get("/download?size=" + (128 * MB), "h"), null, null, false);
            s.keepBody = false;
            Thread.sleep(1500);
            long stalled = a.bytesSent.get();
            assertThat(stalled).isLessThan(56L * MB);
            // Another stream on the same connection is not held up by the stalled one.
            assertThat(c.send(H2TestClient.get("/other", "h")).status()).isEqualTo(200);
            s.setAutoRead(true);
            s.read();
            H2TestClient.Response r = s.done.get(60, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(200);
            assertThat(s.received).isEqualTo(128L * MB);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void aMalformedRequestResetsItsStreamOnly(String transport) throws Exception {
        TestBackend a = track(new TestBackend("a"));
        int port = proxyAllTo(transport, a);
        try (H2TestClient c = H2TestClient.cleartext(port)) {
            // A method with a space is no HTTP method: that stream is reset, the connection goes on.
            H2TestClient.Response bad = c.send(new DefaultHttp2Headers().method("GE T").scheme("http").path("/x").authority("h"));
            assertThat(bad.reset()).isEqualTo(Http2Error.PROTOCOL_ERROR);
            H2TestClient.Response noPath = c.send(new DefaultHttp2Headers().method("GET").scheme("http").authority("h"));
            assertThat(noPath.status()).as("%s", noPath).isZero();
            // A trailer value with a line break (HPACK carries any bytes) must not reach an HTTP/1.1
            // backend as a field of its own: the stream is reset (Netty's decoder validates values).
            H2TestClient.Response badTrailer = c.open(H2TestClient.post("/t", "h"), "body".getBytes(StandardCharsets.US_ASCII),
                    new DefaultHttp2Headers(false).add("x-t", "a\r\nx-injected: 1"), true).done.get(10, TimeUnit.SECONDS);
            assertThat(badTrailer.reset()).isEqualTo(Http2Error.PROTOCOL_ERROR);
            assertThat(c.send(H2TestClient.get("/ok", "h")).status()).isEqualTo(200);
            assertThat(c.parent.isActive()).isTrue();
            assertThat(a.requests.get()).isBetween(1, 2); // the trailer's request may have reached the backend before its end
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void uploadToABackendThatDoesNotReadStopsTheClientOnThatStreamOnly(String transport) throws Exception {
        long size = 128L * MB;
        try (StalledBackend slow = new StalledBackend()) {
            TestBackend a = track(new TestBackend("a"));
            int port = TestSupport.freePort();
            Snap snap = Snap.create();
            Backend bs = snap.backend("ns/slow:80", slow.port);
            Backend ba = snap.backend("ns/a:80", a.port);
            snap.http(port).rule().prefix("/up").to(bs).end().rule().prefix("/").to(ba);
            start(transport, snap.build());
            try (H2TestClient c = H2TestClient.cleartext(port)) {
                Http2Headers head = H2TestClient.post("/up", "h").setLong("content-length", size);
                H2TestClient.Stream up = c.openForBody(head);
                io.netty.buffer.ByteBuf mb = io.netty.buffer.Unpooled.wrappedBuffer(new byte[MB]);
                io.netty.buffer.ByteBuf[] parts = new io.netty.buffer.ByteBuf[(int) (size / MB)];
                for (int i = 0; i < parts.length; i++) {
                    parts[i] = mb.retainedDuplicate();
                }
                mb.release();
                io.netty.channel.ChannelFuture sent = up.write(new io.netty.handler.codec.http2.DefaultHttp2DataFrame(
                        io.netty.buffer.Unpooled.wrappedBuffer(parts), true));
                // The backend reads nothing: the proxy stops reading the stream once the upstream
                // socket is full and does not give the stream's window back, so the client cannot
                // send the body (the kernel's socket buffers take at most tens of MB of it).
                Thread.sleep(2000);
                assertThat(sent.isDone()).as("body sent: %s / %s", sent.cause(), up.done.getNow(null)).isFalse();
                // The connection is not held up: another stream on it is answered meanwhile.
                assertThat(c.send(H2TestClient.get("/other", "h")).status()).isEqualTo(200);
                // The backend reads: the window is given back as the held body moves on, to the end.
                slow.read.countDown();
                sent.get(60, TimeUnit.SECONDS);
                H2TestClient.Response r = up.done.get(60, TimeUnit.SECONDS);
                assertThat(r.status()).as("%s", r).isEqualTo(200);
                assertThat(slow.bodyBytes.get()).isEqualTo(size);
            }
        }
    }

    /**
     * An HTTP/1.1 backend that accepts one connection and reads nothing until {@link #read} is
     * released, then reads one request with a Content-Length body and answers 200.
     */
    private static final class StalledBackend implements AutoCloseable {
        final java.net.ServerSocket server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        final int port = server.getLocalPort();
        final java.util.concurrent.CountDownLatch read = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.atomic.AtomicLong bodyBytes = new java.util.concurrent.atomic.AtomicLong();
        private final Thread thread = Thread.ofVirtual().start(this::serve);

        StalledBackend() throws java.io.IOException {
        }

        private void serve() {
            try (java.net.Socket s = server.accept()) {
                read.await();
                java.io.InputStream in = new java.io.BufferedInputStream(s.getInputStream());
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        return;
                    }
                    head.append((char) b);
                }
                long length = 0;
                for (String line : head.toString().split("\r\n")) {
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                        length = Long.parseLong(line.substring(15).trim());
                    }
                }
                byte[] buf = new byte[64 * 1024];
                long got = 0;
                int n;
                while (got < length && (n = in.read(buf, 0, (int) Math.min(buf.length, length - got))) > 0) {
                    got += n;
                }
                bodyBytes.set(got);
                s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                Thread.sleep(500);
            } catch (Exception e) {
                // closed by the test
            }
        }

        @Override
        public void close() throws Exception {
            read.countDown();
            server.close();
            thread.join(5000);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void drainSendsGoAwayAndFinishesOpenStreams(String transport) throws Exception {
        TestBackend a = track(new TestBackend("a"));
        int port = proxyAllTo(transport, a);
        NettyDataPlane dp = dataPlane;
        try (H2TestClient c = H2TestClient.cleartext(port)) {
            CompletableFuture<H2TestClient.Response> slow = c.request(H2TestClient.get("/delay?ms=800", "h"), null);
            await().atMost(Duration.ofSeconds(5)).until(() -> a.requests.get() == 1);
            CompletableFuture<Void> down = dp.shutdown(Duration.ofSeconds(5)).toCompletableFuture();
            assertThat(c.goAway.get(5, TimeUnit.SECONDS)).isEqualTo(Http2Error.NO_ERROR.code());
            H2TestClient.Response r = slow.get(5, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(200);
            down.get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> !c.parent.isActive());
        }
    }
}
