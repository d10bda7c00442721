package dev.ringway.io;

import dev.ringway.core.route.Backend;
import dev.ringway.core.route.HttpFilter;
import dev.ringway.core.route.Snapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** End-to-end HTTP/1.1 proxying over real sockets, on every available transport. */
class ProxyTest {
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

    private TestBackend backend(String name) throws Exception {
        return track(new TestBackend(name));
    }

    private int start(String transport, Snapshot s) throws Exception {
        NettyDataPlane dp = track(TestSupport.dataPlane(transport));
        ApplyResult r = dp.apply(s).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(r.failed()).isEmpty();
        return s.bindings().getFirst().address().port();
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void routesToTheRightBackendAndReusesUpstreamConnections(String transport) throws Exception {
        TestBackend a = backend("a");
        TestBackend b = backend("b");
        int port = TestSupport.freePort();
        Snap snap = Snap.create();
        Backend ba = snap.backend("ns/a:80", a.port);
        Backend bb = snap.backend("ns/b:80", b.port);
        snap.http(port).rule().prefix("/a").to(ba).end().rule().prefix("/b").to(bb);
        start(transport, snap.build());

        try (RawHttp c = new RawHttp(port)) {
            for (int i = 0; i < 5; i++) {
                RawHttp.Response ra = c.get("/a/x?q=1", "example.com");
                assertThat(ra.status()).isEqualTo(200);
                assertThat(ra.echo()).containsEntry("server", "a").containsEntry("uri", "/a/x?q=1")
                        .containsEntry("h:host", "example.com")
                        .containsEntry("h:x-forwarded-for", "127.0.0.1")
                        .containsEntry("h:x-forwarded-proto", "http")
                        .containsEntry("h:x-forwarded-host", "example.com");
                RawHttp.Response rb = c.get("/b", "example.com");
                assertThat(rb.echo()).containsEntry("server", "b");
            }
            RawHttp.Response none = c.get("/c", "example.com");
            assertThat(none.status()).isEqualTo(404);
        }
        // One client connection on one loop: each backend saw a single, reused upstream connection.
        assertThat(a.accepts.get()).isEqualTo(1);
        assertThat(b.accepts.get()).isEqualTo(1);
        assertThat(a.requests.get()).isEqualTo(5);
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void pipelinedRequestsAreAnsweredInOrder(String transport) throws Exception {
        TestBackend a = backend("a");
        TestBackend b = backend("b");
        int port = TestSupport.freePort();
        Snap snap = Snap.create();
        Backend ba = snap.backend("ns/a:80", a.port);
        Backend bb = snap.backend("ns/b:80", b.port);
        snap.http(port).rule().prefix("/a").to(ba).end().rule().prefix("/b").to(bb);
        start(transport, snap.build());
        try (RawHttp c = new RawHttp(port)) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                sb.append("GET /").append(i % 2 == 0 ? "a" : "b").append("/").append(i).append(" HTTP/1.1\r\nHost: h\r\n\r\n");
            }
            sb.append("GET /nothing HTTP/1.1\r\nHost: h\r\n\r\n");
            sb.append("POST /a/post HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello");
            c.send(sb.toString());
            for (int i = 0; i < 20; i++) {
                RawHttp.Response r = c.read(false);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.echo()).containsEntry("uri", "/" + (i % 2 == 0 ? "a" : "b") + "/" + i);
            }
            assertThat(c.read(false).status()).isEqualTo(404);
            RawHttp.Response post = c.read(false);
            assertThat(post.echo()).containsEntry("uri", "/a/post").containsEntry("bytes", "5");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void errorStatuses(String transport) throws Exception {
        TestBackend a = backend("a");
        int port = TestSupport.freePort();
        int dead = TestSupport.freePort();
        Snap snap = Snap.create();
        Backend ok = snap.backend("ns/a:80", a.port);
        Backend invalid = snap.invalidBackend("ns/missing:80");
        Backend empty = snap.backend("ns/empty:80");
        Backend down = snap.backend("ns/down:80", dead);
        snap.http(port)
                .rule().prefix("/invalid").to(invalid).end()
                .rule().prefix("/zero").to(ok, 0).end()
                .rule().prefix("/none").end()
                .rule().prefix("/empty").to(empty).end()
                .rule().prefix("/down").to(down).end()
                .rule().prefix("/unsupported").filter(new HttpFilter.Unsupported("ext", 500)).to(ok).end()
                .rule().prefix("/").to(ok);
        start(transport, snap.build());
        try (RawHttp c = new RawHttp(port)) {
            assertThat(c.get("/invalid", "h").status()).isEqualTo(500);
            assertThat(c.get("/zero", "h").status()).isEqualTo(500);
            assertThat(c.get("/none", "h").status()).isEqualTo(500);
            assertThat(c.get("/empty", "h").status()).isEqualTo(503);
            assertThat(c.get("/down", "h").status()).isEqualTo(503);
            assertThat(c.get("/unsupported", "h").status()).isEqualTo(500);
            assertThat(c.get("/reset", "h").status()).isEqualTo(502);
            assertThat(c.get("/status/418", "h").status()).isEqualTo(418);
            assertThat(c.get("/fine", "h").status()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void strictFraming(String transport) throws Exception {
        TestBackend a = backend("a");
        int port = TestSupport.freePort();
        Snap snap = Snap.create();
        Backend ok = snap.backend("ns/a:80", a.port);
        snap.http(port).rule().prefix("/").to(ok);
        start(transport, snap.build());
        // Content-Length with Transfer-Encoding: 400 and close.
        try (RawHttp c = new RawHttp(port)) {
            c.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
            RawHttp.Response r = c.read(false);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.header("connection")).isEqualToIgnoringCase("close");
            assertThat(c.closedByPeer()).isTrue();
        }
        // Same on HTTP/1.0.
        try (RawHttp c = new RawHttp(port)) {
            c.send("POST / HTTP/1.0\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n");
            assertThat(c.read(false).status()).isEqualTo(400);
            assertThat(c.closedByPeer()).isTrue();
        }
        // Missing Host on HTTP/1.1.
        try (RawHttp c = new RawHttp(port)) {
            c.send("GET / HTTP/1.1\r\n\r\n");
            assertThat(c.read(false).status()).isEqualTo(400);
            assertThat(c.closedByPeer()).isTrue();
        }
        // Two Host headers.
        try (RawHttp c = new RawHttp(port)) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
            assertThat(c.read(false).status()).isEqualTo(400);
        }
        // Oversized headers: 431.
        try (RawHttp c = new RawHttp(port)) {
            c.send("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + "x".repeat(40_000) + "\r\n\r\n");
            assertThat(c.read(false).status()).isEqualTo(431);
            assertThat(c.closedByPeer()).isTrue();
        }
        // Too many header fields: 431.
        try (RawHttp c = new RawHttp(port)) {
            StringBuilder sb = new StringBuilder("GET / HTTP/1.1\r\nHost: h\r\n");
            for (int i = 0; i < 150; i++) {
                sb.append("X-H").append(i).append(": v\r\n");
            }
            c.send(sb.append("\r\n").toString());
            assertThat(c.read(false).status()).isEqualTo(431);
        }
        // Garbage request line: 400.
        try (RawHttp c = new RawHttp(port)) {
            c.send("THIS IS NOT HTTP\r\n\r\n");
            assertThat(c.read(false).status()).isEqualTo(400);
            assertThat(c.closedByPeer()).isTrue();
        }
        // Transfer-Encoding other than chunked: 400.
        try (RawHttp c = new RawHttp(port)) {
            c.send("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n");
            assertThat(c.read(false).status()).isEqualTo(400);
        }
        // Smuggling vectors: whitespace before the colon, conflicting or odd Content-Length values.
        for (String bad : List.of(
                "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
                "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 6\r\n\r\nhello!",
                "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +5\r\n\r\nhello",
                "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n")) {
            try (RawHttp c = new RawHttp(port)) {
                c.send(bad);
                assertThat(c.read(false).status()).as(bad).isEqualTo(400);
                assertThat(c.closedByPeer()).isTrue();
            }
        }
        // HTTP/1.0 without Host is fine.
        try (RawHttp c = new RawHttp(port)) {
            c.send("GET /x HTTP/1.0\r\n\r\n");
            RawHttp.Response r = c.read(false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.echo()).containsEntry("uri", "/x");
            assertThat(c.closedByPeer()).isTrue();
        }
        // Absolute-form target: routed by its authority, forwarded in origin form.
        try (RawHttp c = new RawHttp(port)) {
            c.send("GET http://Example.COM:8080/abs?x=1 HTTP/1.1\r\nHost: ignored\r\n\r\n");
            RawHttp.Response r = c.read(false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.echo()).containsEntry("uri", "/abs?x=1");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void hopByHopHeadersAreRemoved(String transport) throws Exception {
        TestBackend a = backend("a");
        int port = TestSupport.freePort();
        Snap snap = Snap.create();
        Backend ok = snap.backend("ns/a:80", a.port);
        snap.http(port).rule().prefix("/").to(ok);
        start(transport, snap.build());
        try (RawHttp c = new RawHttp(port)) {
            c.send("GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, X-Private\r\nX-Private: secret\r\n"
                    + "Keep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nTE: trailers\r\nTrailer: X\r\n"
                    + "Upgrade: h2c\r\nX-Forwarded-For: 10.0.0.1\r\nX-Keep: yes\r\n\r\n");
            RawHttp.Response r = c.read(false);
            Map<String, String> e = r.echo();
            assertThat(e).doesNotContainKeys("h:connection", "h:x-private", "h:keep-alive", "h:proxy-connection",
                    "h:te", "h:trailer", "h:upgrade");
            assertThat(e).containsEntry("h:x-keep", "yes").containsEntry("h:x-forwarded-for", "10.0.0.1, 127.0.0.1");
            // The response's hop-by-hop fields are removed too.
            c.send("GET /x HTTP/1.1\r\nHost: h\r\nX-Echo-Set-Header: Keep-Alive:timeout=1,X-Resp:1\r\n\r\n");
            RawHttp.Response r2 = c.read(false);
            assertThat(r2.header("keep-alive")).isNull();
            assertThat(r2.header("x-resp")).isEqualTo("1");
        }
    }
}
