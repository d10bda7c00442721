package dev.ringway.control.e2e;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.provider.CsvSource;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code examples/filters/url-rewrite}: the seed article's legacy-api rewrite (ReplacePrefixMatch
 * {@code /api/v1}), its Ingress migration (ReplacePrefixMatch {@code /}), ReplaceFullPath and a hostname
 * rewrite, as the backend sees the request; curl over HTTP/1.1 and h2c.
 */
class UrlRewriteE2eTest {
    @RegisterExtension
    static final ExampleExtension example = ExampleExtension.of(dir -> ExampleGateway.of("filters/url-rewrite", dir));

    @ParameterizedTest(name = "{0} {1}{2} -> {3}{4}")
    @CsvSource(delimiter = '|', textBlock = """
            HTTP_1_1 | api.example.com | /legacy-api                 | api.example.com      | /api/v1
            HTTP_1_1 | api.example.com | /legacy-api/                | api.example.com      | /api/v1/
            HTTP_1_1 | api.example.com | /legacy-api/users?id=7      | api.example.com      | /api/v1/users?id=7
            HTTP_1_1 | api.example.com | /legacy-api/users/7/orders  | api.example.com      | /api/v1/users/7/orders
            HTTP_1_1 | api.example.com | /search                     | api.example.com      | /api/v1/search
            HTTP_1_1 | api.example.com | /search/books?q=java        | api.example.com      | /api/v1/search?q=java
            HTTP_1_1 | api.example.com | /partner/orders?page=2      | partner-api.internal | /partner/orders?page=2
            HTTP_1_1 | example.com     | /api                        | example.com          | /
            HTTP_1_1 | example.com     | /api/                       | example.com          | /
            HTTP_1_1 | example.com     | /api/users                  | example.com          | /users
            HTTP_1_1 | example.com     | /api/users/7?fields=name    | example.com          | /users/7?fields=name
            H2C      | api.example.com | /legacy-api/users?id=7      | api.example.com      | /api/v1/users?id=7
            H2C      | api.example.com | /search/books?q=java        | api.example.com      | /api/v1/search?q=java
            H2C      | api.example.com | /partner/orders             | partner-api.internal | /partner/orders
            H2C      | example.com     | /api/users                  | example.com          | /users
            H2C      | example.com     | /api                        | example.com          | /
            """)
    void rewritten(Curl.Version v, String host, String path, String backendHost, String backendPath) {
        Curl.Response r = Curl.get(example.gw(), v, host, path);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.httpVersion()).isEqualTo(v.reported);
        assertThat(r.json().path("host").asText()).isEqualTo(backendHost);
        assertThat(r.json().path("path").asText()).isEqualTo(backendPath);
        // a rewrite is invisible to the client: no redirect, and the original Host is passed on
        assertThat(r.has("Location")).isFalse();
        assertThat(r.echoed("X-Forwarded-Host")).containsExactly(host);
        assertThat(r.pod()).startsWith("api-service-");
    }

    @ParameterizedTest(name = "{0} {1}{2}")
    @CsvSource(delimiter = '|', textBlock = """
            HTTP_1_1 | api.example.com | /legacy-apiary
            HTTP_1_1 | api.example.com | /api/v1/users
            HTTP_1_1 | example.com     | /apiary
            H2C      | example.com     | /apiary
            """)
    void prefixesMatchWholeSegments(Curl.Version v, String host, String path) {
        assertThat(Curl.get(example.gw(), v, host, path).status()).isEqualTo(404);
    }
}
