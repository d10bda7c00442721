package dev.ringway.control.e2e;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.provider.EnumSource;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code examples/filters/request-header-modifier} (docs/guides/request-header-modifier.md) with curl over
 * HTTP/1.1 and h2c: the seed article's add, set of {@code Host}, and remove, as the backend sees them.
 */
class RequestHeaderModifierE2eTest {
    @RegisterExtension
    static final ExampleExtension example = ExampleExtension.of(dir -> ExampleGateway.of("filters/request-header-modifier", dir));

    @ParameterizedTest
    @EnumSource(value = Curl.Version.class, names = {"HTTP_1_1", "H2C"})
    void addSetRemove(Curl.Version v) {
        Curl.Response r = Curl.get(example.gw(), v, "api.example.com", "/users/7?x=1",
                "-H", "X-Debug-Header: secret", "-H", "x-debug-header: lower-case too", "-H", "X-Client: kept");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.httpVersion()).isEqualTo(v.reported);
        // set: the Host the backend sees (h2: from :authority) is replaced
        assertThat(r.json().path("host").asText()).isEqualTo("internal-api.svc.cluster.local");
        assertThat(r.json().path("path").asText()).isEqualTo("/users/7?x=1");
        // add: appended as given ("${REQUEST_ID}" is no variable)
        assertThat(r.echoed("X-Request-Id")).containsExactly("${REQUEST_ID}");
        // add after the gateway's own X-Forwarded-Proto: both values
        assertThat(r.echoed("X-Forwarded-Proto")).containsExactly("http", "https");
        // remove: every field of that name, whatever its case
        assertThat(r.echoed("X-Debug-Header")).isEmpty();
        assertThat(r.echoed("X-Client")).containsExactly("kept");
        // the original Host is still told to the backend
        assertThat(r.echoed("X-Forwarded-Host")).containsExactly("api.example.com");
        assertThat(r.pod()).startsWith("api-service-");
    }

    @ParameterizedTest
    @EnumSource(value = Curl.Version.class, names = {"HTTP_1_1", "H2C"})
    void addAppendsToAClientValue(Curl.Version v) {
        Curl.Response r = Curl.get(example.gw(), v, "api.example.com", "/", "-H", "X-Request-ID: from-client");
        assertThat(r.echoed("X-Request-Id")).containsExactly("from-client", "${REQUEST_ID}");
    }

    @ParameterizedTest
    @EnumSource(value = Curl.Version.class, names = {"HTTP_1_1", "H2C"})
    void otherHostsAreNotRouted(Curl.Version v) {
        assertThat(Curl.get(example.gw(), v, "www.example.com", "/").status()).isEqualTo(404);
    }
}
