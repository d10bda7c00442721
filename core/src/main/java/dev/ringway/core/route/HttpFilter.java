package dev.ringway.core.route;

import java.util.List;

/** The filters of an HTTPRoute rule or backendRef, compiled for the data plane. */
public sealed interface HttpFilter {

    /** RequestHeaderModifier. A {@code set} of {@code Host} changes the Host sent upstream. */
    record RequestHeaders(HeaderOps ops) implements HttpFilter {
    }

    /** ResponseHeaderModifier. */
    record ResponseHeaders(HeaderOps ops) implements HttpFilter {
    }

    /**
     * RequestRedirect: each part null keeps the request's own. {@code pathType} is
     * {@code ReplaceFullPath} or {@code ReplacePrefixMatch} (with {@code path} the replacement), or null.
     */
    record Redirect(String scheme, String hostname, Integer port, String pathType, String path, int statusCode)
            implements HttpFilter {
    }

    /** URLRewrite: hostname and/or path ({@code ReplaceFullPath} / {@code ReplacePrefixMatch}). */
    record Rewrite(String hostname, String pathType, String path) implements HttpFilter {
    }

    /** RequestMirror: send a copy to {@code backend} for {@code numerator/denominator} of requests. */
    record Mirror(Backend backend, int numerator, int denominator) implements HttpFilter {
    }

    /** CORS, answered by the gateway for preflights and added to actual responses. */
    record Cors(List<String> allowOrigins, boolean allowCredentials, List<String> allowMethods,
                List<String> allowHeaders, List<String> exposeHeaders, int maxAge) implements HttpFilter {
        public Cors {
            allowOrigins = List.copyOf(allowOrigins);
            allowMethods = List.copyOf(allowMethods);
            allowHeaders = List.copyOf(allowHeaders);
            exposeHeaders = List.copyOf(exposeHeaders);
        }
    }

    /**
     * A filter Ringway cannot apply (an unresolved ExtensionRef, an unsupported type). Per the
     * HTTPRouteFilter godoc the filter must not be skipped: matching requests get {@code status}.
     */
    record Unsupported(String reason, int status) implements HttpFilter {
    }
}
