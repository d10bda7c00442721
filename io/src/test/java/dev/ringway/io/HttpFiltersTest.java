package dev.ringway.io;

import dev.ringway.core.route.HttpFilter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Path rewriting, redirect Location building and header modification, without sockets. */
class HttpFiltersTest {

    /** The HTTPPathModifier godoc table, plus the HTTPRouteRewritePath conformance cases. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/foo/bar|/foo|/xyz|/xyz/bar",
            "/foo/bar|/foo|/xyz/|/xyz/bar",
            "/foo|/foo|/xyz|/xyz",
            "/foo/|/foo|/xyz|/xyz/",
            "/foo/bar|/foo|''|/bar",
            "/foo/|/foo|''|/",
            "/foo|/foo|''|/",
            "/foo/|/foo|/|/",
            "/foo|/foo|/|/",
            "/prefix/one/two|/prefix/one|/one|/one/two",
            "/strip-prefix/three|/strip-prefix|/|/three",
            "/strip-prefix|/strip-prefix|/|/",
            "/prefix/rewrite-path-and-modify-headers/one|/prefix/rewrite-path-and-modify-headers|/prefix|/prefix/one",
            "/abc|/|/xyz|/xyz/abc",
            "/|/|/xyz|/xyz",
    })
    void replacePrefixMatch(String path, String prefix, String replacement, String expected) {
        assertThat(HttpFilters.replacePrefix(path, prefix, replacement)).isEqualTo(expected);
    }

    @Test
    void replaceFullPath() {
        assertThat(HttpFilters.modifiedPath("ReplaceFullPath", "/one", "/full/one/two", "/full/one")).isEqualTo("/one");
        assertThat(HttpFilters.modifiedPath(null, null, "/same", "/")).isEqualTo("/same");
    }

    private static HttpFilter.Redirect redirect(String scheme, String host, Integer port) {
        return new HttpFilter.Redirect(scheme, host, port, null, null, 302);
    }

    /** HTTPRouteRedirectPortAndScheme: listener on 80, 8080 and 443. */
    @Test
    void redirectPortAndSchemeRules() {
        // Port 80 listener, http.
        assertThat(loc(redirect(null, "example.org", null), "http", 80)).isEqualTo("http://example.org/p");
        assertThat(loc(redirect(null, "example.org", 80), "http", 80)).isEqualTo("http://example.org/p");
        assertThat(loc(redirect(null, "example.org", 8080), "http", 80)).isEqualTo("http://example.org:8080/p");
        assertThat(loc(redirect("https", "example.org", null), "http", 80)).isEqualTo("https://example.org/p");
        assertThat(loc(redirect("https", "example.org", 443), "http", 80)).isEqualTo("https://example.org/p");
        assertThat(loc(redirect("https", "example.org", 8443), "http", 80)).isEqualTo("https://example.org:8443/p");
        // Port 8080 listener: no scheme and no port keeps the listener port.
        assertThat(loc(redirect(null, "example.org", null), "http", 8080)).isEqualTo("http://example.org:8080/p");
        assertThat(loc(redirect(null, "example.org", 80), "http", 8080)).isEqualTo("http://example.org/p");
        assertThat(loc(redirect("https", "example.org", null), "http", 8080)).isEqualTo("https://example.org/p");
        // 443 listener, https.
        assertThat(loc(redirect(null, "example.org", null), "https", 443)).isEqualTo("https://example.org/p");
        assertThat(loc(redirect(null, "example.org", 8443), "https", 443)).isEqualTo("https://example.org:8443/p");
        assertThat(loc(redirect("http", "example.org", null), "https", 443)).isEqualTo("http://example.org/p");
        assertThat(loc(redirect("http", "example.org", 8080), "https", 443)).isEqualTo("http://example.org:8080/p");
        // HTTPRouteRedirectPort: request host kept, port replaced.
        assertThat(loc(redirect(null, null, 8083), "http", 80)).isEqualTo("http://req.example:8083/p");
        // HTTPRouteRedirectScheme.
        assertThat(loc(redirect("https", null, null), "http", 80)).isEqualTo("https://req.example/p");
    }

    private static String loc(HttpFilter.Redirect r, String scheme, int listenerPort) {
        return HttpFilters.location(r, scheme, "req.example", listenerPort, "/p", null, "/");
    }

    @Test
    void redirectPathModifiersAndQuery() {
        HttpFilter.Redirect full = new HttpFilter.Redirect(null, null, null, "ReplaceFullPath", "/new", 301);
        assertThat(HttpFilters.location(full, "http", "h", 80, "/old/x", "a=1", "/old")).isEqualTo("http://h/new?a=1");
        HttpFilter.Redirect prefix = new HttpFilter.Redirect(null, null, null, "ReplacePrefixMatch", "/new", 302);
        assertThat(HttpFilters.location(prefix, "http", "h", 80, "/old/x", null, "/old")).isEqualTo("http://h/new/x");
    }

    @Test
    void headerModifierIsCaseInsensitive() {
        HttpHeaders h = new DefaultHttpHeaders();
        h.add("x-header-set", "original");
        h.add("x-header-add", "original-val-add");
        h.add("x-header-remove", "gone");
        h.add("Another-Header", "kept");
        HttpFilters.apply(Snap.ops(List.<String[]>of(new String[]{"X-Header-Set", "header-set"}),
                List.<String[]>of(new String[]{"X-Header-Add", "header-add"}), List.of("X-Header-Remove")), h);
        assertThat(h.getAll("x-header-set")).containsExactly("header-set");
        assertThat(String.join(",", h.getAll("X-HEADER-ADD"))).isEqualTo("original-val-add,header-add");
        assertThat(h.contains("x-header-remove")).isFalse();
        assertThat(h.get("another-header")).isEqualTo("kept");
    }

    @Test
    void requestViewParsesHostAndTarget() {
        RequestView v = new RequestView();
        var req = new io.netty.handler.codec.http.DefaultHttpRequest(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                io.netty.handler.codec.http.HttpMethod.GET, "/a/b?x=1&y=2");
        req.headers().add("Host", "Example.COM:8080");
        req.headers().add("X-Multi", "a");
        req.headers().add("x-multi", "b");
        assertThat(v.reset(req)).isNull();
        assertThat(v.host()).isEqualTo("example.com");
        assertThat(v.hostPort()).isEqualTo("8080");
        assertThat(v.path()).isEqualTo("/a/b");
        assertThat(v.query()).isEqualTo("x=1&y=2");
        assertThat(v.header("x-multi")).isEqualTo("a,b");
        assertThat(v.header("absent")).isNull();
        req.headers().set("Host", "[::1]:80");
        assertThat(v.reset(req)).isNull();
        assertThat(v.host()).isEqualTo("[::1]");
        req.headers().set("Host", "bad host");
        assertThat(v.reset(req)).isNotNull();
    }
}
