package dev.ringway.io;

import dev.ringway.core.route.AppProtocol;
import dev.ringway.core.route.Backend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Idle timeouts: client connections (HTTP/1.1, h2c), pooled upstream connections (HTTP/1.1, h2c). */
class IdleTest {
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void idleConnectionsAreClosedBothSides(String transport) throws Exception {
        TestBackend h1 = new TestBackend("h1");
        closeables.add(h1);
        H2TestBackend h2 = new H2TestBackend("h2", 100);
        closeables.add(h2);
        int port = TestSupport.freePort();
        Snap snap = Snap.create();
        Backend b1 = snap.backend("ns/h1:80", h1.port);
        Backend b2 = snap.backend("ns/h2:80", AppProtocol.H2C, null, h2.port);
        snap.http(port).rule().prefix("/h2").to(b2).end().rule().prefix("/").to(b1);
        NettyDataPlane dp = NettyDataPlane.create(DataPlaneOptions.defaults().withTransport(transport).withEventLoops(1)
                .withDrain(Duration.ofSeconds(1)).withDownstreamIdleTimeout(Duration.ofMillis(400))
                .withUpstream(new DataPlaneOptions.Upstream(Duration.ofSeconds(2), 8, Duration.ofMillis(400), Duration.ofSeconds(10))));
        closeables.add(dp);
        assertThat(dp.apply(snap.build()).toCompletableFuture().get(10, TimeUnit.SECONDS).failed()).isEmpty();

        try (RawHttp c = new RawHttp(port)) {
            assertThat(c.get("/a", "h").status()).isEqualTo(200);
            assertThat(c.get("/h2/a", "h").status()).isEqualTo(200);
            // A slow answer is not cut by the client idle timeout (a request is in flight).
            assertThat(c.get("/delay?ms=700", "h").status()).isEqualTo(200);
            long t0 = System.nanoTime();
            assertThat(c.closedByPeer()).isTrue();
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3000);
        }
        // The pooled upstream connections went away too: the next exchanges open new ones.
        await().atMost(Duration.ofSeconds(10)).until(() -> h1.closes.get() == 1 && h2.closes.get() == 1);
        try (RawHttp c = new RawHttp(port)) {
            assertThat(c.get("/b", "h").status()).isEqualTo(200);
            assertThat(c.get("/h2/b", "h").status()).isEqualTo(200);
        }
        assertThat(h1.accepts.get()).isEqualTo(2);
        assertThat(h2.accepts.get()).isEqualTo(2);
        // An h2c client connection without streams is closed when idle.
        try (H2TestClient c = H2TestClient.cleartext(port)) {
            assertThat(c.send(H2TestClient.get("/x", "h")).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> !c.parent.isActive());
        }
    }
}
