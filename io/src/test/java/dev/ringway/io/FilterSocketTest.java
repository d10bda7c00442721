package dev.ringway.io;

import dev.ringway.core.route.Backend;
import dev.ringway.core.route.HttpFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTPRoute filters end to end (the conformance cases' expectations, on our own backend). */
class FilterSocketTest {
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private static String[] h(String n, String v) {
        return new String[]{n, v};
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void filters(String transport) throws Exception {
        TestBackend a = new TestBackend("a");
        closeables.add(a);
        TestBackend b2 = new TestBackend("b");
        closeables.add(b2);
        int port = TestSupport.freePort();
        Snap snap = Snap.create();
        Backend ba = snap.backend("ns/a:80", a.port);
        Backend bb = snap.backend("ns/b:80", b2.port);
        HttpFilter reqMod = new HttpFilter.RequestHeaders(Snap.ops(List.<String[]>of(h("X-Header-Set", "set-overwrites-values")),
                List.<String[]>of(h("X-Header-Add", "add-appends-values")), List.of("X-Header-Remove")));
        HttpFilter respMod = new HttpFilter.ResponseHeaders(Snap.ops(List.<String[]>of(h("X-Header-Set", "set-overwrites-values")),
                List.<String[]>of(h("X-Header-Add", "add-appends-values")), List.of("X-Header-Remove")));
        snap.http(port)
                .rule().prefix("/req").filter(reqMod).to(ba).end()
                .rule().prefix("/resp").filter(respMod).to(ba).end()
                .rule().prefix("/backend-filter").to(bb, 1, new HttpFilter.RequestHeaders(
                        Snap.ops(List.<String[]>of(h("X-From-Backend-Ref", "yes")), List.<String[]>of(), List.of()))).end()
                .rule().prefix("/host").filter(new HttpFilter.RequestHeaders(
                        Snap.ops(List.<String[]>of(h("Host", "changed.example")), List.<String[]>of(), List.of()))).to(ba).end()
                .rule().prefix("/rewrite-host").filter(new HttpFilter.Rewrite("one.example.org", null, null)).to(ba).end()
                .rule().prefix("/prefix/one").filter(new HttpFilter.Rewrite(null, "ReplacePrefixMatch", "/one")).to(ba).end()
                .rule().prefix("/strip-prefix").filter(new HttpFilter.Rewrite(null, "ReplacePrefixMatch", "/")).to(ba).end()
                .rule().prefix("/full/one").filter(new HttpFilter.Rewrite(null, "ReplaceFullPath", "/one")).to(ba).end()
                .rule().prefix("/redirect").filter(new HttpFilter.Redirect("https", "example.org", null, null, null, 301)).end()
                .rule().prefix("/redirect-port").filter(new HttpFilter.Redirect(null, null, 8083, null, null, 302)).end()
                .rule().prefix("/redirect-prefix").filter(new HttpFilter.Redirect(null, null, null, "ReplacePrefixMatch", "/new", 307)).end();
        NettyDataPlane dp = TestSupport.dataPlane(transport);
        closeables.add(dp);
        dp.apply(snap.build()).toCompletableFuture().get(10, TimeUnit.SECONDS);

        try (RawHttp c = new RawHttp(port)) {
            c.send("GET /req HTTP/1.1\r\nHost: h\r\nx-header-set: original\r\nX-Header-Add: some-other-value\r\n"
                    + "X-HEADER-REMOVE: gone\r\nAnother: kept\r\n\r\n");
            Map<String, String> e = c.read(false).echo();
            assertThat(e).containsEntry("h:x-header-set", "set-overwrites-values")
                    .containsEntry("h:x-header-add", "some-other-value,add-appends-values")
                    .containsEntry("h:another", "kept").doesNotContainKey("h:x-header-remove");

            c.send("GET /resp HTTP/1.1\r\nHost: h\r\nX-Echo-Set-Header: X-Header-Set:some-other-value,X-Header-Add:some-other-value,X-Header-Remove:val,Some-Other:val\r\n\r\n");
            RawHttp.Response r = c.read(false);
            assertThat(r.header("x-header-set")).isEqualTo("set-overwrites-values");
            assertThat(r.header("x-header-add")).isEqualTo("some-other-value,add-appends-values");
            assertThat(r.header("x-header-remove")).isNull();
            assertThat(r.header("some-other")).isEqualTo("val");

            assertThat(c.get("/backend-filter", "h").echo()).containsEntry("server", "b").containsEntry("h:x-from-backend-ref", "yes");
            assertThat(c.get("/host", "orig.example").echo()).containsEntry("h:host", "changed.example")
                    .containsEntry("h:x-forwarded-host", "orig.example");
            assertThat(c.get("/rewrite-host/x", "rewrite.example:80").echo()).containsEntry("h:host", "one.example.org")
                    .containsEntry("uri", "/rewrite-host/x");
            assertThat(c.get("/prefix/one/two?q=1", "h").echo()).containsEntry("uri", "/one/two?q=1");
            assertThat(c.get("/strip-prefix/three", "h").echo()).containsEntry("uri", "/three");
            assertThat(c.get("/strip-prefix", "h").echo()).containsEntry("uri", "/");
            assertThat(c.get("/full/one/two", "h").echo()).containsEntry("uri", "/one");

            RawHttp.Response red = c.get("/redirect/x?y=1", "req.example:" + port);
            assertThat(red.status()).isEqualTo(301);
            assertThat(red.header("location")).isEqualTo("https://example.org/redirect/x?y=1");
            RawHttp.Response rp = c.get("/redirect-port", "req.example");
            assertThat(rp.status()).isEqualTo(302);
            assertThat(rp.header("location")).isEqualTo("http://req.example:8083/redirect-port");
            RawHttp.Response rpre = c.get("/redirect-prefix/a/b", "req.example");
            assertThat(rpre.status()).isEqualTo(307);
            assertThat(rpre.header("location")).isEqualTo("http://req.example:" + port + "/new/a/b");
            // The connection is still usable after local answers.
            assertThat(c.get("/req", "h").status()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void requestMirror(String transport) throws Exception {
        TestBackend a = new TestBackend("a");
        closeables.add(a);
        TestBackend m = new TestBackend("mirror");
        closeables.add(m);
        int port = TestSupport.freePort();
        Snap snap = Snap.create();
        Backend ba = snap.backend("ns/a:80", a.port);
        Backend bm = snap.backend("ns/mirror:80", m.port);
        snap.http(port)
                .rule().prefix("/mirror").filter(new HttpFilter.Mirror(bm, 1, 1))
                .filter(new HttpFilter.RequestHeaders(Snap.ops(List.<String[]>of(h("X-Set", "v")), List.<String[]>of(), List.of())))
                .to(ba).end()
                .rule().prefix("/never").filter(new HttpFilter.Mirror(bm, 0, 100)).to(ba);
        NettyDataPlane dp = TestSupport.dataPlane(transport);
        closeables.add(dp);
        dp.apply(snap.build()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        try (RawHttp c = new RawHttp(port)) {
            // Each copy is answered before the next request (the in-flight gauge back at 0), so the
            // pool's reuse is what is measured, not how the copies happen to overlap.
            String idle = "ringway_mirror_in_flight{backend=\"ns/mirror:80\"} 0\n";
            RawHttp.Response r = c.get("/mirror?id=1", "h");
            assertThat(r.echo()).containsEntry("server", "a").containsEntry("h:x-set", "v");
            org.awaitility.Awaitility.await().until(() -> m.requests.get() == 1 && metrics(dp).contains(idle));
            c.send("POST /mirror/post HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world");
            assertThat(c.read(false).echo()).containsEntry("bytes", "11");
            org.awaitility.Awaitility.await().until(() -> m.requests.get() == 2 && m.bodyBytes.get() == 11
                    && metrics(dp).contains(idle));
            for (int i = 0; i < 5; i++) {
                assertThat(c.get("/mirror/again", "h").status()).isEqualTo(200);
                int n = 3 + i;
                org.awaitility.Awaitility.await().until(() -> m.requests.get() == n && metrics(dp).contains(idle));
            }
            assertThat(c.get("/never", "h").status()).isEqualTo(200);
        }
        Thread.sleep(100);
        assertThat(m.requests.get()).isEqualTo(7);
        // Mirror connections are pooled too (a mirror still waiting for its answer when the next
        // request comes makes a second connection, so not exactly one; but not one per request).
        assertThat(m.accepts.get()).isLessThanOrEqualTo(3);
    }

    /**
     * Issue 5: "a bounded number of mirror requests in flight, the excess dropped and counted". The
     * mirror accepts connections and never answers, so every copy stays in flight; with a limit of 3
     * on one loop, 10 requests send 3 copies and count 7 drops, and the primaries are all served.
     * The limit is per mirror backend: a healthy mirror on another route is still sent every copy.
     * Once the black hole closes its connections its copies finish and mirroring to it resumes.
     */
    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void mirrorsInFlightAreBoundedPerLoopAndDropsCounted(String transport) throws Exception {
        TestBackend a = new TestBackend("a");
        closeables.add(a);
        java.net.ServerSocket blackHole = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        closeables.add(blackHole);
        List<java.net.Socket> held = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread acceptor = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    held.add(blackHole.accept());
                }
            } catch (java.io.IOException closed) {
                // test over
            }
        });
        int port = TestSupport.freePort();
        Snap snap = Snap.create();
        Backend ba = snap.backend("ns/a:80", a.port);
        TestBackend healthy = new TestBackend("healthy-mirror");
        closeables.add(healthy);
        Backend hole = snap.backend("ns/black-hole:80", blackHole.getLocalPort());
        Backend hm = snap.backend("ns/healthy-mirror:80", healthy.port);
        snap.http(port)
                .rule().prefix("/healthy").filter(new HttpFilter.Mirror(hm, 1, 1)).to(ba).end()
                .rule().prefix("/").filter(new HttpFilter.Mirror(hole, 1, 1)).to(ba);
        NettyDataPlane dp = NettyDataPlane.create(DataPlaneOptions.defaults().withTransport(transport).withEventLoops(1)
                .withDrain(java.time.Duration.ofSeconds(1))
                .withUpstream(DataPlaneOptions.Upstream.defaults().withMaxMirrorsInFlight(3)));
        closeables.add(dp);
        dp.apply(snap.build()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        try (RawHttp c = new RawHttp(port)) {
            for (int i = 0; i < 10; i++) {
                assertThat(c.get("/orders/" + i, "h").echo()).containsEntry("server", "a");
            }
            org.awaitility.Awaitility.await().until(() -> held.size() == 3);
            assertThat(metrics(dp)).contains("ringway_mirror_dropped_total{backend=\"ns/black-hole:80\"} 7\n")
                    .contains("ringway_mirror_in_flight{backend=\"ns/black-hole:80\"} 3\n");
            for (int i = 0; i < 5; i++) { // one at a time: each copy is answered before the next starts
                assertThat(c.get("/healthy/" + i, "h").status()).isEqualTo(200);
                int n = i + 1;
                org.awaitility.Awaitility.await().until(() -> healthy.requests.get() == n);
                Thread.sleep(50);
            }
            Thread.sleep(200);
            assertThat(held).as("mirror connections: one per copy in flight, no more").hasSize(3);
            assertThat(metrics(dp)).doesNotContain("ringway_mirror_dropped_total{backend=\"ns/healthy-mirror:80\"}");
            org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(metrics(dp))
                    .contains("ringway_mirror_in_flight{backend=\"ns/healthy-mirror:80\"} 0\n"));

            // the mirror hangs up: its copies finish, the loop may start new ones
            synchronized (held) {
                for (java.net.Socket s : held) {
                    s.close();
                }
                held.clear();
            }
            // (until the gateway has seen the closes, a copy may still be dropped: poll)
            org.awaitility.Awaitility.await().pollInterval(java.time.Duration.ofMillis(50)).untilAsserted(() -> {
                assertThat(c.get("/after", "h").status()).isEqualTo(200);
                assertThat(held).isNotEmpty();
            });
        } finally {
            blackHole.close();
            acceptor.join(2000);
            synchronized (held) {
                for (java.net.Socket s : held) {
                    s.close();
                }
            }
        }
    }

    private static String metrics(NettyDataPlane dp) {
        StringBuilder out = new StringBuilder();
        dp.writeMetrics(out);
        return out.toString();
    }
}
