package dev.ringway.control.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code examples/filters/retry}: codes 500/502/503, {@code attempts: 2} (up to three tries), backoff
 * 100 ms. The echo's {@code /retry/...?uuid=U&succeedAfter=N&responseCode=C} fails the first N tries of U
 * with C, so the answer tells how many tries the gateway made. The example's {@code request: 10s} is
 * shortened to 1 s to show that it bounds the retries too.
 */
class RetryE2eTest {
    @RegisterExtension
    static final ExampleExtension example = ExampleExtension.of(dir -> ExampleGateway.of("filters/retry", dir)
            .edit("10-route.yaml", s -> s.replace("request: 10s", "request: 1s")));

    static String retry(int succeedAfter, int code, String more) {
        return "/retry/checkout?uuid=" + UUID.randomUUID() + "&succeedAfter=" + succeedAfter + "&responseCode=" + code + more;
    }

    @Test
    void twoFailuresAreRetriedAway() {
        for (Curl.Version v : new Curl.Version[]{Curl.Version.HTTP_1_1, Curl.Version.H2C}) {
            Curl.Response r = Curl.get(example.gw(), v, "shop.example.com", retry(2, 503, ""));
            assertThat(r.status()).as(v.name()).isEqualTo(200);
            assertThat(r.pod()).startsWith("flaky-service-");
            // two backoffs of 100 ms
            assertThat(r.seconds()).isGreaterThanOrEqualTo(0.2);
        }
    }

    @Test
    void threeFailuresUseUpTheTries() {
        Curl.Response r = Curl.get(example.gw(), Curl.Version.HTTP_1_1, "shop.example.com", retry(3, 502, ""));
        assertThat(r.status()).isEqualTo(502);
    }

    @Test
    void codesNotListedAreNotRetried() {
        Curl.Response r = Curl.get(example.gw(), Curl.Version.HTTP_1_1, "shop.example.com", retry(1, 504, ""));
        assertThat(r.status()).isEqualTo(504);
        Curl.Response ok = Curl.get(example.gw(), Curl.Version.HTTP_1_1, "shop.example.com", retry(1, 500, ""));
        assertThat(ok.status()).isEqualTo(200);
    }

    @Test
    void theRequestTimeoutBoundsAllTries() {
        // each failing try takes 600 ms: the second try is under way when request: 1s runs out
        Curl.Response r = Curl.get(example.gw(), Curl.Version.HTTP_1_1, "shop.example.com", retry(5, 503, "&delayRetry=600ms"));
        assertThat(r.status()).isEqualTo(504);
        assertThat(r.seconds()).isBetween(0.95, 1.5);
    }

    @Test
    void noTryIsStartedWhoseBackoffWouldEndAfterTheDeadline() {
        // tries end at 0.42 s and 0.94 s; a third would start at 1.04 s, after the deadline: the last answer
        // is returned at once (0.94 s leaves room for a loaded machine on both sides of the 0.9 to 1.0 window)
        Curl.Response r = Curl.get(example.gw(), Curl.Version.HTTP_1_1, "shop.example.com", retry(5, 503, "&delayRetry=420ms"));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.seconds()).isBetween(0.8, 1.2);
    }
}
