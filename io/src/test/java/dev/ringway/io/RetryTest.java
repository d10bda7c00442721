package dev.ringway.io;

import dev.ringway.core.route.Backend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Route retries: status codes, connection errors, body replay bounds, backoff, deadlines. */
class RetryTest {
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private TestBackend v3;
    private int port;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private void start(String transport) throws Exception {
        v3 = new TestBackend("infra-backend-v3");
        closeables.add(v3);
        int dead = TestSupport.freePort();
        port = TestSupport.freePort();
        Snap snap = Snap.create();
        Backend b = snap.backend("gateway-conformance-infra/infra-backend-v3:8080", v3.port);
        Backend half = snap.backend("ns/half-dead:8080", dead, v3.port);
        Backend halfNoRetry = snap.backend("ns/half-dead-no-retry:8080", dead, v3.port);
        snap.http(port)
                // The manifest of the HTTPRouteRetry conformance test.
                .rule().prefix("/retry/code-500-attempts-3").retry(List.of(500), 3, null).to(b).end()
                .rule().prefix("/retry/code-all-attempts-2").retry(List.of(500, 502, 503, 504), 2, null).to(b).end()
                // Connection errors (no code listed), backoff, deadlines.
                .rule().prefix("/retry/reset").retry(List.of(), 2, null).to(b).end()
                .rule().prefix("/retry/backoff").retry(List.of(503), 1, Duration.ofMillis(300)).to(b).end()
                .rule().prefix("/retry/deadline").retry(List.of(503), 5, Duration.ofMillis(150)).timeout(Duration.ofMillis(400)).to(b).end()
                .rule().prefix("/retry/per-attempt").retry(List.of(504), 2, null).backendTimeout(Duration.ofMillis(200))
                .timeout(Duration.ofSeconds(5)).to(b).end()
                .rule().prefix("/half-dead").retry(List.of(), 1, null).to(half).end()
                .rule().prefix("/no-retry").to(halfNoRetry).end()
                .rule().prefix("/").to(b);
        NettyDataPlane dp = NettyDataPlane.create(DataPlaneOptions.defaults().withTransport(transport).withEventLoops(2)
                .withDrain(Duration.ofSeconds(2)).withUpstream(DataPlaneOptions.Upstream.defaults().withRetryBodyLimit(64 * 1024)));
        closeables.add(dp);
        assertThat(dp.apply(snap.build()).toCompletableFuture().get(10, TimeUnit.SECONDS).failed()).isEmpty();
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void theConformanceCases(String transport) throws Exception {
        start(transport);
        Object[][] cases = {
                {"/retry/code-500-attempts-3?responseCode=500&succeedAfter=2", 200},
                {"/retry/code-500-attempts-3?responseCode=500&succeedAfter=4", 500},
                {"/retry/code-500-attempts-3?responseCode=503&succeedAfter=2", 503},
                {"/retry/code-all-attempts-2?responseCode=500&succeedAfter=1", 200},
                {"/retry/code-all-attempts-2?responseCode=500&succeedAfter=3", 500},
                {"/retry/code-all-attempts-2?responseCode=502&succeedAfter=1", 200},
                {"/retry/code-all-attempts-2?responseCode=502&succeedAfter=3", 502},
                {"/retry/code-all-attempts-2?responseCode=503&succeedAfter=1", 200},
                {"/retry/code-all-attempts-2?responseCode=503&succeedAfter=3", 503},
                {"/retry/code-all-attempts-2?responseCode=504&succeedAfter=1", 200},
                {"/retry/code-all-attempts-2?responseCode=504&succeedAfter=3", 504},
        };
        try (RawHttp c = new RawHttp(port)) {
            for (Object[] k : cases) {
                String uuid = id();
                String path = k[0] + "&uuid=" + uuid;
                RawHttp.Response r = c.get(path, "h");
                assertThat(r.status()).as(path).isEqualTo(k[1]);
                if (r.status() == 200) {
                    assertThat(r.echo()).containsEntry("server", "infra-backend-v3").containsEntry("uri", path);
                }
            }
        }
        // attempts counts retries: 3 retries = 4 tries at most.
        String uuid = id();
        try (RawHttp c = new RawHttp(port)) {
            assertThat(c.get("/retry/code-500-attempts-3?responseCode=500&succeedAfter=9&uuid=" + uuid, "h").status()).isEqualTo(500);
        }
        assertThat(v3.retryCounts.get(uuid).get()).isEqualTo(4);
        // Over HTTP/2 too.
        try (H2TestClient h2 = H2TestClient.cleartext(port)) {
            H2TestClient.Response r = h2.send(H2TestClient.get("/retry/code-all-attempts-2?responseCode=503&succeedAfter=2&uuid=" + id(), "h"));
            assertThat(r.status()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void connectionErrorsAreRetried(String transport) throws Exception {
        start(transport);
        try (RawHttp c = new RawHttp(port)) {
            // Reset before any response (no responseCode: the simulator resets the connection).
            RawHttp.Response ok = c.get("/retry/reset?succeedAfter=2&uuid=" + id(), "h");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(c.get("/retry/reset?succeedAfter=3&uuid=" + id(), "h").status()).isEqualTo(502);
            // A body that fits the bound is sent again, whole.
            String uuid = id();
            byte[] body = "b".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
            c.send("POST /retry/reset?succeedAfter=1&uuid=" + uuid + " HTTP/1.1\r\nHost: h\r\nContent-Length: " + body.length + "\r\n\r\n");
            c.out.write(body);
            c.out.flush();
            RawHttp.Response r = c.read(false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.echo()).containsEntry("bytes", "10000");
            assertThat(v3.retryCounts.get(uuid).get()).isEqualTo(2);
            // Chunked too.
            uuid = id();
            c.send("POST /retry/code-all-attempts-2?responseCode=502&succeedAfter=1&uuid=" + uuid
                    + " HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
            RawHttp.Response rc = c.read(false);
            assertThat(rc.status()).isEqualTo(200);
            assertThat(rc.echo()).containsEntry("bytes", "11");
        }
        // A streamed body beyond the bound is never sent twice: the failure is the answer.
        try (RawHttp c = new RawHttp(port)) {
            String uuid = id();
            byte[] big = "x".repeat(300_000).getBytes(StandardCharsets.US_ASCII);
            c.send("POST /retry/code-all-attempts-2?responseCode=503&succeedAfter=1&uuid=" + uuid
                    + " HTTP/1.1\r\nHost: h\r\nContent-Length: " + big.length + "\r\n\r\n");
            c.out.write(big);
            c.out.flush();
            assertThat(c.read(false).status()).isEqualTo(503);
            assertThat(v3.retryCounts.get(uuid).get()).isEqualTo(1);
        }
        // An endpoint that refuses connections: retried on the other one (never a 503).
        try (RawHttp c = new RawHttp(port)) {
            for (int i = 0; i < 10; i++) {
                assertThat(c.get("/half-dead/" + i, "h").status()).isEqualTo(200);
            }
            // Without a retry policy half of them fail.
            int failed = 0;
            for (int i = 0; i < 10; i++) {
                failed += c.get("/no-retry/" + i, "h").status() == 503 ? 1 : 0;
            }
            assertThat(failed).isBetween(3, 7);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void backoffAndDeadlines(String transport) throws Exception {
        start(transport);
        try (RawHttp c = new RawHttp(port)) {
            long t0 = System.nanoTime();
            assertThat(c.get("/retry/backoff?responseCode=503&succeedAfter=1&uuid=" + id(), "h").status()).isEqualTo(200);
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(280);
            // timeouts.request bounds the whole: 150 ms backoffs, 400 ms in all, never 5 retries.
            String uuid = id();
            t0 = System.nanoTime();
            int st = c.get("/retry/deadline?responseCode=503&succeedAfter=9&uuid=" + uuid, "h").status();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(st).isIn(503, 504);
            assertThat(ms).isLessThan(1000);
            assertThat(v3.retryCounts.get(uuid).get()).isBetween(2, 3);
            // timeouts.backendRequest per attempt: the first attempt hangs, the retry answers.
            uuid = id();
            RawHttp.Response r = c.get("/retry/per-attempt?hang=1&succeedAfter=1&uuid=" + uuid, "h");
            assertThat(r.status()).isEqualTo(200);
            assertThat(v3.retryCounts.get(uuid).get()).isEqualTo(2);
            assertThat(c.get("/retry/per-attempt?hang=1&succeedAfter=5&uuid=" + id(), "h").status()).isEqualTo(504);
        }
    }
}
