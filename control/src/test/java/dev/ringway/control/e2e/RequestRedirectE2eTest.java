package dev.ringway.control.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code examples/filters/request-redirect}: the seed article's 301 to
 * {@code https://new.example.com/new-page}, and the scheme, port, path-prefix and hostname variants; the
 * {@code Location} and status curl receives over HTTP/1.1 and h2c, and curl {@code -L} following one.
 */
class RequestRedirectE2eTest {
    @RegisterExtension
    static final ExampleExtension example = ExampleExtension.of(dir -> ExampleGateway.of("filters/request-redirect", dir));

    @ParameterizedTest
    @EnumSource(value = Curl.Version.class, names = {"HTTP_1_1", "H2C"})
    void redirects(Curl.Version v) {
        int port = example.gw().httpPort();
        Curl.Response article = Curl.get(example.gw(), v, "www.example.com", "/old-page");
        assertThat(article.status()).isEqualTo(301);
        assertThat(article.httpVersion()).isEqualTo(v.reported);
        assertThat(article.header("Location")).isEqualTo("https://new.example.com/new-page");

        // the query string is kept
        assertThat(Curl.get(example.gw(), v, "www.example.com", "/old-page?ref=mail").header("Location"))
                .isEqualTo("https://new.example.com/new-page?ref=mail");

        // no scheme set: the request's scheme and the listener's port stay; 302 is the default
        Curl.Response docs = Curl.get(example.gw(), v, "www.example.com", "/docs/intro");
        assertThat(docs.status()).isEqualTo(302);
        assertThat(docs.header("Location")).isEqualTo("http://www.example.com:" + port + "/documentation/intro");

        // scheme and port
        Curl.Response admin = Curl.get(example.gw(), v, "www.example.com", "/admin/users?page=2");
        assertThat(admin.status()).isEqualTo(308);
        assertThat(admin.header("Location")).isEqualTo("https://www.example.com:8443/admin/users?page=2");

        // hostname only
        Curl.Response moved = Curl.get(example.gw(), v, "old.example.com", "/shop/cart");
        assertThat(moved.status()).isEqualTo(301);
        assertThat(moved.header("Location")).isEqualTo("http://www.example.com:" + port + "/shop/cart");

        // Exact: /old-page/more is not redirected, it is served
        Curl.Response served = Curl.get(example.gw(), v, "www.example.com", "/old-page/more");
        assertThat(served.status()).isEqualTo(200);
        assertThat(served.json().path("path").asText()).isEqualTo("/old-page/more");
    }

    @Test
    void redirectsAreAnsweredByTheGateway() {
        Curl.get(example.gw(), Curl.Version.HTTP_1_1, "www.example.com", "/old-page");
        Curl.get(example.gw(), Curl.Version.HTTP_1_1, "www.example.com", "/docs/a");
        assertThat(example.gw().echo("web-service").requestLog().targets()).noneMatch(t -> t.startsWith("/old-page") || t.startsWith("/docs"));
    }

    @Test
    void curlFollowsTheRedirect() {
        int port = example.gw().httpPort();
        // -L: curl follows Location http://www.example.com:PORT/documentation/x, resolved to the gateway
        Curl.Response r = Curl.request(Curl.Version.HTTP_1_1, "-L", "--resolve", "www.example.com:" + port + ":127.0.0.1",
                "http://www.example.com:" + port + "/docs/getting-started");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("path").asText()).isEqualTo("/documentation/getting-started");
        assertThat(r.pod()).startsWith("web-service-");
    }
}
