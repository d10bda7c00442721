package dev.ringway.io;

import dev.ringway.core.route.HttpFilter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.AsciiString;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The HTTPRoute CORS filter (HTTPCORSFilter godoc). A preflight ({@code OPTIONS} with
 * {@code Origin} and {@code Access-Control-Request-Method}) is answered by the gateway with 200 and,
 * when the origin is allowed, the {@code Access-Control-Allow-*} fields; an actual cross-origin
 * request goes to the backend and its response gets {@code Access-Control-Allow-Origin} (and
 * credentials, exposed headers). A request whose origin is not allowed gets no CORS field.
 *
 * <p>The allowed origin is always echoed rather than answered with {@code *}: the godoc allows it
 * in every case and requires it with credentials, and the conformance test expects the echo for a
 * wildcard configuration even without credentials. Likewise {@code *} methods and headers echo
 * what the preflight asks for. Responses that echo the origin carry {@code Vary: Origin}.
 *
 * <p>Origin matching: scheme and port must be equal (80/443 by default); the host is compared
 * case-insensitively, {@code *} alone matches any host and {@code *.suffix} any host ending in
 * {@code .suffix} (any number of labels: "greedy to the left"). An allowed origin of {@code *}
 * matches every origin.
 */
final class CorsFilter {
    private CorsFilter() {
    }

    static final AsciiString ACAO = AsciiString.cached("access-control-allow-origin");
    static final AsciiString ACAC = AsciiString.cached("access-control-allow-credentials");
    static final AsciiString ACAM = AsciiString.cached("access-control-allow-methods");
    static final AsciiString ACAH = AsciiString.cached("access-control-allow-headers");
    static final AsciiString ACEH = AsciiString.cached("access-control-expose-headers");
    static final AsciiString ACMA = AsciiString.cached("access-control-max-age");
    static final AsciiString ACRM = AsciiString.cached("access-control-request-method");
    static final AsciiString ACRH = AsciiString.cached("access-control-request-headers");
    private static final AsciiString TRUE = AsciiString.cached("true");
    private static final AsciiString STAR = AsciiString.cached("*");

    /** Whether a request is a CORS preflight (then the gateway answers it). */
    static boolean isPreflight(HttpMethod method, HttpHeaders h) {
        return method == HttpMethod.OPTIONS && h.contains(HttpHeaderNames.ORIGIN) && h.contains(ACRM);
    }

    /** Whether {@code origin} is allowed by the filter. */
    static boolean allowed(HttpFilter.Cors c, String origin) {
        List<String> allow = c.allowOrigins();
        for (int i = 0, n = allow.size(); i < n; i++) {
            if (matches(allow.get(i), origin)) {
                return true;
            }
        }
        return false;
    }

    /** One allowed-origin entry against a request's {@code Origin} ({@code scheme://host[:port]}). */
    static boolean matches(String pattern, String origin) {
        if (pattern.equals("*")) {
            return true;
        }
        int ps = pattern.indexOf("://");
        int os = origin.indexOf("://");
        if (ps <= 0 || os <= 0 || ps != os || !pattern.regionMatches(true, 0, origin, 0, ps)) {
            return false;
        }
        String scheme = origin.substring(0, os);
        int ph = ps + 3;
        int oh = os + 3;
        int pEnd = hostEnd(pattern, ph);
        int oEnd = hostEnd(origin, oh);
        if (oEnd < 0 || pEnd < 0 || oEnd == oh) {
            return false;
        }
        if (port(pattern, pEnd, scheme) != port(origin, oEnd, scheme) || port(origin, oEnd, scheme) < 0) {
            return false;
        }
        int pLen = pEnd - ph;
        int oLen = oEnd - oh;
        if (pLen == 1 && pattern.charAt(ph) == '*') {
            return true;
        }
        if (pLen > 2 && pattern.charAt(ph) == '*' && pattern.charAt(ph + 1) == '.') {
            // "*.bar.com": any host ending with ".bar.com", however many labels precede it.
            int suffix = pLen - 1; // ".bar.com"
            return oLen > suffix && origin.regionMatches(true, oEnd - suffix, pattern, ph + 1, suffix);
        }
        return pLen == oLen && origin.regionMatches(true, oh, pattern, ph, pLen);
    }

    /** The end of the host part starting at {@code from} (a ':' or the end), or -1 when a path follows. */
    private static int hostEnd(String s, int from) {
        int i = from;
        if (i < s.length() && s.charAt(i) == '[') {
            int close = s.indexOf(']', i);
            if (close < 0) {
                return -1;
            }
            i = close + 1;
        }
        while (i < s.length()) {
            char ch = s.charAt(i);
            if (ch == ':') {
                return i;
            }
            if (ch == '/' || ch == '?' || ch == '#') {
                return -1;
            }
            i++;
        }
        return i;
    }

    /** The port after the host (explicit, else the scheme's default), or -1 when malformed. */
    private static int port(String s, int hostEnd, String scheme) {
        if (hostEnd == s.length()) {
            return scheme.equalsIgnoreCase("https") ? 443 : scheme.equalsIgnoreCase("http") ? 80 : -1;
        }
        int p = 0;
        if (hostEnd + 1 == s.length()) {
            return -1;
        }
        for (int i = hostEnd + 1; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9' || p > 65535) {
                return -1;
            }
            p = p * 10 + (ch - '0');
        }
        return p;
    }

    /** The fields of a preflight answer for an allowed origin. */
    static void preflight(HttpFilter.Cors c, String origin, HttpHeaders request, HttpHeaders out) {
        out.set(ACAO, origin);
        if (c.allowCredentials()) {
            out.set(ACAC, TRUE);
        }
        List<String> methods = c.allowMethods();
        if (methods.contains("*")) {
            String wanted = request.get(ACRM);
            if (wanted != null && !wanted.isBlank()) {
                out.set(ACAM, wanted.trim()); // a single method, as credentials require (fine without)
            }
        } else if (!methods.isEmpty()) {
            out.set(ACAM, String.join(", ", methods));
        }
        List<String> headers = c.allowHeaders();
        if (headers.contains("*")) {
            String wanted = request.get(ACRH);
            if (wanted != null && !wanted.isBlank()) {
                out.set(ACAH, wanted.trim());
            }
        } else if (!headers.isEmpty()) {
            out.set(ACAH, String.join(", ", headers));
        }
        List<String> expose = c.exposeHeaders();
        if (!expose.isEmpty() && !(expose.contains("*") && c.allowCredentials())) {
            out.set(ACEH, expose.contains("*") ? "*" : String.join(", ", expose));
        }
        if (c.maxAge() > 0) {
            out.setInt(ACMA, c.maxAge());
        }
        addVaryOrigin(out);
    }

    /** The fields of the response to an actual request from an allowed origin (backend fields replaced). */
    static void actual(HttpFilter.Cors c, String origin, HttpHeaders out) {
        out.set(ACAO, origin);
        if (c.allowCredentials()) {
            out.set(ACAC, TRUE);
        } else {
            out.remove(ACAC);
        }
        List<String> expose = c.exposeHeaders();
        if (!expose.isEmpty()) {
            if (!expose.contains("*")) {
                out.set(ACEH, String.join(", ", expose));
            } else if (!c.allowCredentials()) {
                out.set(ACEH, STAR);
            } else {
                // "*" cannot be used with credentials: name the fields this response has.
                StringBuilder sb = new StringBuilder();
                Iterator<Map.Entry<CharSequence, CharSequence>> it = out.iteratorCharSequence();
                java.util.Set<String> seen = new java.util.HashSet<>();
                while (it.hasNext()) {
                    String name = it.next().getKey().toString().toLowerCase(java.util.Locale.ROOT);
                    if (!name.startsWith("access-control-") && seen.add(name)) {
                        if (!sb.isEmpty()) {
                            sb.append(", ");
                        }
                        sb.append(name);
                    }
                }
                if (!sb.isEmpty()) {
                    out.set(ACEH, sb.toString());
                }
            }
        }
        addVaryOrigin(out);
    }

    /** Adds {@code Origin} to {@code Vary} unless it is there (or Vary is {@code *}). */
    static void addVaryOrigin(HttpHeaders out) {
        Iterator<String> it = out.valueStringIterator(HttpHeaderNames.VARY);
        while (it.hasNext()) {
            String v = it.next();
            for (String t : v.split(",")) {
                String tt = t.trim();
                if (tt.equals("*") || tt.equalsIgnoreCase("origin")) {
                    return;
                }
            }
        }
        out.add(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
    }
}
