package dev.ringway.control.e2e;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code examples/filters/request-mirror}: the seed article's 10% mirror to shadow-service. Every answer
 * comes from production-service; the shadow echo's request log counts the copies, which must be about
 * 10% (binomial: with n requests the standard deviation is sqrt(n * 0.1 * 0.9); the bounds are more than
 * 4 standard deviations wide) and be copies of requests production-service got.
 */
class RequestMirrorE2eTest {
    @RegisterExtension
    static final ExampleExtension example = ExampleExtension.of(dir -> ExampleGateway.of("filters/request-mirror", dir));

    @ParameterizedTest
    @CsvSource({"HTTP_1_1, 2000, 0.07, 0.13", "H2C, 1000, 0.06, 0.14"})
    void tenPercentMirrored(Curl.Version v, int n, double low, double high) throws Exception {
        var production = example.gw().echo("production-service").requestLog();
        var shadow = example.gw().echo("shadow-service").requestLog();
        production.clear();
        shadow.clear();
        String path = "/orders-" + v.name().toLowerCase();
        Curl.Batch b = Curl.batchOf(v, n, "shop.example.com", example.gw().url(path));
        assertThat(b.statuses()).hasSize(n).containsOnly(200);
        assertThat(b.byDeployment()).containsOnlyKeys("production-service").containsEntry("production-service", n);
        assertThat(production.targets()).hasSize(n);

        // mirrors are fire and forget: wait until the count stops growing
        int seen = -1;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            Thread.sleep(200);
            int now = shadow.targets().size();
            if (now == seen) {
                break;
            }
            seen = now;
        }
        List<String> copies = shadow.targets();
        double share = copies.size() / (double) n;
        System.out.printf("mirror %s: %d of %d requests mirrored (%.1f%%)%n", v, copies.size(), n, 100 * share);
        assertThat(share).isBetween(low, high);
        // each copy is one of the requests production-service got, none twice
        Set<String> primaries = new HashSet<>(production.targets());
        assertThat(primaries).containsAll(copies);
        assertThat(new HashSet<>(copies)).hasSize(copies.size());
    }
}
