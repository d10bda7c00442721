package dev.ringway.io;

import dev.ringway.core.route.AppProtocol;
import dev.ringway.core.route.Backend;
import dev.ringway.core.route.Snapshot;
import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTP/2 cleartext backends ({@code appProtocol: kubernetes.io/h2c}): multiplexed pooled streams, gRPC. */
class H2UpstreamTest {
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

    private void start(String transport, Snapshot s) throws Exception {
        NettyDataPlane dp = track(TestSupport.dataPlane(transport));
        assertThat(dp.apply(s).toCompletableFuture().get(10, TimeUnit.SECONDS).failed()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void http1ClientsReachAnH2cBackend(String transport) throws Exception {
        H2TestBackend h2 = track(new H2TestBackend("h2", 100));
        int port = TestSupport.freePort();
        Snap snap = Snap.create();
        Backend b = snap.backend("ns/h2:8081", AppProtocol.H2C, null, h2.port);
        snap.http(port).rule().prefix("/").to(b);
        start(transport, snap.build());
        try (RawHttp c = new RawHttp(port)) {
            for (int i = 0; i < 5; i++) {
                RawHttp.Response r = c.get("/x/" + i + "?q=1", "example.com:8080");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.echo()).containsEntry("server", "h2").containsEntry("version", "HTTP/2.0")
                        .containsEntry("uri", "/x/" + i + "?q=1").containsEntry("authority", "example.com:8080")
                        .containsEntry("scheme", "http").containsEntry("method", "GET")
                        .containsEntry("h:x-forwarded-proto", "http").doesNotContainKey("h:host");
                assertThat(r.header("x-backend")).isEqualTo("h2");
                // The HTTP/2 answer has no length: re-framed chunked for the HTTP/1.1 client.
                assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
            }
            // Bodies: with a length, and chunked.
            c.send("POST /post HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world");
            assertThat(c.read(false).echo()).containsEntry("bytes", "11").containsEntry("method", "POST");
            c.send("POST /chunked HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
            assertThat(c.read(false).echo()).containsEntry("bytes", "11");
            byte[] big = "y".repeat(3 * 1024 * 1024).getBytes(StandardCharsets.US_ASCII);
            c.send("POST /big HTTP/1.1\r\nHost: h\r\nContent-Length: " + big.length + "\r\n\r\n");
            c.out.write(big);
            c.out.flush();
            assertThat(c.read(false).echo()).containsEntry("bytes", String.valueOf(big.length));
        }
        // Sequential exchanges reuse one connection (streams on it).
        assertThat(h2.accepts.get()).isEqualTo(1);
        assertThat(h2.streams.get()).isEqualTo(8);
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void concurrentExchangesAreMultiplexed(String transport) throws Exception {
        H2TestBackend h2 = track(new H2TestBackend("h2", 100));
        H2TestBackend narrow = track(new H2TestBackend("narrow", 3));
        int port = TestSupport.freePort();
        Snap snap = Snap.create();
        Backend b = snap.backend("ns/h2:8081", AppProtocol.H2C, null, h2.port);
        Backend n = snap.backend("ns/narrow:8081", AppProtocol.H2C, null, narrow.port);
        snap.http(port).rule().prefix("/narrow").to(n).end().rule().prefix("/").to(b);
        start(transport, snap.build());
        // 16 clients at once, each waiting 400 ms at the backend: all in parallel on few connections.
        ExecutorService ex = Executors.newFixedThreadPool(16);
        try {
            long t0 = System.nanoTime();
            List<Future<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                fs.add(ex.submit(() -> {
                    try (RawHttp c = new RawHttp(port)) {
                        return c.get("/delay?ms=400", "h").status();
                    }
                }));
            }
            for (Future<Integer> f : fs) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(200);
            }
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3000);
            // At most one connection per event loop (2 here), streams multiplexed on them.
            assertThat(h2.accepts.get()).isBetween(1, 2);
            assertThat(h2.maxConcurrent.get()).isGreaterThan(2);
            // A server allowing 3 concurrent streams: more connections, never more than 3 streams each.
            fs.clear();
            for (int i = 0; i < 12; i++) {
                fs.add(ex.submit(() -> {
                    try (RawHttp c = new RawHttp(port)) {
                        return c.get("/narrow/delay?ms=300", "h").status();
                    }
                }));
            }
            for (Future<Integer> f : fs) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isIn(200, 404);
            }
            assertThat(narrow.accepts.get()).isGreaterThanOrEqualTo(3);
        } finally {
            ex.shutdownNow();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void grpcOverH2cEndToEnd(String transport) throws Exception {
        H2TestBackend h2 = track(new H2TestBackend("grpc", 100));
        int port = TestSupport.freePort();
        Snap snap = Snap.create();
        Backend b = snap.backend("ns/grpc:8080", AppProtocol.H2C, null, h2.port);
        snap.http(port).rule().prefix("/").to(b);
        start(transport, snap.build());
        try (H2TestClient c = H2TestClient.cleartext(port)) {
            Http2Headers req = H2TestClient.post("/pkg.Echo/Echo", "grpc.example")
                    .add("content-type", "application/grpc").add("te", "trailers");
            byte[] body = concat(H2TestBackend.grpcMessage("one"), H2TestBackend.grpcMessage("two"));
            H2TestClient.Response r = c.request(req, body).get(10, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("content-type")).isEqualTo("application/grpc");
            assertThat(H2TestBackend.grpcMessages(r.body())).containsExactly("echo:one te=trailers", "echo:two te=trailers");
            assertThat(r.trailers()).isNotNull();
            assertThat(r.trailers().get("grpc-status").toString()).isEqualTo("0");
            assertThat(r.trailers().get("grpc-message").toString()).isEqualTo("ok");
            // Trailers-only answer stays a single HEADERS frame.
            H2TestClient.Response u = c.request(H2TestClient.post("/pkg.Echo/Unimplemented", "grpc.example")
                    .add("content-type", "application/grpc").add("te", "trailers"), H2TestBackend.grpcMessage("x"))
                    .get(10, TimeUnit.SECONDS);
            assertThat(u.status()).isEqualTo(200);
            assertThat(u.header("grpc-status")).isEqualTo("12");
            assertThat(u.trailers()).isNull();
            assertThat(u.body()).isEmpty();
            // Many concurrent calls on one client connection.
            List<CompletableFuture<H2TestClient.Response>> calls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                calls.add(c.request(H2TestClient.post("/pkg.Echo/Echo", "grpc.example")
                        .add("content-type", "application/grpc").add("te", "trailers"), H2TestBackend.grpcMessage("m" + i)));
            }
            for (int i = 0; i < 50; i++) {
                H2TestClient.Response x = calls.get(i).get(10, TimeUnit.SECONDS);
                assertThat(H2TestBackend.grpcMessages(x.body())).containsExactly("echo:m" + i + " te=trailers");
                assertThat(x.trailers().get("grpc-status").toString()).isEqualTo("0");
            }
        }
        // HTTP/1.1 client: the trailers come back as chunked trailers.
        try (RawHttp c = new RawHttp(port)) {
            byte[] m = H2TestBackend.grpcMessage("hi");
            c.send("POST /pkg.Echo/Echo HTTP/1.1\r\nHost: h\r\nContent-Type: application/grpc\r\nTE: trailers\r\nContent-Length: "
                    + m.length + "\r\n\r\n");
            c.out.write(m);
            c.out.flush();
            assertThat(c.line()).isEqualTo("HTTP/1.1 200 OK");
            StringBuilder raw = new StringBuilder();
            String l;
            while (!(l = c.line()).equals("0")) {
                raw.append(l).append('\n');
            }
            assertThat(raw.toString().toLowerCase()).contains("transfer-encoding: chunked");
            assertThat(c.line()).isEqualToIgnoringCase("grpc-status: 0");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void refusedStreamsAreRetriedAndDeadBackendsAnswer503(String transport) throws Exception {
        H2TestBackend h2 = track(new H2TestBackend("h2", 100));
        int dead = TestSupport.freePort();
        int port = TestSupport.freePort();
        Snap snap = Snap.create();
        Backend b = snap.backend("ns/h2:8081", AppProtocol.H2C, null, h2.port);
        Backend d = snap.backend("ns/dead:8081", AppProtocol.H2C, null, dead);
        snap.http(port).rule().prefix("/dead").to(d).end().rule().prefix("/").to(b);
        start(transport, snap.build());
        h2.refuse.set(1);
        try (RawHttp c = new RawHttp(port)) {
            RawHttp.Response r = c.get("/refuse", "h");
            assertThat(r.status()).isEqualTo(200);
            assertThat(h2.streams.get()).isEqualTo(2);
            assertThat(c.get("/dead", "h").status()).isEqualTo(503);
            assertThat(c.get("/ok", "h").status()).isEqualTo(200);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
