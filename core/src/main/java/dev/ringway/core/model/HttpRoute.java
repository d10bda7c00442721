package dev.ringway.core.model;

import java.util.List;

/** HTTPRoute, with the experimental-channel fields (retry, sessionPersistence, externalAuth) parsed too. */
public record HttpRoute(String apiVersion, ObjectMeta metadata, Spec spec) implements Resource {

    public record Spec(List<ParentReference> parentRefs, List<String> hostnames, List<Rule> rules,
                       /* experimental */ String useDefaultGateways) {
        public Spec {
            parentRefs = Lists.copy(parentRefs);
            hostnames = Lists.copy(hostnames);
            // CRD default: rules: [{matches: [{path: {type: PathPrefix, value: /}}]}]
            rules = rules == null ? List.of(new Rule(null, null, null, null, null, null, null)) : Lists.copy(rules);
        }
    }

    public record Rule(String name, List<Match> matches, List<Filter> filters, List<HttpBackendRef> backendRefs,
                       Timeouts timeouts, /* experimental */ Retry retry,
                       /* experimental */ SessionPersistence sessionPersistence) {
        public Rule {
            // CRD default: matches: [{path: {type: PathPrefix, value: /}}]
            matches = matches == null ? List.of(new Match(null, null, null, null)) : Lists.copy(matches);
            filters = Lists.copy(filters);
            backendRefs = Lists.copy(backendRefs);
        }
    }

    public record Match(PathMatch path, List<HeaderMatch> headers, List<QueryParamMatch> queryParams, String method) {
        public Match {
            path = path == null ? new PathMatch(null, null) : path;
            headers = Lists.copy(headers);
            queryParams = Lists.copy(queryParams);
        }
    }

    public record PathMatch(String type, String value) {
        public PathMatch {
            type = type == null ? "PathPrefix" : type;
            value = value == null ? "/" : value;
        }
    }

    public record HeaderMatch(String type, String name, String value) {
        public HeaderMatch {
            type = type == null ? "Exact" : type;
        }
    }

    public record QueryParamMatch(String type, String name, String value) {
        public QueryParamMatch {
            type = type == null ? "Exact" : type;
        }
    }

    public record Filter(String type, HeaderModifier requestHeaderModifier, HeaderModifier responseHeaderModifier,
                         RequestMirror requestMirror, RequestRedirect requestRedirect, UrlRewrite urlRewrite,
                         LocalObjectReference extensionRef, Cors cors,
                         /* experimental */ Object externalAuth) {
    }

    public record RequestRedirect(String scheme, String hostname, PathModifier path, Integer port, Integer statusCode) {
        public RequestRedirect {
            statusCode = statusCode == null ? 302 : statusCode;
        }
    }

    public record UrlRewrite(String hostname, PathModifier path) {
    }

    public record PathModifier(String type, String replaceFullPath, String replacePrefixMatch) {
    }

    public record Cors(List<String> allowOrigins, Boolean allowCredentials, List<String> allowMethods,
                       List<String> allowHeaders, List<String> exposeHeaders, Integer maxAge) {
        public Cors {
            allowOrigins = Lists.copy(allowOrigins);
            allowMethods = Lists.copy(allowMethods);
            allowHeaders = Lists.copy(allowHeaders);
            exposeHeaders = Lists.copy(exposeHeaders);
            maxAge = maxAge == null ? 5 : maxAge;
        }
    }

    public record HttpBackendRef(String group, String kind, String name, String namespace, Integer port,
                                 Integer weight, List<Filter> filters) {
        public HttpBackendRef {
            filters = Lists.copy(filters);
        }

        public BackendRef ref() {
            return new BackendRef(group, kind, name, namespace, port, weight);
        }
    }

    public record Timeouts(String request, String backendRequest) {
    }

    public record Retry(List<Integer> codes, Integer attempts, String backoff) {
        public Retry {
            codes = Lists.copy(codes);
        }
    }

    public record SessionPersistence(String sessionName, String absoluteTimeout, String idleTimeout, String type,
                                     Object cookieConfig) {
    }

    @Override
    public String kind() {
        return Kinds.HTTP_ROUTE;
    }

    @Override
    public HttpRoute withMetadata(ObjectMeta m) {
        return new HttpRoute(apiVersion, m, spec);
    }
}
