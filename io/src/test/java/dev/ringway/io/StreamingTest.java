package dev.ringway.io;

import dev.ringway.core.route.Backend;
import dev.ringway.core.route.Snapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Body streaming in both directions, framing conversions and backpressure. */
class StreamingTest {
    private static final int MB = 1024 * 1024;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private TestBackend backend;
    private int port;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private void start(String transport) throws Exception {
        backend = new TestBackend("a");
        closeables.add(backend);
        port = TestSupport.freePort();
        Snap snap = Snap.create();
        Backend b = snap.backend("ns/a:80", backend.port);
        snap.http(port).rule().prefix("/").to(b);
        Snapshot s = snap.build();
        NettyDataPlane dp = TestSupport.dataPlane(transport);
        closeables.add(dp);
        assertThat(dp.apply(s).toCompletableFuture().get(10, TimeUnit.SECONDS).failed()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void largeUploadStreamsBeforeTheBodyEnds(String transport) throws Exception {
        start(transport);
        long size = 50L * MB;
        try (RawHttp c = new RawHttp(port)) {
            c.send("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: " + size + "\r\n\r\n");
            byte[] chunk = new byte[64 * 1024];
            long sent = 0;
            // Half the body, then check the backend already received bytes: nothing waits for the end.
            while (sent < size / 2) {
                c.out.write(chunk);
                sent += chunk.length;
            }
            c.out.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> backend.bodyBytes.get() > 0);
            assertThat(backend.bodyBytes.get()).isLessThan(size);
            while (sent < size) {
                c.out.write(chunk);
                sent += chunk.length;
            }
            c.out.flush();
            RawHttp.Response r = c.read(false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.echo()).containsEntry("bytes", Long.toString(size));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void chunkedUploadAndChunkedDownload(String transport) throws Exception {
        start(transport);
        try (RawHttp c = new RawHttp(port)) {
            StringBuilder req = new StringBuilder("POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n");
            int total = 0;
            for (int i = 1; i <= 50; i++) {
                String part = "x".repeat(i * 100);
                req.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
                total += part.length();
            }
            req.append("0\r\n\r\n");
            c.send(req.toString());
            RawHttp.Response r = c.read(false);
            assertThat(r.echo()).containsEntry("bytes", Integer.toString(total))
                    .containsEntry("h:transfer-encoding", "chunked");

            c.send("GET /download?size=3000000&chunked HTTP/1.1\r\nHost: h\r\n\r\n");
            RawHttp.Response d = c.read(false);
            assertThat(d.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(d.body()).hasSize(3_000_000);

            // Close-delimited upstream response: re-framed as chunked, the connection stays open.
            c.send("GET /eof HTTP/1.1\r\nHost: h\r\n\r\n");
            RawHttp.Response e = c.read(false);
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(e.echo()).containsEntry("uri", "/eof");
            assertThat(c.get("/after", "h").echo()).containsEntry("uri", "/after");

            // HEAD: headers only.
            c.send("HEAD /download?size=1000&chunked HTTP/1.1\r\nHost: h\r\n\r\n");
            RawHttp.Response head = c.read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(c.get("/after-head", "h").echo()).containsEntry("uri", "/after-head");
        }
        // HTTP/1.0 client and a chunked upstream response: close-delimited, then closed.
        try (RawHttp c = new RawHttp(port)) {
            c.send("GET /download?size=100000&chunked HTTP/1.0\r\nHost: h\r\n\r\n");
            RawHttp.Response r = c.read(false);
            assertThat(r.header("transfer-encoding")).isNull();
            assertThat(r.body()).hasSize(100_000);
        }
        // HTTP/1.0 keep-alive with a Content-Length response stays open.
        try (RawHttp c = new RawHttp(port)) {
            c.send("GET /k1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            RawHttp.Response r = c.read(false);
            assertThat(r.header("connection")).isEqualToIgnoringCase("keep-alive");
            c.send("GET /k2 HTTP/1.0\r\n\r\n");
            assertThat(c.read(false).echo()).containsEntry("uri", "/k2");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void slowReaderDoesNotMakeTheProxyBufferTheWholeDownload(String transport) throws Exception {
        start(transport);
        // The kernel buffers a lot by itself: the backend's send buffer (tcp_wmem max, 4 MB here)
        // and the proxy's receive buffer toward it, which autotunes up to tcp_rmem max (32 MB on
        // this machine) even while the proxy does not read. Beyond those, nothing may pile up.
        long size = 96L * MB;
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(64 * 1024);
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /download?size=" + size + " HTTP/1.1\r\nHost: h\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64 * 1024];
            long read = 0;
            while (read < MB) {
                int n = in.read(buf);
                assertThat(n).isPositive();
                read += n;
            }
            // Stop reading: the backend must stall well before it has sent everything.
            long before = -1;
            long now = backend.bytesSent.get();
            for (int i = 0; i < 20 && now != before; i++) {
                Thread.sleep(100);
                before = now;
                now = backend.bytesSent.get();
            }
            assertThat(backend.bytesSent.get()).as("bytes the backend managed to send while the client paused")
                    .isLessThan(56L * MB);
            // Resume: everything arrives.
            long total = read;
            int n;
            while ((backend.bytesSent.get() < size || total < size) && (n = in.read(buf)) > 0) {
                total += n;
            }
            assertThat(backend.bytesSent.get()).isEqualTo(size);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void expectContinueIsForwarded(String transport) throws Exception {
        start(transport);
        try (RawHttp c = new RawHttp(port)) {
            c.send("POST /e HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            // Netty's test backend does not send 100 itself; the client sends after a short wait as curl does.
            Thread.sleep(100);
            c.send("hello");
            RawHttp.Response r = c.read(false);
            while (r.status() == 100) {
                r = c.read(false);
            }
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.echo()).containsEntry("bytes", "5");
        }
    }
}
