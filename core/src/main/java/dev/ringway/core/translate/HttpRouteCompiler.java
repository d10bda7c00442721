package dev.ringway.core.translate;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.ringway.core.model.GrpcRoute;
import dev.ringway.core.model.HeaderModifier;
import dev.ringway.core.model.HttpRoute;
import dev.ringway.core.model.Kinds;
import dev.ringway.core.model.RequestMirror;
import dev.ringway.core.route.Backend;
import dev.ringway.core.route.BackendSet;
import dev.ringway.core.route.CompiledMatch;
import dev.ringway.core.route.HeaderOps;
import dev.ringway.core.route.HttpFilter;
import dev.ringway.core.route.HttpRule;
import dev.ringway.core.route.WeightedBackend;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Compiles HTTPRoute and GRPCRoute rules into {@link CompiledMatch}es and {@link HttpRule}s. A rule
 * that cannot be honoured (bad regex, incompatible filters, invalid value) is dropped and reported:
 * the route is {@code PartiallyInvalid} when other rules remain, {@code Accepted=False,
 * UnsupportedValue} when none do (HTTPRouteRule.filters godoc: "If all Route Rules in a Route are
 * invalid, the entire Route would be considered invalid. If only a portion of Route Rules are
 * invalid, implementations MUST set the 'PartiallyInvalid' condition for the Route.").
 */
final class HttpRouteCompiler {
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH");

    private final BackendResolver backends;

    HttpRouteCompiler(BackendResolver backends) {
        this.backends = backends;
    }

    /** Thrown for a rule that must be dropped; the message names the field. */
    static final class InvalidRule extends Exception {
        final String reason;

        InvalidRule(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    void compile(RouteInfo info, HttpRoute route) {
        compileRules(info, route.spec() == null ? List.of() : route.spec().rules(), this::compileRule);
    }

    void compile(RouteInfo info, GrpcRoute route) {
        compileRules(info, route.spec() == null ? List.of() : route.spec().rules(), this::compileGrpcRule);
    }

    @FunctionalInterface
    private interface RuleCompiler<R> {
        void compile(RouteInfo info, R rule, int index) throws InvalidRule;
    }

    /** Compiles every rule; dropped rules make the route PartiallyInvalid, or invalid when none is left. */
    private static <R> void compileRules(RouteInfo info, List<R> rules, RuleCompiler<R> compiler) {
        List<String> problems = new ArrayList<>();
        String firstReason = null;
        int valid = 0;
        for (int i = 0; i < rules.size(); i++) {
            try {
                compiler.compile(info, rules.get(i), i);
                valid++;
            } catch (InvalidRule e) {
                problems.add(e.getMessage());
                if (firstReason == null) {
                    firstReason = e.reason;
                }
            }
        }
        if (problems.isEmpty()) {
            return;
        }
        if (valid == 0) {
            info.invalidReason = firstReason;
            info.invalidMessage = String.join("; ", problems);
        } else {
            info.partiallyInvalidMessage = String.join("; ", problems);
        }
    }

    private void compileRule(RouteInfo info, HttpRoute.Rule rule, int i) throws InvalidRule {
        String where = "spec.rules[" + i + "]";
        if (rule.sessionPersistence() != null) {
            throw new InvalidRule("UnsupportedValue", where + ".sessionPersistence is not supported");
        }
        List<HttpFilter> filters = compileFilters(info, rule.filters(), where + ".filters");
        boolean redirect = filters.stream().anyMatch(f -> f instanceof HttpFilter.Redirect);
        boolean rewrite = filters.stream().anyMatch(f -> f instanceof HttpFilter.Rewrite);
        if (redirect && rewrite) {
            throw new InvalidRule("IncompatibleFilters", where + ".filters: RequestRedirect and URLRewrite cannot be combined");
        }
        if (redirect && !rule.backendRefs().isEmpty()) {
            throw new InvalidRule("UnsupportedValue", where + ": RequestRedirect filter must not be used together with backendRefs");
        }
        boolean prefixReplace = rule.filters().stream().anyMatch(HttpRouteCompiler::replacesPrefix)
                || rule.backendRefs().stream().flatMap(b -> b.filters().stream()).anyMatch(HttpRouteCompiler::replacesPrefix);
        if (prefixReplace && (rule.matches().size() != 1 || !"PathPrefix".equals(rule.matches().get(0).path().type()))) {
            throw new InvalidRule("UnsupportedValue", where + ": ReplacePrefixMatch requires exactly one PathPrefix match");
        }
        List<WeightedBackend> wbs = new ArrayList<>();
        for (int b = 0; b < rule.backendRefs().size(); b++) {
            HttpRoute.HttpBackendRef br = rule.backendRefs().get(b);
            String bw = where + ".backendRefs[" + b + "]";
            BackendResolver.Resolution r = backends.resolve(br.ref(), info, bw);
            if (!r.ok()) {
                info.unresolved(r.reason(), r.message());
            }
            List<HttpFilter> bf = compileFilters(info, br.filters(), bw + ".filters");
            wbs.add(new WeightedBackend(r.backend(), br.ref().weight(), bf));
        }
        Duration request = null;
        Duration backendRequest = null;
        if (rule.timeouts() != null) {
            request = duration(rule.timeouts().request(), where + ".timeouts.request");
            backendRequest = duration(rule.timeouts().backendRequest(), where + ".timeouts.backendRequest");
            if (request != null && backendRequest != null && !request.isZero() && backendRequest.compareTo(request) > 0) {
                throw new InvalidRule("UnsupportedValue", where + ".timeouts: backendRequest must not be greater than request");
            }
        }
        HttpRule.Retry retry = null;
        if (rule.retry() != null) {
            Duration backoff = duration(rule.retry().backoff(), where + ".retry.backoff");
            int attempts = rule.retry().attempts() == null ? 0 : rule.retry().attempts();
            for (Integer c : rule.retry().codes()) {
                if (c < 400 || c > 599) {
                    throw new InvalidRule("UnsupportedValue", where + ".retry.codes: " + c + " is not a 4xx/5xx status");
                }
            }
            retry = new HttpRule.Retry(rule.retry().codes(), attempts, backoff);
        }
        HttpRule action = new HttpRule(info.ref, i, rule.name(), filters, new BackendSet(wbs), request, backendRequest,
                retry, info.ref.nsName() + "/" + (rule.name() != null ? rule.name() : String.valueOf(i)));
        List<CompiledMatch> out = new ArrayList<>();
        for (int m = 0; m < rule.matches().size(); m++) {
            out.add(compileMatch(info, action, rule.matches().get(m), where + ".matches[" + m + "]", m));
        }
        info.matches.addAll(out);
    }

    private static boolean replacesPrefix(HttpRoute.Filter f) {
        return (f.urlRewrite() != null && f.urlRewrite().path() != null && "ReplacePrefixMatch".equals(f.urlRewrite().path().type()))
                || (f.requestRedirect() != null && f.requestRedirect().path() != null
                && "ReplacePrefixMatch".equals(f.requestRedirect().path().type()));
    }

    private static Duration duration(String s, String where) throws InvalidRule {
        if (s == null) {
            return null;
        }
        try {
            return Durations.parse(s);
        } catch (IllegalArgumentException e) {
            throw new InvalidRule("UnsupportedValue", where + ": " + e.getMessage());
        }
    }

    private CompiledMatch compileMatch(RouteInfo info, HttpRule action, HttpRoute.Match m, String where, int index)
            throws InvalidRule {
        CompiledMatch.PathType type;
        String path = m.path().value();
        Pattern regex = null;
        switch (m.path().type()) {
            case "Exact" -> {
                type = CompiledMatch.PathType.EXACT;
                checkPath(path, where + ".path.value");
            }
            case "PathPrefix" -> {
                type = CompiledMatch.PathType.PREFIX;
                checkPath(path, where + ".path.value");
                path = normalizePrefix(path);
            }
            case "RegularExpression" -> {
                type = CompiledMatch.PathType.REGEX;
                regex = regex(path, where + ".path.value");
            }
            default -> throw new InvalidRule("UnsupportedValue", where + ".path.type: " + m.path().type() + " is not supported");
        }
        String method = m.method();
        if (method != null && !METHODS.contains(method)) {
            throw new InvalidRule("UnsupportedValue", where + ".method: " + method + " is not supported");
        }
        List<CompiledMatch.HeaderCondition> headers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int h = 0; h < m.headers().size(); h++) {
            HttpRoute.HeaderMatch hm = m.headers().get(h);
            String hw = where + ".headers[" + h + "]";
            if (hm.name() == null || hm.name().isEmpty()) {
                throw new InvalidRule("UnsupportedValue", hw + ".name is required");
            }
            String lower = hm.name().toLowerCase(Locale.ROOT);
            // "If multiple entries specify equivalent header names, only the first entry with an
            // equivalent name MUST be considered for a match." (HTTPHeaderMatch godoc)
            if (!seen.add(lower)) {
                continue;
            }
            headers.add(switch (hm.type()) {
                case "Exact" -> new CompiledMatch.HeaderCondition(lower, nonNull(hm.value()), null);
                case "RegularExpression" -> new CompiledMatch.HeaderCondition(lower, hm.value(), regex(hm.value(), hw + ".value"));
                default -> throw new InvalidRule("UnsupportedValue", hw + ".type: " + hm.type() + " is not supported");
            });
        }
        List<CompiledMatch.QueryCondition> queries = new ArrayList<>();
        Set<String> seenQ = new HashSet<>();
        for (int q = 0; q < m.queryParams().size(); q++) {
            HttpRoute.QueryParamMatch qm = m.queryParams().get(q);
            String qw = where + ".queryParams[" + q + "]";
            if (qm.name() == null || qm.name().isEmpty()) {
                throw new InvalidRule("UnsupportedValue", qw + ".name is required");
            }
            if (!seenQ.add(qm.name())) {
                continue;
            }
            queries.add(switch (qm.type()) {
                case "Exact" -> new CompiledMatch.QueryCondition(qm.name(), nonNull(qm.value()), null);
                case "RegularExpression" -> new CompiledMatch.QueryCondition(qm.name(), qm.value(), regex(qm.value(), qw + ".value"));
                default -> throw new InvalidRule("UnsupportedValue", qw + ".type: " + qm.type() + " is not supported");
            });
        }
        return new CompiledMatch(action, type, path, regex, method, headers, queries, info.created,
                info.ref.nsName(), index);
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private static void checkPath(String path, String where) throws InvalidRule {
        if (path == null || !path.startsWith("/")) {
            throw new InvalidRule("UnsupportedValue", where + ": path must start with /");
        }
        if (path.contains("//") || path.contains("/./") || path.contains("/../") || path.endsWith("/..") || path.endsWith("/.")
                || path.contains("%2f") || path.contains("%2F") || path.contains("#")) {
            throw new InvalidRule("UnsupportedValue", where + ": path \"" + path + "\" is not a valid normalised path");
        }
    }

    /** "When specified, a trailing / is ignored" (HTTPPathMatch godoc, PathPrefix). */
    static String normalizePrefix(String p) {
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** User regular expressions run on RE2/J; a pattern it rejects is an UnsupportedValue. */
    private static Pattern regex(String re, String where) throws InvalidRule {
        if (re == null) {
            throw new InvalidRule("UnsupportedValue", where + ": regular expression is required");
        }
        try {
            return Pattern.compile(re);
        } catch (PatternSyntaxException e) {
            throw new InvalidRule("UnsupportedValue", where + ": regular expression \"" + re + "\" is not supported by RE2: "
                    + e.getDescription());
        }
    }

    private List<HttpFilter> compileFilters(RouteInfo info, List<HttpRoute.Filter> filters, String where) throws InvalidRule {
        List<HttpFilter> out = new ArrayList<>();
        Set<String> types = new HashSet<>();
        for (int i = 0; i < filters.size(); i++) {
            HttpRoute.Filter f = filters.get(i);
            String fw = where + "[" + i + "]";
            String type = f.type() == null ? "" : f.type();
            // "Specifying the same filter multiple times is not supported unless explicitly indicated in the filter."
            if (!type.equals("RequestMirror") && !types.add(type)) {
                throw new InvalidRule("UnsupportedValue", fw + ": filter " + type + " may appear only once");
            }
            out.add(switch (type) {
                case "RequestHeaderModifier" -> new HttpFilter.RequestHeaders(headerOps(f.requestHeaderModifier(), fw + ".requestHeaderModifier"));
                case "ResponseHeaderModifier" -> new HttpFilter.ResponseHeaders(headerOps(f.responseHeaderModifier(), fw + ".responseHeaderModifier"));
                case "RequestRedirect" -> redirect(f.requestRedirect(), fw + ".requestRedirect");
                case "URLRewrite" -> rewrite(f.urlRewrite(), fw + ".urlRewrite");
                case "RequestMirror" -> mirror(info, f.requestMirror(), fw + ".requestMirror");
                case "CORS" -> cors(f.cors(), fw + ".cors");
                case "ExtensionRef" -> {
                    var ref = f.extensionRef();
                    String msg = fw + ".extensionRef " + (ref == null ? "<missing>" : ref.group() + "/" + ref.kind() + " " + ref.name())
                            + " is not supported";
                    info.unresolved("InvalidKind", msg);
                    // The filter must not be skipped: matching requests get an error (HTTPRouteFilter godoc).
                    yield new HttpFilter.Unsupported(msg, 500);
                }
                case "ExternalAuth" -> throw new InvalidRule("UnsupportedValue", fw + ": filter ExternalAuth is not supported");
                default -> throw new InvalidRule("UnsupportedValue", fw + ".type: " + type + " is not supported");
            });
        }
        return out;
    }

    private static HeaderOps headerOps(HeaderModifier m, String where) throws InvalidRule {
        if (m == null) {
            throw new InvalidRule("UnsupportedValue", where + " is required for this filter type");
        }
        List<HeaderOps.Header> set = new ArrayList<>();
        List<HeaderOps.Header> add = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        for (HeaderModifier.Header h : m.set()) {
            checkHeaderName(h.name(), where + ".set");
            set.add(HeaderOps.Header.of(h.name(), nonNull(h.value())));
        }
        for (HeaderModifier.Header h : m.add()) {
            checkHeaderName(h.name(), where + ".add");
            add.add(HeaderOps.Header.of(h.name(), nonNull(h.value())));
        }
        for (String r : m.remove()) {
            checkHeaderName(r, where + ".remove");
            remove.add(r.toLowerCase(Locale.ROOT));
        }
        return new HeaderOps(set, add, remove);
    }

    private static void checkHeaderName(String name, String where) throws InvalidRule {
        if (name == null || name.isEmpty()) {
            throw new InvalidRule("UnsupportedValue", where + ": header name is required");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                throw new InvalidRule("UnsupportedValue", where + ": invalid header name \"" + name + "\"");
            }
        }
    }

    private static HttpFilter redirect(HttpRoute.RequestRedirect r, String where) throws InvalidRule {
        if (r == null) {
            throw new InvalidRule("UnsupportedValue", where + " is required for this filter type");
        }
        if (r.scheme() != null && !r.scheme().equals("http") && !r.scheme().equals("https")) {
            throw new InvalidRule("UnsupportedValue", where + ".scheme: " + r.scheme() + " is not supported");
        }
        int code = r.statusCode();
        if (code != 301 && code != 302 && code != 303 && code != 307 && code != 308) {
            throw new InvalidRule("UnsupportedValue", where + ".statusCode: " + code + " is not supported");
        }
        String pathType = null;
        String path = null;
        if (r.path() != null) {
            pathType = r.path().type();
            path = pathValue(r.path(), where + ".path");
        }
        return new HttpFilter.Redirect(r.scheme(), r.hostname(), r.port(), pathType, path, code);
    }

    private static HttpFilter rewrite(HttpRoute.UrlRewrite r, String where) throws InvalidRule {
        if (r == null) {
            throw new InvalidRule("UnsupportedValue", where + " is required for this filter type");
        }
        String pathType = null;
        String path = null;
        if (r.path() != null) {
            pathType = r.path().type();
            path = pathValue(r.path(), where + ".path");
        }
        return new HttpFilter.Rewrite(r.hostname(), pathType, path);
    }

    private static String pathValue(HttpRoute.PathModifier p, String where) throws InvalidRule {
        return switch (p.type() == null ? "" : p.type()) {
            case "ReplaceFullPath" -> {
                if (p.replaceFullPath() == null) {
                    throw new InvalidRule("UnsupportedValue", where + ".replaceFullPath is required");
                }
                yield p.replaceFullPath();
            }
            case "ReplacePrefixMatch" -> {
                if (p.replacePrefixMatch() == null) {
                    throw new InvalidRule("UnsupportedValue", where + ".replacePrefixMatch is required");
                }
                yield p.replacePrefixMatch();
            }
            default -> throw new InvalidRule("UnsupportedValue", where + ".type: " + p.type() + " is not supported");
        };
    }

    private HttpFilter mirror(RouteInfo info, RequestMirror m, String where) throws InvalidRule {
        if (m == null || m.backendRef() == null) {
            throw new InvalidRule("UnsupportedValue", where + ".backendRef is required");
        }
        BackendResolver.Resolution r = backends.resolve(m.backendRef(), info, where + ".backendRef");
        if (!r.ok()) {
            info.unresolved(r.reason(), r.message());
        }
        int num = 100;
        int den = 100;
        if (m.percent() != null && m.fraction() != null) {
            throw new InvalidRule("UnsupportedValue", where + ": percent and fraction are mutually exclusive");
        }
        if (m.percent() != null) {
            num = m.percent();
        } else if (m.fraction() != null) {
            num = m.fraction().numerator() == null ? 0 : m.fraction().numerator();
            den = m.fraction().denominator();
        }
        if (den <= 0 || num < 0 || num > den) {
            throw new InvalidRule("UnsupportedValue", where + ": mirror fraction " + num + "/" + den + " is not valid");
        }
        Backend b = r.backend();
        return new HttpFilter.Mirror(b, num, den);
    }

    private static HttpFilter cors(HttpRoute.Cors c, String where) throws InvalidRule {
        if (c == null) {
            throw new InvalidRule("UnsupportedValue", where + " is required for this filter type");
        }
        return new HttpFilter.Cors(c.allowOrigins(), Boolean.TRUE.equals(c.allowCredentials()), c.allowMethods(),
                c.allowHeaders(), c.exposeHeaders(), c.maxAge());
    }

    // ---- GRPCRoute ----

    /**
     * GRPCRoute rules map onto HTTP/2 requests: {@code POST /<service>/<method>}. An Exact method
     * match with service and method is an exact path; with service only, or method only, or of type
     * RegularExpression, a regular expression on the path, so that all of these are ordered together
     * by GRPCRoute precedence ({@link Precedence#GRPC_CHARACTERS}: the exact service's characters,
     * then the exact method's). No matches means every request (GRPCRouteRule.matches godoc): the
     * prefix {@code /}, after every other match.
     */
    private void compileGrpcRule(RouteInfo info, GrpcRoute.Rule rule, int i) throws InvalidRule {
        String where = "spec.rules[" + i + "]";
        if (rule.sessionPersistence() != null) {
            throw new InvalidRule("UnsupportedValue", where + ".sessionPersistence is not supported");
        }
        List<HttpRoute.Filter> asHttp = new ArrayList<>();
        for (GrpcRoute.Filter f : rule.filters()) {
            asHttp.add(new HttpRoute.Filter(f.type(), f.requestHeaderModifier(), f.responseHeaderModifier(), f.requestMirror(),
                    null, null, f.extensionRef(), null, null));
        }
        List<HttpFilter> filters = compileFilters(info, asHttp, where + ".filters");
        List<WeightedBackend> wbs = new ArrayList<>();
        for (int b = 0; b < rule.backendRefs().size(); b++) {
            GrpcRoute.GrpcBackendRef br = rule.backendRefs().get(b);
            String bw = where + ".backendRefs[" + b + "]";
            BackendResolver.Resolution r = backends.resolve(br.ref(), info, bw);
            if (!r.ok()) {
                info.unresolved(r.reason(), r.message());
            }
            List<HttpRoute.Filter> bf = new ArrayList<>();
            for (GrpcRoute.Filter f : br.filters()) {
                bf.add(new HttpRoute.Filter(f.type(), f.requestHeaderModifier(), f.responseHeaderModifier(), f.requestMirror(),
                        null, null, f.extensionRef(), null, null));
            }
            wbs.add(new WeightedBackend(r.backend(), br.ref().weight(), compileFilters(info, bf, bw + ".filters")));
        }
        HttpRule action = new HttpRule(info.ref, i, rule.name(), filters, new BackendSet(wbs), null, null, null,
                info.ref.nsName() + "/" + (rule.name() != null ? rule.name() : String.valueOf(i)));
        List<GrpcRoute.Match> matches = rule.matches().isEmpty() ? List.of(new GrpcRoute.Match(null, null)) : rule.matches();
        for (int m = 0; m < matches.size(); m++) {
            GrpcRoute.Match gm = matches.get(m);
            String mw = where + ".matches[" + m + "]";
            HttpRoute.PathMatch path;
            GrpcRoute.MethodMatch mm = gm.method();
            int serviceChars = 0;
            int methodChars = 0;
            if (mm == null) {
                path = new HttpRoute.PathMatch("PathPrefix", "/");
            } else {
                boolean hasService = mm.service() != null && !mm.service().isEmpty();
                boolean hasMethod = mm.method() != null && !mm.method().isEmpty();
                if (!hasService && !hasMethod) {
                    throw new InvalidRule("UnsupportedValue", mw + ".method: one of service and method is required");
                }
                if ("Exact".equals(mm.type())) {
                    serviceChars = hasService ? mm.service().length() : 0;
                    methodChars = hasMethod ? mm.method().length() : 0;
                    if (hasService && hasMethod) {
                        path = new HttpRoute.PathMatch("Exact", "/" + mm.service() + "/" + mm.method());
                    } else if (hasService) {
                        path = new HttpRoute.PathMatch("RegularExpression", "/" + quote(mm.service()) + "/[^/]+");
                    } else {
                        path = new HttpRoute.PathMatch("RegularExpression", "/[^/]+/" + quote(mm.method()));
                    }
                } else if ("RegularExpression".equals(mm.type())) {
                    path = new HttpRoute.PathMatch("RegularExpression", "/" + (hasService ? mm.service() : "[^/]+") + "/"
                            + (hasMethod ? mm.method() : "[^/]+"));
                } else {
                    throw new InvalidRule("UnsupportedValue", mw + ".method.type: " + mm.type() + " is not supported");
                }
            }
            HttpRoute.Match hm = new HttpRoute.Match(path, gm.headers(), null, null);
            info.matches.add(compileMatch(info, action, hm, mw, m).withGrpcSpecificity(serviceChars, methodChars));
        }
    }

    private static String quote(String s) {
        return Pattern.quote(s);
    }

    /** Kind names used in ReferenceGrant checks for routes. */
    static boolean isHttpLike(String kind) {
        return Kinds.HTTP_ROUTE.equals(kind) || Kinds.GRPC_ROUTE.equals(kind);
    }
}
