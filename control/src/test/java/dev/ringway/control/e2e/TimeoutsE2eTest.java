package dev.ringway.control.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code examples/filters/timeouts}: the seed article's {@code request: 30s, backendRequest: 25s}, run with
 * {@code 2s} and {@code 1s} standing in (a test cannot wait 25 s); the echo backend answers after
 * {@code ?delay=}. Faster than the timeouts: 200. Slower than backendRequest: 504 after about 1 s, and the
 * connection is still usable.
 */
class TimeoutsE2eTest {
    @RegisterExtension
    static final ExampleExtension example = ExampleExtension.of(dir -> ExampleGateway.of("filters/timeouts", dir)
            .edit("10-route.yaml", s -> s.replace("request: 30s", "request: 2s").replace("backendRequest: 25s", "backendRequest: 1s")));

    @ParameterizedTest
    @EnumSource(value = Curl.Version.class, names = {"HTTP_1_1", "H2C"})
    void fastEnough(Curl.Version v) {
        Curl.Response r = Curl.get(example.gw(), v, "slow.example.com", "/report?delay=300ms");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.seconds()).isGreaterThanOrEqualTo(0.3);
        assertThat(r.pod()).startsWith("slow-service-");
    }

    @ParameterizedTest
    @EnumSource(value = Curl.Version.class, names = {"HTTP_1_1", "H2C"})
    void tooSlow(Curl.Version v) {
        for (String delay : new String[]{"1500ms", "5s"}) {
            Curl.Response r = Curl.get(example.gw(), v, "slow.example.com", "/report?delay=" + delay);
            assertThat(r.status()).as(delay).isEqualTo(504);
            assertThat(r.httpVersion()).isEqualTo(v.reported);
            // backendRequest (1 s) fires, not request (2 s), and not the backend's answer
            assertThat(r.seconds()).as(delay).isBetween(0.95, 1.9);
        }
    }

    @Test
    void theClientConnectionSurvivesA504() {
        // HTTP/1.1: two URLs, one curl process: the second request reuses the connection after the 504
        Curl.Output o = Curl.run(List.of("curl", "-sS", "--http1.1", "-H", "Host: slow.example.com",
                "-o", "/dev/null", "-o", "/dev/null", "-w", "%{http_code} %{num_connects}\n",
                example.gw().url("/a?delay=1500ms"), example.gw().url("/b")));
        assertThat(o.exit()).isZero();
        assertThat(o.stdout()).isEqualTo("504 1\n200 0\n");
    }

    @Test
    void anotherStreamIsNotHeldUp() {
        // h2c: two concurrent streams on one connection; the fast one is answered while the slow one waits
        Curl.Batch b = Curl.h2cBatch(1, "slow.example.com", example.gw().url("/a?delay=1500ms"));
        assertThat(b.statuses()).containsExactly(504);
        Curl.Output o = Curl.run(List.of("nghttp", "-s", "-H", ":authority: slow.example.com",
                example.gw().url("/slow?delay=1500ms"), example.gw().url("/fast")));
        assertThat(o.exit()).isZero();
        assertThat(o.stdout()).containsPattern("(?m)^\\s*\\d+\\s+\\+\\S+\\s+\\+\\S+\\s+\\S+\\s+200\\s+\\d+\\s+/fast$")
                .containsPattern("(?m)^\\s*\\d+\\s+\\+\\S+\\s+\\+\\S+\\s+\\S+\\s+504\\s+\\d+\\s+/slow\\?delay=1500ms$");
    }
}
