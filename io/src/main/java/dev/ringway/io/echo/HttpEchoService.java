package dev.ringway.io.echo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The protocol-independent part of the HTTP echo server (ECHO.md section 3): endpoint routing, the echo JSON,
 * {@code X-Echo-Set-Header}, {@code delay} and the retry simulation. One instance per server; thread-safe.
 */
final class HttpEchoService {
    private static final Pattern STATUS_TARGET = Pattern.compile("/status/(\\d\\d\\d)");
    private static final Pattern DOUBLE_SLASHES = Pattern.compile("//+");
    private static final String SET_HEADER = "X-Echo-Set-Header";

    private final EchoIdentity identity;
    private final String httpPortLabel;
    private final EchoRequestLog log;
    /** Attempts seen per retry uuid; never reset (ECHO.md section 3, retry simulation). */
    private final Map<String, AtomicLong> retryAttempts = new ConcurrentHashMap<>();

    HttpEchoService(EchoIdentity identity, String httpPortLabel, EchoRequestLog log) {
        this.identity = identity;
        this.httpPortLabel = httpPortLabel;
        this.log = log;
    }

    EchoRequestLog log() {
        return log;
    }

    /** The plain HTTP and HTTPS listeners: endpoint routing. */
    Reply route(EchoRequest request) {
        Optional<String> path = routingPath(request.target());
        if (path.isEmpty()) {
            return plainText(400, "400 Bad Request: malformed request target");
        }
        String p = path.get();
        if (p.equals("/health")) {
            return new Reply.Respond(200, List.of(Map.entry("Content-Type", "text/plain; charset=utf-8")),
                    "OK".getBytes(StandardCharsets.US_ASCII));
        }
        if (p.startsWith("/status/")) {
            return status(request.target());
        }
        if (p.startsWith("/retry/")) {
            return retry(request);
        }
        if (p.equals("/ws")) {
            return new Reply.WebSocket();
        }
        return echo(request);
    }

    /**
     * An HTTP/1.x request on the h2c listener: echoed when it carries {@code Upgrade: h2c} (an upgrade that did
     * not happen), otherwise 400.
     */
    Reply h2cListenerHttp1(EchoRequest request) {
        List<String> upgrade = request.headerValues("Upgrade");
        if (!upgrade.isEmpty() && upgrade.getFirst().equals("h2c")) {
            return echo(request);
        }
        return new Reply.Respond(400, List.of(Map.entry("Content-Type", "text/plain; charset=utf-8")),
                "Expected h2c request".getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The path the router looks at: the decoded path of the target with every run of slashes collapsed. Empty
     * when the target does not parse.
     */
    static Optional<String> routingPath(String target) {
        String rawPath;
        if (target.startsWith("/")) {
            int q = target.indexOf('?');
            rawPath = q < 0 ? target : target.substring(0, q);
        } else {
            // absolute form (http://host/path?query) or asterisk form
            int scheme = target.indexOf("://");
            if (scheme < 0) {
                return target.equals("*") ? Optional.of("*") : Optional.empty();
            }
            int slash = target.indexOf('/', scheme + 3);
            int q = target.indexOf('?', scheme + 3);
            if (slash < 0 || (q >= 0 && q < slash)) {
                rawPath = "/";
            } else {
                rawPath = q < 0 ? target.substring(slash) : target.substring(slash, q);
            }
        }
        return HttpText.pathUnescape(rawPath).map(p -> DOUBLE_SLASHES.matcher(p).replaceAll("/"));
    }

    /** {@code /status/NNN}: exactly three digits and no query, else 400. */
    private static Reply status(String target) {
        var m = STATUS_TARGET.matcher(target);
        if (m.matches()) {
            int code = Integer.parseInt(m.group(1));
            if (code >= 200) {
                return new Reply.Respond(code, List.of(), new byte[0]);
            }
            // 0xx makes Go's WriteHeader panic and 1xx are interim answers; neither is a response we can give
        }
        return new Reply.Respond(400, List.of(), new byte[0]);
    }

    /** {@code /retry/...?uuid=U&succeedAfter=N[&responseCode=C][&delayRetry=D]} (ECHO.md section 3). */
    private Reply retry(EchoRequest request) {
        String query = HttpText.rawQuery(request.target());
        String uuid = HttpText.formValue(query, "uuid").orElse("");
        if (uuid.isEmpty()) {
            return plainText(400, "uuid is required");
        }
        long succeedAfter;
        try {
            succeedAfter = Long.parseLong(HttpText.formValue(query, "succeedAfter").orElse(""));
        } catch (NumberFormatException e) {
            return plainText(400, "succeedAfter is required");
        }
        Optional<Integer> responseCode = Optional.empty();
        Optional<String> code = HttpText.formValue(query, "responseCode").filter(s -> !s.isEmpty());
        if (code.isPresent()) {
            try {
                responseCode = Optional.of(Integer.parseInt(code.get()));
            } catch (NumberFormatException e) {
                return plainText(400, "responseCode must be an integer");
            }
            if (responseCode.get() < 200 || responseCode.get() > 999) {
                return plainText(400, "responseCode must be between 200 and 999");
            }
        }
        Duration delayRetry = Duration.ZERO;
        Optional<String> delay = HttpText.formValue(query, "delayRetry").filter(s -> !s.isEmpty());
        if (delay.isPresent()) {
            try {
                delayRetry = GoDuration.parse(delay.get());
            } catch (GoDuration.InvalidDurationException e) {
                return plainText(400, "delayRetry: " + e.getMessage());
            }
        }
        AtomicLong attempts = retryAttempts.computeIfAbsent(uuid, u -> new AtomicLong());
        long seen = attempts.getAndUpdate(n -> n < succeedAfter ? n + 1 : n);
        if (seen >= succeedAfter) {
            return echo(request);
        }
        Reply failure = responseCode.<Reply>map(c -> new Reply.Respond(c, List.of(), new byte[0]))
                .orElseGet(Reply.Reset::new);
        return delayRetry.isPositive() ? new Reply.Delayed(delayRetry, failure) : failure;
    }

    /** The echo: log line, {@code delay}, JSON body, {@code X-Echo-Set-Header}. */
    Reply echo(EchoRequest request) {
        String target = HttpText.wireToUtf8(request.target());
        log.record(target, request.remoteAddress());

        Duration delay = Duration.ZERO;
        Optional<String> delayValue = request.formBody().flatMap(body -> HttpText.formValue(body, "delay"))
                .or(() -> HttpText.formValue(HttpText.rawQuery(request.target()), "delay"));
        if (delayValue.isPresent() && !delayValue.get().isEmpty()) {
            try {
                delay = GoDuration.parse(delayValue.get());
            } catch (GoDuration.InvalidDurationException e) {
                return new Reply.Respond(500, jsonHeaders(List.of()),
                        Json.compact(Map.of("message", e.getMessage())).getBytes(StandardCharsets.UTF_8));
            }
        }

        Map<String, List<String>> headers = new TreeMap<>();
        for (Map.Entry<String, String> h : request.headers()) {
            headers.computeIfAbsent(HttpText.canonicalHeaderName(h.getKey()), k -> new ArrayList<>())
                    .add(HttpText.wireToUtf8(h.getValue()));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("path", target);
        json.put("host", HttpText.wireToUtf8(request.host()));
        json.put("method", request.method());
        json.put("proto", request.proto());
        json.put("headers", headers);
        json.put("httpPort", httpPortLabel);
        json.put("namespace", identity.namespace());
        json.put("ingress", identity.ingress());
        json.put("service", identity.service());
        json.put("pod", identity.pod());
        request.tls().ifPresent(tls -> json.put("tls", tls.httpJson()));

        Reply respond = new Reply.Respond(200, jsonHeaders(echoSetHeaders(request.headerValues(SET_HEADER))),
                Json.indented(json).getBytes(StandardCharsets.UTF_8));
        return delay.isPositive() ? new Reply.Delayed(delay, respond) : respond;
    }

    /**
     * {@code X-Echo-Set-Header: Name:Value,Name:Value}: each pair trimmed and split at its first colon; the name
     * keeps its casing, the value is taken as is; a repeated name appends {@code ,} and the trimmed value to the
     * first value. Empty and invalid names are dropped, as are the framing headers Content-Length,
     * Transfer-Encoding and Connection (they would break the connection rather than test anything).
     */
    static List<Map.Entry<String, String>> echoSetHeaders(List<String> setHeaderValues) {
        Map<String, String> set = new LinkedHashMap<>();
        for (String list : setHeaderValues) {
            for (String pair : list.split(",", -1)) {
                String trimmed = pair.strip();
                int colon = trimmed.indexOf(':');
                String name = colon < 0 ? trimmed : trimmed.substring(0, colon);
                String value = colon < 0 ? "" : trimmed.substring(colon + 1);
                set.merge(name, value, (first, later) -> first + "," + later.strip());
            }
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        set.forEach((name, value) -> {
            if (HttpText.isToken(name)
                    && !name.equalsIgnoreCase("Content-Length")
                    && !name.equalsIgnoreCase("Transfer-Encoding")
                    && !name.equalsIgnoreCase("Connection")) {
                headers.add(Map.entry(name, value));
            }
        });
        return headers;
    }

    /** Go's {@code w.Header().Set} of Content-Type and X-Content-Type-Options after the echo-set headers. */
    private static List<Map.Entry<String, String>> jsonHeaders(List<Map.Entry<String, String>> echoSet) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (Map.Entry<String, String> h : echoSet) {
            if (!h.getKey().equals("Content-Type") && !h.getKey().equals("X-Content-Type-Options")) {
                headers.add(h);
            }
        }
        headers.add(Map.entry("Content-Type", "application/json"));
        headers.add(Map.entry("X-Content-Type-Options", "nosniff"));
        return headers;
    }

    /** Go's {@code http.Error}. */
    static Reply.Respond plainText(int status, String message) {
        return new Reply.Respond(status,
                List.of(Map.entry("Content-Type", "text/plain; charset=utf-8"),
                        Map.entry("X-Content-Type-Options", "nosniff")),
                (message + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
