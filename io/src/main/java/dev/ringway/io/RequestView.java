package dev.ringway.io;

import dev.ringway.core.route.HttpRequestView;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;

import java.util.Iterator;

/**
 * {@link HttpRequestView} over a Netty request, reused for every request of a connection: the
 * request target is split once into path and query, the host is lower-cased with its port removed
 * (allocating only when it has to), and header lookups read the request's headers in place.
 */
final class RequestView implements HttpRequestView {
    private HttpRequest req;
    private String host;
    private String hostPort;
    private String path;
    private String query;
    private String method;

    /**
     * Points the view at {@code r}. Returns null when the request is acceptable, else the reason for
     * a 400 (bad target, bad or duplicated Host).
     */
    String reset(HttpRequest r) {
        this.req = r;
        this.method = r.method().name();
        this.host = null;
        this.hostPort = null;
        String uri = r.uri();
        String authority = null;
        String target;
        if (uri.isEmpty()) {
            return "empty request target";
        }
        char c0 = uri.charAt(0);
        if (c0 == '/') {
            target = uri;
        } else if (uri.equals("*")) {
            target = uri;
        } else if (uri.regionMatches(true, 0, "http://", 0, 7) || uri.regionMatches(true, 0, "https://", 0, 8)) {
            int start = uri.indexOf("//") + 2;
            int slash = start;
            while (slash < uri.length() && uri.charAt(slash) != '/' && uri.charAt(slash) != '?') {
                slash++;
            }
            authority = uri.substring(start, slash);
            target = slash == uri.length() ? "/" : uri.charAt(slash) == '?' ? "/" + uri.substring(slash) : uri.substring(slash);
            if (authority.indexOf('@') >= 0) {
                return "userinfo in request target";
            }
        } else {
            return "unsupported request target form";
        }
        int q = target.indexOf('?');
        if (q < 0) {
            path = target;
            query = null;
        } else {
            path = target.substring(0, q);
            query = target.substring(q + 1);
        }
        HttpHeaders h = r.headers();
        String hostHeader = null;
        Iterator<String> it = h.valueStringIterator(HttpHeaderNames.HOST);
        if (it.hasNext()) {
            hostHeader = it.next();
            if (it.hasNext()) {
                return "more than one Host header";
            }
        }
        String a = authority != null ? authority : hostHeader;
        if (a != null) {
            String err = parseHost(a);
            if (err != null) {
                return err;
            }
        } else {
            host = "";
        }
        return null;
    }

    /** The previous request's Host value on this connection and what it parsed to (clients repeat it). */
    private String lastRaw;
    private String lastHost;
    private String lastHostPort;

    private String parseHost(String a) {
        if (a.equals(lastRaw)) {
            host = lastHost;
            hostPort = lastHostPort;
            return null;
        }
        String err = parseHost0(a);
        if (err == null) {
            lastRaw = a;
            lastHost = host;
            lastHostPort = hostPort;
        }
        return err;
    }

    private String parseHost0(String a) {
        int n = a.length();
        int end = n;
        if (n > 0 && a.charAt(0) == '[') {
            int close = a.indexOf(']');
            if (close < 0) {
                return "bad Host";
            }
            end = close + 1;
            if (end < n && a.charAt(end) != ':') {
                return "bad Host";
            }
        } else {
            int colon = a.indexOf(':');
            if (colon >= 0) {
                end = colon;
            }
        }
        if (end < n) {
            for (int i = end + 1; i < n; i++) {
                char ch = a.charAt(i);
                if (ch < '0' || ch > '9') {
                    return "bad Host port";
                }
            }
            hostPort = a.substring(end + 1);
        }
        boolean lower = true;
        for (int i = 0; i < end; i++) {
            char ch = a.charAt(i);
            if (ch <= ' ' || ch == '/' || ch == '@' || ch == ',' || ch == '\\' || ch >= 0x7f) {
                return "bad Host";
            }
            if (ch >= 'A' && ch <= 'Z') {
                lower = false;
            }
        }
        String h = end == n ? a : a.substring(0, end);
        host = lower ? h : h.toLowerCase(java.util.Locale.ROOT);
        return null;
    }

    void clear() {
        req = null;
    }

    @Override
    public String host() {
        return host;
    }

    /** The port written in the Host header (or absolute target), or null. */
    String hostPort() {
        return hostPort;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String query() {
        return query;
    }

    @Override
    public String header(String lowerCaseName) {
        Iterator<String> it = req.headers().valueStringIterator(lowerCaseName);
        if (!it.hasNext()) {
            return null;
        }
        String first = it.next();
        if (!it.hasNext()) {
            return first;
        }
        // Several fields: getAll keeps them in arrival order (the iterator does not).
        return String.join(",", req.headers().getAll(lowerCaseName));
    }
}
