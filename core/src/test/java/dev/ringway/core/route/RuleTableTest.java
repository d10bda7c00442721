package dev.ringway.core.route;

import com.google.re2j.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RuleTableTest {
    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    static CompiledMatch m(String route, Instant created, int rule, CompiledMatch.PathType type, String path,
                           String method, Map<String, String> headers, Map<String, String> query) {
        RouteRef ref = new RouteRef("HTTPRoute", "ns", route);
        HttpRule r = new HttpRule(ref, rule, null, List.of(), BackendSet.EMPTY, null, null, null, route);
        List<CompiledMatch.HeaderCondition> hs = new ArrayList<>();
        headers.forEach((k, v) -> hs.add(new CompiledMatch.HeaderCondition(k, v, null)));
        List<CompiledMatch.QueryCondition> qs = new ArrayList<>();
        query.forEach((k, v) -> qs.add(new CompiledMatch.QueryCondition(k, v, null)));
        return new CompiledMatch(r, type, path, type == CompiledMatch.PathType.REGEX ? Pattern.compile(path) : null,
                method, hs, qs, created, "ns/" + route, 0);
    }

    static CompiledMatch prefix(String route, String path) {
        return m(route, T0, 0, CompiledMatch.PathType.PREFIX, path, null, Map.of(), Map.of());
    }

    static CompiledMatch exact(String route, String path) {
        return m(route, T0, 0, CompiledMatch.PathType.EXACT, path, null, Map.of(), Map.of());
    }

    static String route(RuleTable t, String path) {
        CompiledMatch c = t.match(RouteSetGenerator.TestRequest.get("h", path));
        return c == null ? null : c.rule().route().name();
    }

    @Test
    void prefixIsSegmentAware() {
        RuleTable t = RuleTable.build(List.of(prefix("v2", "/v2"), prefix("root", "/")));
        assertThat(route(t, "/v2")).isEqualTo("v2");
        assertThat(route(t, "/v2/")).isEqualTo("v2");
        assertThat(route(t, "/v2/x")).isEqualTo("v2");
        assertThat(route(t, "/v2example")).isEqualTo("root");
        assertThat(route(t, "/")).isEqualTo("root");
        assertThat(route(t, "/v2?q=1")).isEqualTo("v2");
    }

    @Test
    void exactBeatsPrefixAndLongestPrefixWins() {
        RuleTable t = RuleTable.build(List.of(prefix("short", "/match"), prefix("long", "/match/prefix"),
                exact("exact", "/match/prefix"), prefix("root", "/")));
        assertThat(route(t, "/match/prefix")).isEqualTo("exact");
        assertThat(route(t, "/match/prefix/one")).isEqualTo("long");
        assertThat(route(t, "/match/other")).isEqualTo("short");
        assertThat(route(t, "/other")).isEqualTo("root");
    }

    @Test
    void noRootMeansNoMatch() {
        RuleTable t = RuleTable.build(List.of(prefix("a", "/a")));
        assertThat(route(t, "/b")).isNull();
        assertThat(route(t, "/")).isNull();
    }

    @Test
    void tieBreakersMethodHeadersQueryAgeName() {
        Instant older = T0.minusSeconds(10);
        CompiledMatch plain = m("plain", T0, 0, CompiledMatch.PathType.PREFIX, "/", null, Map.of(), Map.of());
        CompiledMatch method = m("method", T0, 0, CompiledMatch.PathType.PREFIX, "/", "GET", Map.of(), Map.of());
        CompiledMatch oneHeader = m("one-header", T0, 0, CompiledMatch.PathType.PREFIX, "/", null, Map.of("a", "1"), Map.of());
        CompiledMatch twoHeaders = m("two-headers", T0, 0, CompiledMatch.PathType.PREFIX, "/", null,
                Map.of("a", "1", "b", "1"), Map.of());
        RuleTable t = RuleTable.build(List.of(plain, oneHeader, twoHeaders, method));
        var req = new RouteSetGenerator.TestRequest("h", "GET", "/x", null, Map.of("a", "1", "b", "1"));
        assertThat(t.match(req).rule().route().name()).isEqualTo("method");
        var post = new RouteSetGenerator.TestRequest("h", "POST", "/x", null, Map.of("a", "1", "b", "1"));
        assertThat(t.match(post).rule().route().name()).isEqualTo("two-headers");

        CompiledMatch young = m("aaa-young", T0, 0, CompiledMatch.PathType.PREFIX, "/", null, Map.of(), Map.of());
        CompiledMatch old = m("zzz-old", older, 0, CompiledMatch.PathType.PREFIX, "/", null, Map.of(), Map.of());
        assertThat(route(RuleTable.build(List.of(young, old)), "/")).isEqualTo("zzz-old");
        CompiledMatch b = m("b", T0, 0, CompiledMatch.PathType.PREFIX, "/", null, Map.of(), Map.of());
        CompiledMatch a = m("a", T0, 0, CompiledMatch.PathType.PREFIX, "/", null, Map.of(), Map.of());
        assertThat(route(RuleTable.build(List.of(b, a)), "/")).isEqualTo("a");
    }

    @Test
    void queryParamsAreDecodedAndCaseSensitive() {
        CompiledMatch q = m("q", T0, 0, CompiledMatch.PathType.PREFIX, "/", null, Map.of(), Map.of("animal", "whale shark"));
        RuleTable t = RuleTable.build(List.of(q));
        assertThat(route(t, "/?animal=whale%20shark")).isEqualTo("q");
        assertThat(route(t, "/?animal=whale+shark&x=1")).isEqualTo("q");
        assertThat(route(t, "/?ANIMAL=whale+shark")).isNull();
        assertThat(route(t, "/?animal=whaleshark")).isNull();
    }

    @Test
    void regexBetweenExactAndPrefix() {
        CompiledMatch re = m("re", T0, 0, CompiledMatch.PathType.REGEX, "/api/v[0-9]+/.*", null, Map.of(), Map.of());
        RuleTable t = RuleTable.build(List.of(re, prefix("api", "/api"), exact("exact", "/api/v1/x")));
        assertThat(route(t, "/api/v1/x")).isEqualTo("exact");
        assertThat(route(t, "/api/v1/y")).isEqualTo("re");
        assertThat(route(t, "/api/vx/y")).isEqualTo("api");
    }

    /** Thousands of random requests against random route sets: same answer as the reference. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void agreesWithReferenceMatcher(long seed) {
        RouteSetGenerator gen = new RouteSetGenerator(seed);
        List<CompiledMatch> ms = gen.matches(50 + (int) (seed * 37), seed % 2 == 0);
        RuleTable table = RuleTable.build(ms);
        ReferenceMatcher ref = new ReferenceMatcher(ms);
        for (int i = 0; i < 5000; i++) {
            var req = gen.request();
            CompiledMatch expected = ref.match(req);
            CompiledMatch actual = table.match(req);
            assertThat(actual).as("request %s %s ?%s %s", req.method(), req.path(), req.query(), req.headers())
                    .isSameAs(expected);
        }
    }

    @Test
    void hostTableSpecificity() {
        HostTable<String> h = HostTable.<String>builder().put("foo.example.com", "exact").put("*.example.com", "wild")
                .put("*.foo.example.com", "wild2").put(null, "any").build();
        assertThat(h.lookup("foo.example.com")).isEqualTo("exact");
        assertThat(h.lookup("bar.example.com")).isEqualTo("wild");
        assertThat(h.lookup("a.b.example.com")).isEqualTo("wild");
        assertThat(h.lookup("a.foo.example.com")).isEqualTo("wild2");
        assertThat(h.lookup("example.com")).isEqualTo("any");
        assertThat(h.lookup("other.org")).isEqualTo("any");
        HostTable<String> noAny = HostTable.<String>builder().put("*.example.com", "wild").build();
        assertThat(noAny.lookup("example.com")).isNull();
    }

    @Test
    void queryParamsHelper() {
        assertThat(QueryParams.first("a=1&b=2&a=3", "a")).isEqualTo("1");
        assertThat(QueryParams.first("a=1&b=2", "b")).isEqualTo("2");
        assertThat(QueryParams.first("flag&b=2", "flag")).isEmpty();
        assertThat(QueryParams.first("ab=1", "a")).isNull();
        assertThat(QueryParams.first("a%20b=x", "a b")).isEqualTo("x");
        assertThat(QueryParams.first(null, "a")).isNull();
        assertThat(QueryParams.first("a=%zz", "a")).isEqualTo("%zz");
    }
}
