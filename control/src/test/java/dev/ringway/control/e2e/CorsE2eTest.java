package dev.ringway.control.e2e;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.provider.EnumSource;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code examples/filters/cors}: preflights answered by the gateway (the backend never sees them), CORS
 * fields on the backend's answers for allowed origins (exact and wildcard), none for other origins.
 */
class CorsE2eTest {
    @RegisterExtension
    static final ExampleExtension example = ExampleExtension.of(dir -> ExampleGateway.of("filters/cors", dir));

    @ParameterizedTest
    @EnumSource(value = Curl.Version.class, names = {"HTTP_1_1", "H2C"})
    void preflight(Curl.Version v) {
        String path = "/preflight-" + v.name();
        Curl.Response r = Curl.get(example.gw(), v, "api.example.com", path, "-X", "OPTIONS",
                "-H", "Origin: https://www.example.com", "-H", "Access-Control-Request-Method: PUT",
                "-H", "Access-Control-Request-Headers: X-Request-ID");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("https://www.example.com");
        assertThat(r.header("Access-Control-Allow-Credentials")).isEqualTo("true");
        assertThat(r.header("Access-Control-Allow-Methods")).isEqualToIgnoringWhitespace("GET,POST,PUT");
        assertThat(r.header("Access-Control-Allow-Headers").toLowerCase()).isEqualToIgnoringWhitespace("content-type,x-request-id");
        assertThat(r.header("Access-Control-Max-Age")).isEqualTo("3600");
        assertThat(r.header("Vary")).containsIgnoringCase("Origin");
        assertThat(r.body()).isEmpty();
        assertThat(example.gw().echo("api-service").requestLog().targets()).doesNotContain(path);
    }

    @ParameterizedTest
    @EnumSource(value = Curl.Version.class, names = {"HTTP_1_1", "H2C"})
    void wildcardOriginPreflight(Curl.Version v) {
        Curl.Response r = Curl.get(example.gw(), v, "api.example.com", "/", "-X", "OPTIONS",
                "-H", "Origin: https://shop.eu.example.org", "-H", "Access-Control-Request-Method: POST");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("https://shop.eu.example.org");
    }

    @ParameterizedTest
    @EnumSource(value = Curl.Version.class, names = {"HTTP_1_1", "H2C"})
    void disallowedOriginPreflight(Curl.Version v) {
        Curl.Response r = Curl.get(example.gw(), v, "api.example.com", "/", "-X", "OPTIONS",
                "-H", "Origin: https://evil.example.net", "-H", "Access-Control-Request-Method: PUT");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.has("Access-Control-Allow-Origin")).isFalse();
        assertThat(r.has("Access-Control-Allow-Methods")).isFalse();
        // http://www.example.com is another origin than https://www.example.com
        Curl.Response scheme = Curl.get(example.gw(), v, "api.example.com", "/", "-X", "OPTIONS",
                "-H", "Origin: http://www.example.com", "-H", "Access-Control-Request-Method: PUT");
        assertThat(scheme.has("Access-Control-Allow-Origin")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = Curl.Version.class, names = {"HTTP_1_1", "H2C"})
    void actualRequest(Curl.Version v) {
        Curl.Response r = Curl.get(example.gw(), v, "api.example.com", "/items", "-H", "Origin: https://www.example.com",
                "-H", "X-Echo-Set-Header: X-Cache-Status:HIT");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.pod()).startsWith("api-service-");
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("https://www.example.com");
        assertThat(r.header("Access-Control-Allow-Credentials")).isEqualTo("true");
        assertThat(r.header("Access-Control-Expose-Headers")).isEqualToIgnoringCase("X-Cache-Status");
        assertThat(r.header("Vary")).containsIgnoringCase("Origin");

        Curl.Response other = Curl.get(example.gw(), v, "api.example.com", "/items", "-H", "Origin: https://evil.example.net");
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.has("Access-Control-Allow-Origin")).isFalse();

        Curl.Response none = Curl.get(example.gw(), v, "api.example.com", "/items");
        assertThat(none.has("Access-Control-Allow-Origin")).isFalse();
    }
}
