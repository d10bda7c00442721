package dev.ringway.core.route;

import com.google.re2j.Pattern;

import java.time.Instant;

/**
 * One {@code HTTPRouteMatch} of one rule, compiled: the path condition (used by {@link RuleTable}
 * to place it), and the method, header and query conditions checked by {@link #matchesRest}.
 * Regular expressions are RE2/J patterns (linear time) and match the whole value.
 */
public final class CompiledMatch {

    public enum PathType { EXACT, REGEX, PREFIX } // precedence order

    /**
     * A header condition: lower-case name; exact value or regex (full match). A regex that is only
     * an alternation of literals is answered by a set lookup ({@code literals}).
     */
    public record HeaderCondition(String lowerName, String value, Pattern regex, java.util.Set<String> literals) {
        public HeaderCondition(String lowerName, String value, Pattern regex) {
            this(lowerName, value, regex, regex == null ? null : LiteralAlternation.of(regex.pattern()));
        }

        boolean test(HttpRequestView req) {
            String v = req.header(lowerName);
            return v != null && valueMatches(v, value, regex, literals);
        }
    }

    /** A query parameter condition: exact (case-sensitive) name; the first value compared, decoded. */
    public record QueryCondition(String name, String value, Pattern regex, java.util.Set<String> literals) {
        public QueryCondition(String name, String value, Pattern regex) {
            this(name, value, regex, regex == null ? null : LiteralAlternation.of(regex.pattern()));
        }

        boolean test(HttpRequestView req) {
            String v = QueryParams.first(req.query(), name);
            return v != null && valueMatches(v, value, regex, literals);
        }
    }

    static boolean valueMatches(String v, String value, Pattern regex, java.util.Set<String> literals) {
        if (regex == null) {
            return value.equals(v);
        }
        return literals != null ? literals.contains(v) : regex.matches(v);
    }

    private final HttpRule rule;
    private final PathType pathType;
    private final String path;
    private final Pattern pathRegex;
    private final String method;
    private final HeaderCondition[] headers;
    private final QueryCondition[] queries;
    private final Instant routeCreated;
    private final String routeKey;
    private final int matchIndex;
    private final int grpcSpecificity;

    public CompiledMatch(HttpRule rule, PathType pathType, String path, Pattern pathRegex, String method,
                         java.util.List<HeaderCondition> headers, java.util.List<QueryCondition> queries,
                         Instant routeCreated, String routeKey, int matchIndex) {
        this(rule, pathType, path, pathRegex, method, headers, queries, routeCreated, routeKey, matchIndex, 0);
    }

    private CompiledMatch(HttpRule rule, PathType pathType, String path, Pattern pathRegex, String method,
                          java.util.List<HeaderCondition> headers, java.util.List<QueryCondition> queries,
                          Instant routeCreated, String routeKey, int matchIndex, int grpcSpecificity) {
        this.grpcSpecificity = grpcSpecificity;
        this.rule = rule;
        this.pathType = pathType;
        this.path = path;
        this.pathRegex = pathRegex;
        this.method = method;
        this.headers = headers.toArray(HeaderCondition[]::new);
        this.queries = queries.toArray(QueryCondition[]::new);
        this.routeCreated = routeCreated;
        this.routeKey = routeKey;
        this.matchIndex = matchIndex;
    }

    /** Method, headers and query parameters (the path was checked by the table). */
    public boolean matchesRest(HttpRequestView req) {
        if (method != null && !method.equals(req.method())) {
            return false;
        }
        for (HeaderCondition h : headers) {
            if (!h.test(req)) {
                return false;
            }
        }
        for (QueryCondition q : queries) {
            if (!q.test(req)) {
                return false;
            }
        }
        return true;
    }

    public HttpRule rule() {
        return rule;
    }

    public PathType pathType() {
        return pathType;
    }

    /** The path value: exact path, normalised prefix (no trailing slash except "/"), or regex source. */
    public String path() {
        return path;
    }

    public Pattern pathRegex() {
        return pathRegex;
    }

    public String method() {
        return method;
    }

    public int headerCount() {
        return headers.length;
    }

    public int queryCount() {
        return queries.length;
    }

    public java.util.List<HeaderCondition> headers() {
        return java.util.List.of(headers);
    }

    public java.util.List<QueryCondition> queries() {
        return java.util.List.of(queries);
    }

    public Instant routeCreated() {
        return routeCreated;
    }

    public String routeKey() {
        return routeKey;
    }

    public int matchIndex() {
        return matchIndex;
    }

    /**
     * For a GRPCRoute match: the characters of its exact service name, then of its exact method
     * name ({@code service * 65536 + method}; both are at most 1024 characters), the first two
     * criteria of GRPCRouteRule.matches precedence ({@link Precedence#GRPC_CHARACTERS}); 0 for
     * HTTPRoute matches and for regular-expression service or method matches.
     */
    public int grpcSpecificity() {
        return grpcSpecificity;
    }

    /** This match with a GRPCRoute precedence key ({@link #grpcSpecificity}); itself when the key is unchanged. */
    public CompiledMatch withGrpcSpecificity(int serviceChars, int methodChars) {
        int key = serviceChars * 65536 + methodChars;
        return key == grpcSpecificity ? this : new CompiledMatch(rule, pathType, path, pathRegex, method,
                java.util.List.of(headers), java.util.List.of(queries), routeCreated, routeKey, matchIndex, key);
    }

    /** A one-line description for dumps and golden files. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(switch (pathType) {
            case EXACT -> "Exact ";
            case PREFIX -> "Prefix ";
            case REGEX -> "Regex ";
        }).append(path);
        if (method != null) {
            sb.append(" method=").append(method);
        }
        for (HeaderCondition h : headers) {
            sb.append(" header:").append(h.lowerName()).append(h.regex() == null ? "=" : "~").append(h.regex() == null ? h.value() : h.regex().pattern());
        }
        for (QueryCondition q : queries) {
            sb.append(" query:").append(q.name()).append(q.regex() == null ? "=" : "~").append(q.regex() == null ? q.value() : q.regex().pattern());
        }
        sb.append(" -> ").append(rule.route().nsName()).append(" rule ").append(rule.ruleIndex());
        if (rule.ruleName() != null) {
            sb.append(" (").append(rule.ruleName()).append(')');
        }
        sb.append(" match ").append(matchIndex);
        return sb.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
