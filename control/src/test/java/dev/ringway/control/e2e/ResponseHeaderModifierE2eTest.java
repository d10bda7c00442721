package dev.ringway.control.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code examples/filters/response-header-modifier}: the seed article's {@code X-Cache-Status} and
 * {@code Strict-Transport-Security} added, {@code Server} and {@code X-Powered-By} removed, seen by curl
 * over HTTP/1.1 and h2c. The echo backend sets the fields it is asked to ({@code X-Echo-Set-Header}).
 */
class ResponseHeaderModifierE2eTest {
    static final String BACKEND_SETS = "X-Echo-Set-Header: Server:Apache/2.4.57,X-Powered-By:PHP/8.2.1,X-App:kept";

    @RegisterExtension
    static final ExampleExtension example = ExampleExtension.of(dir -> ExampleGateway.of("filters/response-header-modifier", dir));

    @Test
    void theBackendReallySendsThem() {
        // straight to the echo backend, no gateway: Server and X-Powered-By are there
        var echo = example.gw().echo("web-service").httpAddress();
        Curl.Response direct = Curl.request(Curl.Version.HTTP_1_1, "-H", BACKEND_SETS,
                "http://" + echo.getHostString() + ":" + echo.getPort() + "/");
        assertThat(direct.header("Server")).isEqualTo("Apache/2.4.57");
        assertThat(direct.header("X-Powered-By")).isEqualTo("PHP/8.2.1");
        assertThat(direct.has("X-Cache-Status")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = Curl.Version.class, names = {"HTTP_1_1", "H2C"})
    void addAndRemove(Curl.Version v) {
        Curl.Response r = Curl.get(example.gw(), v, "www.example.com", "/index.html", "-H", BACKEND_SETS);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.httpVersion()).isEqualTo(v.reported);
        assertThat(r.headers().get("x-cache-status")).containsExactly("MISS");
        assertThat(r.headers().get("strict-transport-security")).containsExactly("max-age=31536000; includeSubDomains");
        assertThat(r.has("Server")).isFalse();
        assertThat(r.has("X-Powered-By")).isFalse();
        assertThat(r.header("X-App")).isEqualTo("kept");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.json().path("path").asText()).isEqualTo("/index.html");
    }

    @ParameterizedTest
    @EnumSource(value = Curl.Version.class, names = {"HTTP_1_1", "H2C"})
    void addAppendsToTheBackendsValue(Curl.Version v) {
        Curl.Response r = Curl.get(example.gw(), v, "www.example.com", "/", "-H", "X-Echo-Set-Header: X-Cache-Status:HIT");
        assertThat(r.headers().get("x-cache-status")).containsExactly("HIT", "MISS");
    }
}
