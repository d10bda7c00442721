package dev.ringway.conformance.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringway.conformance.client.GrpcClient;
import dev.ringway.conformance.client.HttpResult;
import dev.ringway.conformance.client.LineClient;
import dev.ringway.conformance.client.Pem;
import dev.ringway.conformance.client.UdpClient;
import dev.ringway.conformance.model.Expect;
import dev.ringway.conformance.model.Json;
import dev.ringway.conformance.model.PemRef;
import dev.ringway.conformance.model.Request;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Per-protocol expectation checks of SCHEMA 4.2 with the rules of 8.4, 8.5 and 8.8. Null = holds. */
public final class Expectations {
    private Expectations() {}

    // ---------------------------------------------------------------------------------------------- HTTP family

    /**
     * Checks one HTTP answer.
     *
     * @param sentTarget the request target as sent (placeholders substituted)
     * @param requestUrl scheme://address:port of the request, for resolving Location
     * @param pems reads the PEM of a generated object's key
     */
    public static String http(Expect e, Request r, String sentTarget, HttpResult res, String requestUrl,
                              Function<PemRef, String> pems) {
        int st = res.status();
        if (e.status() != null || e.backendFromHeader() == null) {
            if (!statusMatches(e.statusOrDefault(), st)) {
                return "expected status " + statusText(e.statusOrDefault()) + ", got " + describe(res);
            }
        }
        if (e.backendFromHeader() != null) {
            JsonNode echo = echo(res);
            if (echo == null) {
                return "backendFromHeader: not an echo response: " + describe(res);
            }
            List<String> v = headerValues(echo.path("headers"), e.backendFromHeader());
            if (v.size() != 1) {
                return "backendFromHeader: echoed request carries " + v.size() + " " + e.backendFromHeader()
                        + " headers " + v;
            }
            String pod = Json.text(echo, "pod");
            if (pod == null || !pod.startsWith(v.get(0))) {
                return "backendFromHeader: pod " + pod + " does not start with " + e.backendFromHeader() + " value "
                        + v.get(0);
            }
        }
        if ((st == 200 || st == 204) && e.backendFromHeader() == null) {
            if (e.servedByGateway()) {
                JsonNode echo = echo(res);
                if (echo != null && !(emptyText(echo, "path") && emptyText(echo, "namespace"))) {
                    return "servedByGateway: the answer is an echo response from pod " + Json.text(echo, "pod");
                }
                return null;
            }
            JsonNode echo = echo(res);
            if (echo == null) {
                return "expected an echo response (Content-Type exactly application/json, JSON object), got "
                        + describe(res);
            }
            String pod = Objects2.str(Json.text(echo, "pod"));
            if (e.backend() != null && !pod.startsWith(e.backend())) {
                return "expected backend " + e.backend() + ", answered by pod " + pod;
            }
            String ns = e.namespace() == null ? "" : e.namespace();
            String echoedNs = Objects2.str(Json.text(echo, "namespace"));
            if (!ns.equals(echoedNs)) {
                return "expected namespace " + ns + ", echoed namespace " + echoedNs + " (pod " + pod + ")";
            }
            String m = backendRequest(e, r, sentTarget, echo, pems);
            if (m != null) {
                return m + " (pod " + pod + ")";
            }
            m = responseHeaders(e, res);
            if (m != null) {
                return m;
            }
        }
        if (e.redirect() != null && isRedirect(st)) {
            return redirect(e.redirect(), res, requestUrl, sentTarget);
        }
        return null;
    }

    public static boolean statusMatches(List<Integer> expected, int actual) {
        if (expected.contains(actual)) {
            return true;
        }
        boolean timeoutExpected = expected.contains(408) || expected.contains(504);
        return timeoutExpected && (actual == 408 || actual == 504);
    }

    private static String statusText(List<Integer> s) {
        return s.size() == 1 ? String.valueOf(s.get(0)) : s.toString();
    }

    static boolean isRedirect(int st) {
        return (st >= 300 && st <= 305) || st == 307 || st == 308;
    }

    /** The echo JSON when the answer is an echo response (8.4), else null. */
    public static JsonNode echo(HttpResult res) {
        List<String> ct = res.values("Content-Type");
        if (ct.size() != 1 || !ct.get(0).equals("application/json")) {
            return null;
        }
        try {
            JsonNode n = Json.JSON.readTree(res.body());
            return n != null && n.isObject() ? n : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static boolean emptyText(JsonNode n, String key) {
        String s = Json.text(n, key);
        return s == null || s.isEmpty();
    }

    private static String backendRequest(Expect e, Request r, String sentTarget, JsonNode echo,
                                         Function<PemRef, String> pems) {
        Expect.BackendRequest br = e.backendRequest();
        String method;
        String host;
        String path;
        Map<String, String> headers;
        List<String> absent = List.of();
        if (br == null) {
            method = r.method() == null ? "GET" : r.method();
            host = r.host();
            path = sentTarget;
            headers = r.headers();
        } else {
            method = br.method() == null ? "GET" : br.method();
            host = br.host();
            path = br.path();
            headers = br.headers();
            absent = br.absentHeaders() == null ? List.of() : br.absentHeaders();
        }
        if (!method.equals(Json.text(echo, "method"))) {
            return "backendRequest: method expected " + method + ", echoed " + Json.text(echo, "method");
        }
        if (path != null && !path.equals(Json.text(echo, "path"))) {
            return "backendRequest: path expected " + path + ", echoed " + Json.text(echo, "path");
        }
        if (host != null && !host.equals(Json.text(echo, "host"))) {
            return "backendRequest: host expected " + host + ", echoed " + Json.text(echo, "host");
        }
        JsonNode eh = echo.path("headers");
        if (headers != null) {
            for (var h : headers.entrySet()) {
                List<String> v = headerValues(eh, h.getKey());
                String joined = v.isEmpty() ? null : String.join(",", v);
                if (!h.getValue().equals(joined)) {
                    return "backendRequest: header " + h.getKey() + " expected '" + h.getValue() + "', echoed "
                            + (joined == null ? "absent" : "'" + joined + "'");
                }
            }
        }
        for (String a : absent) {
            List<String> v = headerValues(eh, a);
            if (!v.isEmpty()) {
                return "backendRequest: header " + a + " must be absent, echoed " + v;
            }
        }
        if (br != null && br.sni() != null) {
            JsonNode tls = echo.get("tls");
            if (tls == null || tls.isNull()) {
                return "backendRequest: sni expected " + br.sni() + ", but the backend request was not over TLS";
            }
            if (!br.sni().equals(Json.text(tls, "serverName"))) {
                return "backendRequest: sni expected " + br.sni() + ", echoed tls.serverName "
                        + Json.text(tls, "serverName");
            }
        }
        if (br != null && br.clientCert() != null) {
            X509Certificate want = Pem.certificates(pems.apply(br.clientCert())).get(0);
            JsonNode peers = echo.path("tls").path("peerCertificates");
            boolean found = false;
            for (JsonNode p : peers) {
                try {
                    for (X509Certificate c : Pem.certificates(p.asText())) {
                        found |= Arrays.equals(c.getEncoded(), want.getEncoded());
                    }
                } catch (IllegalArgumentException | CertificateEncodingException ex) {
                    // not a certificate
                }
            }
            if (!found) {
                return "backendRequest: client certificate " + br.clientCert() + " not among the "
                        + peers.size() + " echoed tls.peerCertificates";
            }
        }
        return null;
    }

    /** Values of a header in the echo's {@code headers} object (case-insensitive name). */
    static List<String> headerValues(JsonNode headers, String name) {
        List<String> out = new ArrayList<>();
        headers.properties().forEach(en -> {
            if (en.getKey().equalsIgnoreCase(name)) {
                if (en.getValue().isArray()) {
                    en.getValue().forEach(v -> out.add(v.asText()));
                } else {
                    out.add(en.getValue().asText());
                }
            }
        });
        return out;
    }

    private static String responseHeaders(Expect e, HttpResult res) {
        if (e.responseHeaders() != null) {
            for (var h : e.responseHeaders().entrySet()) {
                String got = res.joined(h.getKey());
                String want = h.getValue();
                if (got == null || !ws(want, e.ignoreWhitespace()).equals(ws(got, e.ignoreWhitespace()))) {
                    return "response header " + h.getKey() + " expected '" + want + "', got "
                            + (got == null ? "absent" : "'" + got + "'");
                }
            }
        }
        if (e.responseHeadersOneOf() != null) {
            for (var h : e.responseHeadersOneOf().entrySet()) {
                String got = res.joined(h.getKey());
                boolean ok = got != null && h.getValue().stream()
                        .anyMatch(w -> ws(w, e.ignoreWhitespace()).equals(ws(got, e.ignoreWhitespace())));
                if (!ok) {
                    return "response header " + h.getKey() + " expected one of " + h.getValue() + ", got "
                            + (got == null ? "absent" : "'" + got + "'");
                }
            }
        }
        if (e.absentResponseHeaders() != null) {
            for (String a : e.absentResponseHeaders()) {
                if (!res.values(a).isEmpty()) {
                    return "response header " + a + " must be absent, got " + res.values(a);
                }
            }
        }
        return null;
    }

    private static String ws(String s, boolean ignore) {
        return ignore ? s.replace(" ", "") : s;
    }

    /** 8.5: Location compared with scheme, host, port and path. */
    static String redirect(Expect.Redirect want, HttpResult res, String requestUrl, String sentTarget) {
        List<String> locs = res.values("Location");
        if (locs.isEmpty()) {
            return "redirect: no Location header in " + describe(res);
        }
        URI loc;
        try {
            loc = URI.create(requestUrl + (sentTarget.startsWith("/") ? sentTarget : "/" + sentTarget))
                    .resolve(URI.create(locs.get(0)));
        } catch (IllegalArgumentException ex) {
            return "redirect: unparsable Location '" + locs.get(0) + "'";
        }
        String l = "Location " + locs.get(0);
        if (!want.scheme().equalsIgnoreCase(String.valueOf(loc.getScheme()))) {
            return "redirect: scheme expected " + want.scheme() + ", " + l;
        }
        if (want.host() != null && !want.host().equalsIgnoreCase(String.valueOf(loc.getHost()))) {
            return "redirect: host expected " + want.host() + ", " + l;
        }
        int port = loc.getPort();
        if (want.port() != null) {
            if (port != want.port()) {
                return "redirect: port expected " + want.port() + ", " + l;
            }
        } else {
            int dflt = "https".equalsIgnoreCase(loc.getScheme()) ? 443 : "http".equalsIgnoreCase(loc.getScheme()) ? 80 : -2;
            if (port != -1 && port != dflt) {
                return "redirect: no port (or the scheme's default) expected, " + l;
            }
        }
        String path = loc.getRawPath() == null || loc.getRawPath().isEmpty() ? "/" : loc.getRawPath();
        if (!want.path().equals(path) && !want.path().equals(loc.getPath())) {
            return "redirect: path expected " + want.path() + ", " + l;
        }
        return null;
    }

    static String describe(HttpResult res) {
        String body = res.bodyText();
        if (body.length() > 200) {
            body = body.substring(0, 200) + "...";
        }
        JsonNode echo = echo(res);
        String who = echo == null ? "" : " from pod " + Json.text(echo, "pod");
        return res.status() + who + (body.isEmpty() || echo != null ? "" : " (body '" + body.strip() + "')");
    }

    // ---------------------------------------------------------------------------------------------- others

    public static String websocket(Expect e, List<byte[]> received) {
        for (int i = 0; i < e.messages().size(); i++) {
            byte[] want = e.messages().get(i).receive();
            byte[] got = i < received.size() ? received.get(i) : null;
            if (got == null || !Arrays.equals(want, got)) {
                return "websocket message " + i + ": expected " + show(want) + ", got " + (got == null ? "nothing" : show(got));
            }
        }
        return null;
    }

    private static String show(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        return s.chars().allMatch(c -> c >= 32 && c < 127) ? "'" + s + "'" : Arrays.toString(b);
    }

    public static String grpc(Expect e, Request r, GrpcClient.Result res) {
        if (!e.grpcCode().equals(res.code())) {
            return "expected gRPC code " + e.grpcCode() + ", got " + res.code()
                    + (res.message() == null ? "" : " (" + res.message() + ")");
        }
        if (!"OK".equals(res.code())) {
            return null;
        }
        String pod = Objects2.str(res.pod());
        if (e.backend() != null && !pod.startsWith(e.backend())) {
            return "expected backend " + e.backend() + ", answered by pod " + pod;
        }
        if (e.namespace() != null && !e.namespace().equals(res.namespace())) {
            return "expected namespace " + e.namespace() + ", got " + res.namespace();
        }
        String fqm = e.backendRequest() != null && e.backendRequest().fullyQualifiedMethod() != null
                ? e.backendRequest().fullyQualifiedMethod() : "/" + r.grpcService() + "/" + r.grpcMethod();
        if (!fqm.equals(res.fullyQualifiedMethod())) {
            return "expected method " + fqm + ", echoed " + res.fullyQualifiedMethod();
        }
        return null;
    }

    public static String line(Expect e, LineClient.Exchange x) {
        if (e.welcome() != null && !e.welcome().equals(x.welcome())) {
            return "expected greeting '" + e.welcome() + "', got '" + x.welcome() + "'";
        }
        if (e.replies() != null) {
            for (var en : e.replies().entrySet()) {
                String got = x.replies().get(en.getKey());
                if (!en.getValue().equals(got)) {
                    return "reply to " + en.getKey() + ": expected '" + en.getValue() + "', got "
                            + (got == null ? "none" : "'" + got + "'");
                }
            }
        }
        if (e.backend() != null || e.namespace() != null || e.tlsServerName() != null) {
            String test = x.replies().get("TEST");
            if (test == null) {
                return "backend checks need TEST in send";
            }
            JsonNode j;
            try {
                j = Json.parse(test);
            } catch (IllegalArgumentException ex) {
                return "TEST reply is not JSON: '" + test + "'";
            }
            String pod = Objects2.str(Json.text(j, "pod"));
            if (e.backend() != null && !pod.startsWith(e.backend() + "-")) {
                return "expected backend " + e.backend() + ", answered by pod " + pod;
            }
            if (e.namespace() != null && !e.namespace().equals(Json.text(j, "namespace"))) {
                return "expected namespace " + e.namespace() + ", got " + Json.text(j, "namespace");
            }
            if (e.tlsServerName() != null && !e.tlsServerName().equals(Json.text(j, "tls", "serverName"))) {
                return "expected TLS server name " + e.tlsServerName() + " at the backend, got "
                        + Json.text(j, "tls", "serverName");
            }
        }
        return null;
    }

    /** Pod name minus its last two '-'-separated parts (8.8). */
    public static String deploymentOf(String pod) {
        if (pod == null) {
            return "";
        }
        String[] parts = pod.split("-");
        if (parts.length <= 2) {
            return pod;
        }
        return String.join("-", Arrays.copyOf(parts, parts.length - 2));
    }

    public static String udp(Expect e, Request r, byte[] reply, int dnsId) {
        if (e.dnsResponse()) {
            return UdpClient.checkDnsReply(reply, dnsId);
        }
        if (e.anyReply() && e.backend() == null && e.namespace() == null) {
            return null;
        }
        JsonNode j;
        try {
            j = Json.JSON.readTree(reply);
        } catch (Exception ex) {
            return "UDP reply is not JSON: '" + new String(reply, StandardCharsets.UTF_8) + "'";
        }
        if (e.backend() != null) {
            if ("deployment".equals(e.backendMatch())) {
                String dep = deploymentOf(Json.text(j, "pod"));
                if (!e.backend().equals(dep)) {
                    return "expected backend " + e.backend() + ", answered by pod " + Json.text(j, "pod");
                }
            } else if (!e.backend().equals(Json.text(j, "service"))) {
                return "expected service " + e.backend() + ", reply service " + Json.text(j, "service") + " (pod "
                        + Json.text(j, "pod") + ")";
            }
        }
        if (e.namespace() != null && !e.namespace().equals(Json.text(j, "namespace"))) {
            return "expected namespace " + e.namespace() + ", got " + Json.text(j, "namespace");
        }
        return null;
    }

    /** Small null helpers. */
    static final class Objects2 {
        static String str(String s) {
            return s == null ? "" : s;
        }
    }
}
