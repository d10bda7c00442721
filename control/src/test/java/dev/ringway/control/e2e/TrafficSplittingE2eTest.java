package dev.ringway.control.e2e;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code examples/filters/traffic-splitting}: the seed article's 95/5 canary and 90/10 split, counted from
 * the pods that answered {@code n} curl requests (one keep-alive connection: the backend is picked per
 * request, not per connection). Bounds: more than 4 binomial standard deviations around the weight.
 */
class TrafficSplittingE2eTest {
    @RegisterExtension
    static final ExampleExtension example = ExampleExtension.of(dir -> ExampleGateway.of("filters/traffic-splitting", dir));

    @ParameterizedTest(name = "{0} {1}{2}: {4} gets {5}..{6}")
    @CsvSource({
            "HTTP_1_1, app.example.com, /,          app-v1,     app-v2,     0.028, 0.072, 2000",
            "HTTP_1_1, api.example.com, /api/users, api-stable, api-canary, 0.07,  0.13,  2000",
            "H2C,      app.example.com, /,          app-v1,     app-v2,     0.02,  0.085, 1000",
            "H2C,      api.example.com, /api/users, api-stable, api-canary, 0.06,  0.14,  1000"})
    void split(Curl.Version v, String host, String path, String main, String canary, double low, double high, int n) {
        Curl.Batch b = Curl.batchOf(v, n, host, example.gw().url(path));
        assertThat(b.statuses()).hasSize(n).containsOnly(200);
        Map<String, Integer> by = b.byDeployment();
        System.out.printf("split %s %s%s: %s%n", v, host, path, by);
        assertThat(by).containsOnlyKeys(main, canary);
        assertThat(by.get(main) + by.get(canary)).isEqualTo(n);
        assertThat(by.get(canary) / (double) n).isBetween(low, high);
    }
}
