package dev.ringway.io;

import dev.ringway.core.route.HeaderOps;
import dev.ringway.core.route.HttpFilter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.List;

/**
 * The pure parts of HTTPRoute filter execution: header modification, path rewriting with the
 * Gateway API prefix rules, and {@code Location} construction for redirects. Kept free of channel
 * state so they can be tested directly.
 */
final class HttpFilters {
    private HttpFilters() {
    }

    /** Applies an HTTPHeaderFilter: set replaces every value, add appends a field, remove deletes. */
    static void apply(HeaderOps ops, HttpHeaders h) {
        List<HeaderOps.Header> set = ops.set();
        for (int i = 0, n = set.size(); i < n; i++) {
            HeaderOps.Header x = set.get(i);
            h.set(x.name(), x.value());
        }
        List<HeaderOps.Header> add = ops.add();
        for (int i = 0, n = add.size(); i < n; i++) {
            HeaderOps.Header x = add.get(i);
            h.add(x.name(), x.value());
        }
        List<String> rm = ops.removeLower();
        for (int i = 0, n = rm.size(); i < n; i++) {
            h.remove(rm.get(i));
        }
    }

    /**
     * ReplacePrefixMatch (HTTPPathModifier godoc): the matched prefix (normalised, no trailing slash
     * except {@code /}) is replaced by {@code replacement} element-wise; a trailing slash of the
     * replacement is not doubled and the request's own trailing slash is kept:
     * {@code /foo/bar,/foo,/xyz -> /xyz/bar}; {@code /foo/,/foo,/xyz -> /xyz/};
     * {@code /foo,/foo,"" -> /}; {@code /foo/bar,/foo,/ -> /bar}.
     */
    static String replacePrefix(String path, String prefix, String replacement) {
        String remainder;
        if (prefix == null || prefix.isEmpty() || prefix.equals("/")) {
            remainder = path.equals("/") ? "" : path;
        } else if (path.startsWith(prefix)) {
            remainder = path.substring(prefix.length());
        } else {
            return path; // cannot happen for a request this prefix matched
        }
        String r = replacement == null ? "" : replacement;
        int end = r.length();
        while (end > 0 && r.charAt(end - 1) == '/') {
            end--;
        }
        String out = end == r.length() ? r.concat(remainder) : r.substring(0, end).concat(remainder);
        if (out.isEmpty()) {
            return "/";
        }
        return out.charAt(0) == '/' ? out : "/".concat(out);
    }

    /** The rewritten path for a URLRewrite/RequestRedirect path modifier, or {@code path} unchanged. */
    static String modifiedPath(String pathType, String value, String path, String matchedPrefix) {
        if (pathType == null) {
            return path;
        }
        return switch (pathType) {
            case "ReplaceFullPath" -> value == null || value.isEmpty() ? "/" : value;
            case "ReplacePrefixMatch" -> replacePrefix(path, matchedPrefix, value);
            default -> path;
        };
    }

    /**
     * The {@code Location} of a RequestRedirect (godoc of its fields): scheme, hostname and path
     * default to the request's; the port is the filter's, else the well-known port of an explicitly
     * set scheme, else the listener's port; port 80 with http and 443 with https are left out.
     * The query string is kept.
     */
    static String location(HttpFilter.Redirect r, String requestScheme, String requestHost, int listenerPort,
                           String path, String query, String matchedPrefix) {
        String scheme = r.scheme() != null ? r.scheme() : requestScheme;
        String host = r.hostname() != null ? r.hostname() : requestHost;
        int port;
        if (r.port() != null) {
            port = r.port();
        } else if (r.scheme() != null) {
            port = defaultPort(scheme, listenerPort);
        } else {
            port = listenerPort;
        }
        String p = modifiedPath(r.pathType(), r.path(), path, matchedPrefix);
        StringBuilder sb = new StringBuilder(scheme.length() + host.length() + p.length() + 16);
        sb.append(scheme).append("://").append(host);
        if (!(port == 80 && scheme.equals("http")) && !(port == 443 && scheme.equals("https"))) {
            sb.append(':').append(port);
        }
        sb.append(p);
        if (query != null) {
            sb.append('?').append(query);
        }
        return sb.toString();
    }

    private static int defaultPort(String scheme, int listenerPort) {
        return switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> listenerPort;
        };
    }

    // ---- hop-by-hop headers (RFC 9110 7.6.1) ----

    static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    static final AsciiString HTTP = AsciiString.cached("http");
    static final AsciiString HTTPS = AsciiString.cached("https");

    /**
     * Removes the hop-by-hop fields: {@code Connection} and every field it names, {@code Keep-Alive},
     * {@code Proxy-Connection}, {@code TE}, {@code Trailer}, and {@code Upgrade} unless
     * {@code keepUpgrade}. {@code Transfer-Encoding} is left to the framing code. Returns whether the
     * {@code Connection} field listed {@code upgrade}.
     */
    static boolean removeHopByHop(HttpHeaders h, boolean keepUpgrade) {
        boolean upgrade = false;
        if (h.contains(HttpHeaderNames.CONNECTION)) {
            for (String v : h.getAll(HttpHeaderNames.CONNECTION)) {
                int start = 0;
                int n = v.length();
                while (start < n) {
                    int comma = v.indexOf(',', start);
                    int end = comma < 0 ? n : comma;
                    String token = v.substring(start, end).trim();
                    if (!token.isEmpty()) {
                        if (token.equalsIgnoreCase("upgrade")) {
                            upgrade = true;
                        } else if (!token.equalsIgnoreCase("close") && !token.equalsIgnoreCase("keep-alive")
                                && !token.equalsIgnoreCase("host") && !token.equalsIgnoreCase("transfer-encoding")
                                && !token.equalsIgnoreCase("content-length")) {
                            h.remove(token);
                        }
                    }
                    start = end + 1;
                }
            }
            h.remove(HttpHeaderNames.CONNECTION);
        }
        h.remove(HttpHeaderNames.KEEP_ALIVE);
        h.remove(PROXY_CONNECTION);
        h.remove(HttpHeaderNames.TE);
        h.remove(HttpHeaderNames.TRAILER);
        if (!keepUpgrade) {
            h.remove(HttpHeaderNames.UPGRADE);
        }
        return upgrade;
    }

    /** Whether a request asks for a protocol upgrade ({@code Connection: upgrade} and {@code Upgrade}). */
    static boolean isUpgradeRequest(HttpHeaders h) {
        return h.contains(HttpHeaderNames.UPGRADE) && h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderNames.UPGRADE, true);
    }
}
