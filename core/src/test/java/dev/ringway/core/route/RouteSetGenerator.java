package dev.ringway.core.route;

import com.google.re2j.Pattern;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Random route sets and requests for property tests and benchmarks: paths from a small segment
 * alphabet (so prefixes, exact paths and requests collide often), methods, header and query
 * conditions, regex matches, random ages and names.
 */
public final class RouteSetGenerator {
    private static final String[] SEGMENTS = {"a", "b", "api", "v1", "v2", "v2example", "users", "x", ""};
    private static final String[] METHODS = {"GET", "POST", "PUT"};
    private static final String[] HEADERS = {"x-version", "x-tier", "x-flag"};
    private static final String[] VALUES = {"1", "2", "premium", "beta"};
    private static final String[] QUERY = {"animal", "color"};
    private final Random rnd;

    public RouteSetGenerator(long seed) {
        this.rnd = new Random(seed);
    }

    public String path(int maxSegments) {
        int n = rnd.nextInt(maxSegments + 1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append('/').append(SEGMENTS[rnd.nextInt(SEGMENTS.length - 1)]);
        }
        if (sb.isEmpty() || rnd.nextInt(8) == 0) {
            sb.append('/');
        }
        return sb.toString();
    }

    /** {@code n} matches spread over {@code n/2+1} routes (several rules and matches each). */
    public List<CompiledMatch> matches(int n, boolean withRegex) {
        List<CompiledMatch> out = new ArrayList<>(n);
        int routes = Math.max(1, n / 2);
        for (int i = 0; i < n; i++) {
            int route = rnd.nextInt(routes);
            RouteRef ref = new RouteRef("HTTPRoute", "ns" + (route % 7), "route-" + route);
            HttpRule rule = new HttpRule(ref, rnd.nextInt(3), null, List.of(), BackendSet.EMPTY, null, null, null, ref.nsName());
            int kind = rnd.nextInt(withRegex ? 10 : 9);
            CompiledMatch.PathType type = kind < 4 ? CompiledMatch.PathType.PREFIX
                    : kind < 9 ? CompiledMatch.PathType.EXACT : CompiledMatch.PathType.REGEX;
            String path;
            Pattern regex = null;
            if (type == CompiledMatch.PathType.REGEX) {
                path = "/" + SEGMENTS[rnd.nextInt(4)] + "/.*";
                regex = Pattern.compile(path);
            } else {
                path = path(3);
                if (type == CompiledMatch.PathType.PREFIX && path.length() > 1 && path.endsWith("/")) {
                    path = path.substring(0, path.length() - 1);
                }
            }
            String method = rnd.nextInt(3) == 0 ? METHODS[rnd.nextInt(METHODS.length)] : null;
            List<CompiledMatch.HeaderCondition> headers = new ArrayList<>();
            int hc = rnd.nextInt(3);
            for (int h = 0; h < hc; h++) {
                String name = HEADERS[h];
                if (rnd.nextInt(4) == 0) {
                    headers.add(new CompiledMatch.HeaderCondition(name, null, Pattern.compile("^(1|premium)$")));
                } else {
                    headers.add(new CompiledMatch.HeaderCondition(name, VALUES[rnd.nextInt(VALUES.length)], null));
                }
            }
            List<CompiledMatch.QueryCondition> queries = new ArrayList<>();
            if (rnd.nextInt(4) == 0) {
                queries.add(new CompiledMatch.QueryCondition(QUERY[rnd.nextInt(2)], VALUES[rnd.nextInt(VALUES.length)], null));
            }
            Instant created = Instant.ofEpochSecond(1_700_000_000L + (route * 7919L % 50));
            out.add(new CompiledMatch(rule, type, path, regex, method, headers, queries, created, ref.nsName(), rnd.nextInt(2)));
        }
        return out;
    }

    public TestRequest request() {
        Map<String, String> headers = new HashMap<>();
        for (String h : HEADERS) {
            if (rnd.nextBoolean()) {
                headers.put(h, VALUES[rnd.nextInt(VALUES.length)]);
            }
        }
        String query = null;
        if (rnd.nextBoolean()) {
            query = QUERY[rnd.nextInt(2)] + "=" + VALUES[rnd.nextInt(VALUES.length)];
        }
        return new TestRequest("example.com", METHODS[rnd.nextInt(METHODS.length)], path(4), query, headers);
    }

    /** A plain request for tests and benchmarks. */
    public record TestRequest(String host, String method, String path, String query, Map<String, String> headers)
            implements HttpRequestView {
        @Override
        public String header(String lowerCaseName) {
            return headers.get(lowerCaseName);
        }

        public static TestRequest get(String host, String path) {
            int q = path.indexOf('?');
            return new TestRequest(host.toLowerCase(Locale.ROOT), "GET", q < 0 ? path : path.substring(0, q),
                    q < 0 ? null : path.substring(q + 1), Map.of());
        }
    }
}
