package dev.ringway.io;

import dev.ringway.core.route.Backend;
import dev.ringway.core.route.HttpFilter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CORS filter: origin matching rules (unit) and, over sockets, every case of the upstream
 * HTTPRouteCORS conformance test (gateway-api v1.6.1, httproute-cors.go, manifests
 * tests/httproute-cors.yaml), with its acceptable values.
 */
class CorsTest {
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void originMatching() {
        assertThat(CorsFilter.matches("https://www.foo.com", "https://www.foo.com")).isTrue();
        assertThat(CorsFilter.matches("https://www.foo.com", "https://WWW.FOO.COM")).isTrue();
        assertThat(CorsFilter.matches("https://www.foo.com", "http://www.foo.com")).isFalse();
        assertThat(CorsFilter.matches("https://www.foo.com", "https://www.foo.com:443")).isTrue();
        assertThat(CorsFilter.matches("https://www.foo.com", "https://www.foo.com:8443")).isFalse();
        assertThat(CorsFilter.matches("http://www.foo.com:80", "http://www.foo.com")).isTrue();
        assertThat(CorsFilter.matches("https://*.bar.com", "https://www.bar.com")).isTrue();
        assertThat(CorsFilter.matches("https://*.bar.com", "https://xpto.www.bar.com")).isTrue();
        assertThat(CorsFilter.matches("https://*.bar.com", "https://bar.com")).isFalse();
        assertThat(CorsFilter.matches("https://*.bar.com", "https://foobar.com")).isFalse();
        assertThat(CorsFilter.matches("https://*.bar.com", "https://www.bar.com.evil.org")).isFalse();
        assertThat(CorsFilter.matches("https://*", "https://anything.example")).isTrue();
        assertThat(CorsFilter.matches("https://*", "http://anything.example")).isFalse();
        assertThat(CorsFilter.matches("*", "https://foobar.com:12345")).isTrue();
        assertThat(CorsFilter.matches("https://www.foo.com", "https://www.foo.com/path")).isFalse();
        assertThat(CorsFilter.matches("https://www.foo.com", "null")).isFalse();
        assertThat(CorsFilter.matches("https://www.foo.com", "https://www.foo.com:")).isFalse();
    }

    @Test
    void fieldsOfAPreflightAndAnActualAnswer() {
        HttpFilter.Cors c = new HttpFilter.Cors(List.of("*"), true, List.of("*"), List.of("*"), List.of("*"), 10);
        HttpHeaders req = new DefaultHttpHeaders().set("origin", "https://a.example").set("access-control-request-method", "PUT")
                .set("access-control-request-headers", "x-a, x-b");
        assertThat(CorsFilter.isPreflight(HttpMethod.OPTIONS, req)).isTrue();
        assertThat(CorsFilter.isPreflight(HttpMethod.GET, req)).isFalse();
        HttpHeaders out = new DefaultHttpHeaders();
        CorsFilter.preflight(c, "https://a.example", req, out);
        assertThat(out.get("access-control-allow-origin")).isEqualTo("https://a.example");
        assertThat(out.get("access-control-allow-methods")).isEqualTo("PUT");
        assertThat(out.get("access-control-allow-headers")).isEqualTo("x-a, x-b");
        assertThat(out.get("access-control-allow-credentials")).isEqualTo("true");
        assertThat(out.contains("access-control-expose-headers")).isFalse(); // "*" cannot go with credentials
        assertThat(out.get("access-control-max-age")).isEqualTo("10");
        assertThat(out.get("vary")).isEqualTo("origin");
        // Actual answer with credentials and "*" exposed: the response's own field names.
        HttpHeaders resp = new DefaultHttpHeaders().set("Content-Type", "text/plain").set("X-Thing", "1").set("Vary", "Accept");
        CorsFilter.actual(c, "https://a.example", resp);
        assertThat(resp.get("access-control-expose-headers")).isEqualTo("content-type, x-thing, vary");
        assertThat(resp.getAll("vary")).containsExactly("Accept", "origin");
    }

    @ParameterizedTest
    @MethodSource("dev.ringway.io.TestSupport#transports")
    void theConformanceCases(String transport) throws Exception {
        TestBackend v1 = new TestBackend("infra-backend-v1");
        closeables.add(v1);
        int port = TestSupport.freePort();
        Snap snap = Snap.create();
        Backend b = snap.backend("gateway-conformance-infra/infra-backend-v1:8080", v1.port);
        HttpFilter.Cors multiple = new HttpFilter.Cors(List.of("https://www.foo.com", "https://*.bar.com"), true,
                List.of("GET", "OPTIONS"), List.of("x-header-1", "x-header-2"), List.of("x-header-3", "x-header-4"), 3600);
        HttpFilter.Cors wildcardMethods = new HttpFilter.Cors(List.of("https://www.foo.com"), false, List.of("*"),
                List.of(), List.of(), 5);
        HttpFilter.Cors wildcardOrigin = new HttpFilter.Cors(List.of("*"), false, List.of("PUT"), List.of(), List.of(), 5);
        HttpFilter.Cors auth = new HttpFilter.Cors(List.of("*"), true, List.of("*"), List.of("*"), List.of(), 5);
        HttpFilter.Cors unauth = new HttpFilter.Cors(List.of("*"), false, List.of("*"), List.of("*"), List.of(), 5);
        snap.http(port)
                .rule().prefix("/cors-1").filter(multiple).to(b).end()
                .rule().prefix("/cors-2").filter(wildcardMethods).to(b).end()
                .rule().prefix("/cors-wildcard-origin").filter(wildcardOrigin).to(b).end()
                .rule().prefix("/cors-wildcard-methods-headers-unauth").filter(unauth).to(b).end()
                .rule().prefix("/cors-wildcard-methods-headers").filter(auth).to(b);
        NettyDataPlane dp = TestSupport.dataPlane(transport);
        closeables.add(dp);
        assertThat(dp.apply(snap.build()).toCompletableFuture().get(10, TimeUnit.SECONDS).failed()).isEmpty();

        try (RawHttp c = new RawHttp(port)) {
            // 1-3. Preflights from exact, wildcard and multi-label wildcard origins.
            for (String origin : List.of("https://www.foo.com", "https://www.bar.com", "https://xpto.www.bar.com")) {
                RawHttp.Response r = send(c, "OPTIONS", "/cors-1", "Origin", origin,
                        "access-control-request-method", "GET", "access-control-request-headers", "x-header-1, x-header-2");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("access-control-allow-origin")).isEqualTo(origin);
                assertThat(noSpace(r.header("access-control-allow-methods"))).isIn("GET,OPTIONS", "OPTIONS,GET");
                assertThat(noSpace(r.header("access-control-allow-headers"))).isIn("x-header-1,x-header-2", "x-header-2,x-header-1");
                assertThat(noSpace(r.header("access-control-expose-headers"))).isIn("x-header-3,x-header-4", "x-header-4,x-header-3");
                assertThat(r.header("access-control-max-age")).isEqualTo("3600");
                assertThat(r.header("access-control-allow-credentials")).isEqualTo("true");
                assertThat(r.text()).doesNotContain("server="); // answered by the gateway
            }
            assertThat(v1.requests.get()).isZero();
            // 4. Preflight from an origin not allowed: no allow-origin.
            RawHttp.Response denied = send(c, "OPTIONS", "/cors-1", "Origin", "https://foobar.com",
                    "access-control-request-method", "GET");
            assertThat(denied.status()).isIn(200, 204, 403);
            assertThat(denied.header("access-control-allow-origin")).isNull();
            // 5-6. Simple requests from allowed origins reach the backend and get allow-origin.
            for (String origin : List.of("https://www.foo.com", "https://www.bar.com")) {
                RawHttp.Response r = send(c, "GET", "/cors-1", "Origin", origin,
                        "access-control-request-method", "GET", "access-control-request-headers", "x-header-1, x-header-2");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.echo()).containsEntry("server", "infra-backend-v1");
                assertThat(r.header("access-control-allow-origin")).isEqualTo(origin);
                assertThat(r.header("vary")).containsIgnoringCase("origin");
            }
            // 7. Simple request from an origin not allowed: no allow-origin.
            RawHttp.Response simpleDenied = send(c, "GET", "/cors-1", "Origin", "https://foobar.com",
                    "access-control-request-method", "GET");
            assertThat(simpleDenied.status()).isEqualTo(200);
            assertThat(simpleDenied.header("access-control-allow-origin")).isNull();
            // 8-9. Wildcard methods without credentials.
            RawHttp.Response post = send(c, "OPTIONS", "/cors-2", "Origin", "https://www.foo.com",
                    "access-control-request-method", "POST");
            assertThat(post.status()).isIn(200, 204);
            assertThat(post.header("access-control-allow-methods")).isIn("POST", "*");
            assertThat(post.header("access-control-allow-origin")).isEqualTo("https://www.foo.com");
            assertThat(post.header("access-control-allow-credentials")).isNull();
            // 10-11. Wildcard origin, with and without a port.
            for (String origin : List.of("https://foobar.com", "https://foobar.com:12345")) {
                RawHttp.Response r = send(c, "OPTIONS", "/cors-wildcard-origin", "Origin", origin,
                        "access-control-request-method", "PUT");
                assertThat(r.status()).isIn(200, 204);
                assertThat(r.header("access-control-allow-origin")).isIn(origin, "*");
                assertThat(r.header("access-control-allow-methods")).isEqualTo("PUT");
                assertThat(r.header("access-control-allow-credentials")).isNull();
            }
            // 12-13. Actual PUTs from a wildcard origin, with and without a port.
            for (String origin : List.of("https://foobar.com:12345", "https://foobar.com")) {
                RawHttp.Response r = send(c, "PUT", "/cors-wildcard-origin", "Origin", origin);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.echo()).containsEntry("method", "PUT");
                assertThat(r.header("access-control-allow-origin")).isIn(origin, "*");
                assertThat(r.header("access-control-allow-credentials")).isNull();
            }
            // 14. Credentials with wildcards: always the requested origin, method and headers.
            RawHttp.Response authPre = send(c, "OPTIONS", "/cors-wildcard-methods-headers", "Origin", "https://other.foo.com",
                    "access-control-request-method", "PUT", "access-control-request-headers", "x-header-1, x-header-2");
            assertThat(authPre.status()).isEqualTo(200);
            assertThat(authPre.header("access-control-allow-origin")).isEqualTo("https://other.foo.com");
            assertThat(authPre.header("access-control-allow-methods")).isEqualTo("PUT");
            assertThat(noSpace(authPre.header("access-control-allow-headers"))).isIn("x-header-1,x-header-2", "x-header-2,x-header-1");
            assertThat(authPre.header("access-control-allow-credentials")).isEqualTo("true");
            // 15. The same without credentials: no allow-credentials.
            RawHttp.Response unauthPre = send(c, "OPTIONS", "/cors-wildcard-methods-headers-unauth", "Origin", "https://other.foo.com",
                    "access-control-request-method", "PUT", "access-control-request-headers", "x-header-1, x-header-2");
            assertThat(unauthPre.status()).isEqualTo(200);
            assertThat(unauthPre.header("access-control-allow-origin")).isIn("https://other.foo.com", "*");
            assertThat(unauthPre.header("access-control-allow-methods")).isIn("PUT", "*");
            assertThat(noSpace(unauthPre.header("access-control-allow-headers"))).isIn("x-header-1,x-header-2", "x-header-2,x-header-1", "*");
            assertThat(unauthPre.header("access-control-allow-credentials")).isNull();
            // 16-17. Simple requests carrying credentials.
            RawHttp.Response authGet = send(c, "GET", "/cors-wildcard-methods-headers", "Origin", "https://other.foo.com",
                    "Authorization", "Bearer test");
            assertThat(authGet.status()).isEqualTo(200);
            assertThat(authGet.header("access-control-allow-origin")).isEqualTo("https://other.foo.com");
            assertThat(authGet.header("access-control-allow-credentials")).isEqualTo("true");
            RawHttp.Response unauthGet = send(c, "GET", "/cors-wildcard-methods-headers-unauth", "Origin", "https://other.foo.com",
                    "Authorization", "Bearer test");
            assertThat(unauthGet.status()).isEqualTo(200);
            assertThat(unauthGet.header("access-control-allow-origin")).isEqualTo("https://other.foo.com");
            assertThat(unauthGet.header("access-control-allow-credentials")).isNull();
            // No Origin: not a CORS request, nothing added.
            RawHttp.Response plain = c.get("/cors-1", "h");
            assertThat(plain.header("access-control-allow-origin")).isNull();
            assertThat(plain.header("vary")).isNull();
        }
        // Over HTTP/2 too.
        try (H2TestClient h2 = H2TestClient.cleartext(port)) {
            H2TestClient.Response r = h2.send(new io.netty.handler.codec.http2.DefaultHttp2Headers().method("OPTIONS")
                    .scheme("http").path("/cors-1").authority("h").add("origin", "https://www.foo.com")
                    .add("access-control-request-method", "GET"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("access-control-allow-origin")).isEqualTo("https://www.foo.com");
            H2TestClient.Response g = h2.send(H2TestClient.get("/cors-1", "h").add("origin", "https://www.bar.com"));
            assertThat(g.header("access-control-allow-origin")).isEqualTo("https://www.bar.com");
        }
    }

    private static RawHttp.Response send(RawHttp c, String method, String path, String... headers) throws Exception {
        StringBuilder sb = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: h\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            sb.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        sb.append("X-Echo-Set-Header: \r\n\r\n");
        c.send(sb.toString());
        return c.read(method.equals("HEAD"));
    }

    private static String noSpace(String s) {
        return s == null ? null : s.replace(" ", "");
    }
}
