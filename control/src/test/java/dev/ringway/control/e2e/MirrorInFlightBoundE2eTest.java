package dev.ringway.control.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5: "a bounded number of mirror requests in flight, the excess dropped and counted". A mirror
 * backend that accepts connections and never answers (100% mirrored): the primaries are all served, but the
 * gateway must not hold one upstream connection per mirrored request until the response timeout (60 s by
 * default): at most a bounded number are in flight (asserted: at most 2048 for {@value #N} requests with 2
 * event loops; the default limit is 256 per loop), the others dropped, and the drops counted in
 * {@code ringway_mirror_dropped_total}.
 */
class MirrorInFlightBoundE2eTest {
    static final int N = 3000;

    @Test
    void mirrorsInFlightAreBoundedAndDropsCounted(@TempDir Path dir) throws Exception {
        int port = ExampleGateway.freePort();
        try (MisbehavingBackend blackHole = MisbehavingBackend.start("127.0.15.6", port, MisbehavingBackend.Mode.SLOW,
                Duration.ofMinutes(10));
             ExampleGateway gw = ExampleGateway.of("filters/request-mirror", dir)
                     .edit("10-route.yaml", s -> s.replace("name: shadow-service", "name: black-hole").replace("percent: 10", "percent: 100"))
                     .prepare(d -> Files.writeString(d.resolve("20-black-hole.yaml"),
                             MirrorIsolationE2eTest.service("black-hole", "127.0.15.6", port)))
                     .externalServices("black-hole")
                     .start()) {
            Curl.Batch b = Curl.batch(Curl.Version.HTTP_1_1, N, "shop.example.com", gw.url("/orders"));
            assertThat(b.statuses()).hasSize(N).containsOnly(200);
            assertThat(b.byDeployment()).containsOnly(Map.entry("production-service", N));
            Thread.sleep(500);
            System.out.printf("black-hole mirror: %d requests received, %d connections open at most%n",
                    blackHole.requests(), blackHole.maxOpenConnections());
            assertThat(blackHole.maxOpenConnections()).as("mirror connections open at once").isLessThanOrEqualTo(2048);
            assertThat(gw.admin("/metrics")).as("a counter of dropped mirror requests")
                    .containsPattern("(?m)^ringway_mirror_dropped_total\\{backend=\"[^\"]*/black-hole:\\d+\"\\} [1-9]");
        }
    }
}
