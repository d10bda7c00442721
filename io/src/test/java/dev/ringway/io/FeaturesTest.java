package dev.ringway.io;

import dev.ringway.core.route.Backend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Protocol upgrades, timeouts, the access log. */
class FeaturesTest {
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private int start(NettyDataPlane dp, TestBackend a, Duration ruleTimeout) throws Exception {
        closeables.add(dp);
        int port = TestSupport.freePort();
        Snap s = Snap.create();
        Backend b = s.backend("ns/a:80", a.port);
        s.http(port).rule().prefix("/timed").timeout(ruleTimeout).to(b).end().rule().prefix("/").to(b);
        assertThat(dp.apply(s.build()).toCompletableFuture().get(10, TimeUnit.SECONDS).failed()).isEmpty();
        return port;
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void upgradeBecomesATunnel(String transport) throws Exception {
        TestBackend a = new TestBackend("a");
        closeables.add(a);
        int port = start(TestSupport.dataPlane(transport), a, Duration.ofSeconds(5));
        try (RawHttp c = new RawHttp(port)) {
            c.send("GET /upgrade HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
            RawHttp.Response r = c.read(false);
            assertThat(r.status()).isEqualTo(101);
            assertThat(r.header("upgrade")).isEqualTo("websocket");
            assertThat(r.header("connection")).isEqualToIgnoringCase("upgrade");
            for (int i = 0; i < 3; i++) {
                byte[] msg = ("frame-" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
                c.out.write(msg);
                c.out.flush();
                assertThat(c.in.readNBytes(msg.length)).isEqualTo(msg);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void timeouts(String transport) throws Exception {
        TestBackend a = new TestBackend("a");
        closeables.add(a);
        NettyDataPlane dp = NettyDataPlane.create(DataPlaneOptions.defaults().withTransport(transport).withEventLoops(1)
                .withUpstream(new DataPlaneOptions.Upstream(Duration.ofSeconds(2), 8, Duration.ofSeconds(30), Duration.ofMillis(700))));
        int port = start(dp, a, Duration.ofMillis(200));
        try (RawHttp c = new RawHttp(port)) {
            long t0 = System.nanoTime();
            assertThat(c.get("/timed/hang", "h").status()).isEqualTo(504);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(650));
            // The connection stays usable.
            assertThat(c.get("/ok", "h").status()).isEqualTo(200);
            // No rule timeout: the upstream read timeout answers.
            assertThat(c.get("/hang", "h").status()).isEqualTo(504);
            assertThat(c.get("/delay?ms=100", "h").status()).isEqualTo(200);
        }
    }

    @Test
    void accessLog() throws Exception {
        TestBackend a = new TestBackend("a");
        closeables.add(a);
        Path log = Files.createTempFile("ringway-access", ".log");
        NettyDataPlane dp = NettyDataPlane.create(DataPlaneOptions.defaults().withTransport("nio").withEventLoops(1)
                .withAccessLog(log.toString()));
        int port = start(dp, a, Duration.ofSeconds(5));
        try (RawHttp c = new RawHttp(port)) {
            assertThat(c.get("/logged?x=1", "h").status()).isEqualTo(200);
            assertThat(c.get("/status/404", "h").status()).isEqualTo(404);
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            List<String> lines = Files.readAllLines(log);
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0)).contains("\"GET /logged?x=1 HTTP/1.1\" 200").contains("route=ns/route1/1")
                    .contains("backend=ns/a:80").contains("listener=ns/gw/http").contains("upstream=127.0.0.1:" + a.port);
            assertThat(lines.get(1)).contains(" 404 ");
        });
        Files.deleteIfExists(log);
    }
}
