package dev.ringway.control.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mirror isolation: a mirror backend that is down, slow or failing changes nothing for the primary
 * responses.
 *
 * <p>Setup: {@code examples/filters/request-mirror} plus routes on their own hostnames, all to the same
 * production-service echo: {@code baseline} without a mirror, and {@code down}, {@code slow},
 * {@code failing}, {@code healthy} mirroring 100% of requests (the worst case; the example mirrors 10%) to
 * a backend that is, respectively: an address and port nobody listens on (connection refused); a server
 * that answers every request after 2 s; a server that answers every other request with a 500 and resets
 * the connection on the others; the example's shadow echo.
 *
 * <p>What is measured: curl sends sequential requests in batches over one keep-alive HTTP/1.1 connection
 * and reports each request's {@code time_total}; batches of the five variants are interleaved over a few
 * rounds so that load drifts on this shared 2-core machine hit all of them alike; the medians are compared
 * (see the two tests for the bounds and why). Asserted in both: every primary response is 200 from
 * production-service (no primary error at all), and the mirrors really went out. The numbers are printed
 * (surefire's output file of this class).
 */
class MirrorIsolationE2eTest {
    static final List<String> VARIANTS = List.of("baseline", "down", "slow", "failing", "healthy");

    @TempDir
    static Path dir;
    static ExampleGateway gw;
    static MisbehavingBackend slow;
    static MisbehavingBackend failing;

    @BeforeAll
    static void start() throws Exception {
        int port = ExampleGateway.freePort();
        slow = MisbehavingBackend.start("127.0.15.4", port, MisbehavingBackend.Mode.SLOW, Duration.ofSeconds(2));
        failing = MisbehavingBackend.start("127.0.15.5", port, MisbehavingBackend.Mode.FAILING, Duration.ZERO);
        gw = ExampleGateway.of("filters/request-mirror", dir)
                .prepare(d -> Files.writeString(d.resolve("20-isolation.yaml"), isolationManifests(port)))
                .externalServices("shadow-down", "shadow-slow", "shadow-failing")
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
        if (slow != null) {
            slow.close();
        }
        if (failing != null) {
            failing.close();
        }
    }

    static String isolationManifests(int port) {
        StringBuilder s = new StringBuilder();
        s.append(route("baseline", null));
        s.append(route("down", "shadow-down")).append(service("shadow-down", "127.0.15.3", port));
        s.append(route("slow", "shadow-slow")).append(service("shadow-slow", "127.0.15.4", port));
        s.append(route("failing", "shadow-failing")).append(service("shadow-failing", "127.0.15.5", port));
        s.append(route("healthy", "shadow-service"));
        return s.toString();
    }

    static String route(String name, String mirror) {
        String filter = mirror == null ? "" : """
                    filters:
                    - type: RequestMirror
                      requestMirror:
                        backendRef: {name: %s, port: 8080}
                        percent: 100
                """.formatted(mirror);
        return """
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: %s, namespace: default}
                spec:
                  parentRefs: [{name: example-gateway}]
                  hostnames: [%s.example.com]
                  rules:
                  - backendRefs: [{name: production-service, port: 8080}]
                %s""".formatted(name, name, filter);
    }

    static String service(String name, String ip, int port) {
        return """
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: %s, namespace: default}
                spec: {ports: [{name: http, port: 8080, targetPort: %d}]}
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: %s-1, namespace: default, labels: {kubernetes.io/service-name: %s}}
                addressType: IPv4
                ports: [{name: http, port: %d}]
                endpoints: [{addresses: ["%s"], targetRef: {kind: Pod, namespace: default, name: %s-6c9f7d8b5-x1}}]
                """.formatted(name, port, name, name, port, ip, name);
    }

    static double percentile(List<Double> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * sorted.size())));
    }

    static boolean warm;

    /** JIT, connection pools, the mirror backends' first connections. */
    static void warmUp() {
        if (!warm) {
            for (String v : VARIANTS) {
                Curl.batch(Curl.Version.HTTP_1_1, v.equals("baseline") ? 400 : 60, v + ".example.com", gw.url("/warmup"));
            }
            warm = true;
        }
    }

    /**
     * The primary backend takes 10 ms per request (echo {@code ?delay=10ms}), like a real service: the medians
     * of the down, slow and failing variants must be within 15% of the baseline's (measured: a few percent,
     * about what mirroring to a healthy backend costs too). Holding the primary up by 1.5 ms would fail.
     */
    @Test
    void withAServiceTimeOf10msTheMedianIsWithin15Percent() throws Exception {
        warmUp();
        Map<String, double[]> stats = measure("?delay=10ms", 3, 60);
        double base = stats.get("baseline")[0];
        for (String v : List.of("down", "slow", "failing")) {
            assertThat(stats.get(v)[0]).as(v + " p50 ms vs baseline " + base).isLessThanOrEqualTo(base * 1.15);
        }
    }

    /**
     * The backend answers at once: the median is the gateway's own cost (about 0.45 ms here), and mirroring
     * every request doubles the gateway's work on the same event loop (and, in this one-process setup, the
     * backends compete for the same 2 cores), so the medians rise by a few tenths of a millisecond. Asserted
     * generously (at most 2 ms more than the baseline; measured 0.15 to 1 ms more), which still fails if a primary ever waited for the
     * mirror (a 2 s answer, a 5 s connect timeout).
     */
    @Test
    void withAnInstantBackendTheMedianRisesByTheMirrorsCpuCostOnly() throws Exception {
        warmUp();
        Map<String, double[]> stats = measure("", 3, 150);
        double base = stats.get("baseline")[0];
        for (String v : List.of("down", "slow", "failing")) {
            assertThat(stats.get(v)[0]).as(v + " p50 ms vs baseline " + base).isLessThanOrEqualTo(base + 2.0);
        }
    }

    /** Interleaved batches of every variant; returns p50, p90, p99 in ms per variant, and prints them. */
    Map<String, double[]> measure(String query, int rounds, int perBatch) {
        // warm-up: JIT, connection pools, the mirror backends' first connections
        for (String v : VARIANTS) {
            Curl.batch(Curl.Version.HTTP_1_1, v.equals("baseline") ? 1500 : 300, v + ".example.com", gw.url("/warmup"));
        }
        Map<String, List<Double>> latencies = new LinkedHashMap<>();
        VARIANTS.forEach(v -> latencies.put(v, new ArrayList<>()));
        long slowBefore = slow.requests();
        long failingBefore = failing.requests();
        long healthyBefore = gw.echo("shadow-service").requestLog().targets().size();
        for (int round = 0; round < rounds; round++) {
            for (String v : VARIANTS) {
                Curl.Batch b = Curl.batch(Curl.Version.HTTP_1_1, perBatch, v + ".example.com", gw.url("/orders/" + v + query));
                assertThat(b.statuses()).as(v).hasSize(perBatch).containsOnly(200);
                assertThat(b.byDeployment()).as(v).containsOnly(Map.entry("production-service", perBatch));
                latencies.get(v).addAll(b.seconds().subList(1, perBatch)); // the first one also connected
            }
        }
        int measured = rounds * perBatch;
        Map<String, double[]> stats = new LinkedHashMap<>();
        latencies.forEach((v, l) -> {
            List<Double> sorted = l.stream().sorted().toList();
            stats.put(v, new double[]{percentile(sorted, 0.5) * 1000, percentile(sorted, 0.9) * 1000, percentile(sorted, 0.99) * 1000});
        });
        double base = stats.get("baseline")[0];
        StringBuilder report = new StringBuilder("mirror isolation" + query + ", " + measured + " requests per variant (p50 / p90 / p99 ms, p50 vs baseline):\n");
        stats.forEach((v, s) -> report.append(String.format("  %-9s %.3f / %.3f / %.3f  %+.1f%%%n", v, s[0], s[1], s[2], 100 * (s[0] / base - 1))));
        report.append(String.format("  slow mirror: %d requests, %d connections, at most %d open at once; failing mirror: %d requests%n",
                slow.requests() - slowBefore, slow.connections(), slow.maxOpenConnections(), failing.requests() - failingBefore));
        System.out.print(report);

        // the mirrors were really sent (the down one cannot count: nothing listens)
        assertThat(slow.requests() - slowBefore).as("slow mirror requests").isGreaterThan(measured / 4);
        assertThat(failing.requests() - failingBefore).as("failing mirror requests").isGreaterThan(measured / 2);
        assertThat(gw.echo("shadow-service").requestLog().targets().size() - healthyBefore)
                .as("healthy mirror requests").isGreaterThan(measured / 2);
        return stats;
    }
}
