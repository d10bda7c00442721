package dev.ringway.control.e2e;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real {@code curl} and {@code openssl} binaries, run with {@link ProcessBuilder}. */
final class Curl {
    private Curl() {
    }

    /** Which HTTP version curl speaks. */
    enum Version {
        /** {@code --http1.1} */
        HTTP_1_1("--http1.1", "1.1"),
        /** {@code --http2-prior-knowledge}: cleartext HTTP/2 (h2c) without upgrade. */
        H2C("--http2-prior-knowledge", "2"),
        /** {@code --http2}: over TLS, h2 negotiated with ALPN. */
        H2("--http2", "2");

        final String flag;
        final String reported;

        Version(String flag, String reported) {
            this.flag = flag;
            this.reported = reported;
        }
    }

    /** One response: status, HTTP version as curl reports it, header fields (names lower-cased), body. */
    record Response(int status, String httpVersion, Map<String, List<String>> headers, String body, double seconds) {
        /** The first value of a header field, or null. */
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.getFirst();
        }

        boolean has(String name) {
            return headers.containsKey(name.toLowerCase(Locale.ROOT));
        }

        JsonNode json() {
            try {
                return ExampleGateway.JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }

        /** The echo's view of the request headers: the values of one (canonical) name. */
        List<String> echoed(String canonicalName) {
            List<String> out = new ArrayList<>();
            json().path("headers").path(canonicalName).forEach(v -> out.add(v.asText()));
            return out;
        }

        /** The pod that answered (echo JSON). */
        String pod() {
            return json().path("pod").asText();
        }
    }

    record Output(int exit, String stdout, String stderr) {
    }

    /** Runs a command and waits (at most 60 s) for it. */
    static Output run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            return new Output(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final String MARK = "\n@@curl@@ ";

    /**
     * One request: {@code curl -sS -i <version flag> args... url}; the status line, header fields and body
     * are parsed from curl's output; a curl error fails.
     */
    static Response request(Version version, String... args) {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-i", "--max-time", "20", version.flag,
                "-w", MARK + "%{http_code} %{http_version} %{time_total}"));
        cmd.addAll(Arrays.asList(args));
        Output o = run(cmd);
        if (o.exit() != 0) {
            throw new IllegalStateException("curl exit " + o.exit() + ": " + o.stderr() + "\n" + cmd);
        }
        return parse(o.stdout());
    }

    static Response parse(String out) {
        int mark = out.lastIndexOf(MARK);
        String[] w = out.substring(mark + MARK.length()).trim().split(" ");
        String resp = out.substring(0, mark);
        // with -L there is one header block per hop: the last one is the answer
        int headEnd;
        Map<String, List<String>> headers;
        while (true) {
            headEnd = resp.indexOf("\r\n\r\n");
            String head = resp.substring(0, headEnd);
            resp = resp.substring(headEnd + 4);
            headers = new LinkedHashMap<>();
            String[] lines = head.split("\r\n");
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
            boolean interim = lines[0].matches("HTTP/\\S+ 1\\d\\d.*");
            boolean redirected = lines[0].matches("HTTP/\\S+ 3\\d\\d.*") && resp.startsWith("HTTP/");
            if (!interim && !redirected) {
                break;
            }
        }
        return new Response(Integer.parseInt(w[0]), w[1], headers, resp, Double.parseDouble(w[2]));
    }

    /** A GET through the gateway's HTTP listener with a Host header. */
    static Response get(ExampleGateway g, Version version, String host, String path, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("-H", "Host: " + host));
        args.addAll(Arrays.asList(extraArgs));
        args.add(g.url(path));
        return request(version, args.toArray(String[]::new));
    }

    private static final Pattern WRITE_OUT = Pattern.compile("@@(\\d{3}) ([0-9.]+)@@");
    private static final Pattern POD = Pattern.compile("\"pod\": \"([^\"]*)\"");

    /** What one curl process sending many requests (URL globbing, one keep-alive connection) saw. */
    record Batch(List<Integer> statuses, List<Double> seconds, Map<String, Integer> pods) {
        /** How many answers each pod gave, by Deployment (the pod name without its last two parts). */
        Map<String, Integer> byDeployment() {
            Map<String, Integer> out = new LinkedHashMap<>();
            pods.forEach((pod, n) -> {
                String[] parts = pod.split("-");
                String d = parts.length < 3 ? pod : String.join("-", Arrays.asList(parts).subList(0, parts.length - 2));
                out.merge(d, n, Integer::sum);
            });
            return out;
        }
    }

    private static final Pattern NGHTTP_STAT = Pattern.compile(
            "(?m)^\\s*\\d+\\s+\\+\\S+\\s+\\+\\S+\\s+([0-9.]+)(us|ms|s)\\s+(\\d{3})\\s+\\d+\\s+\\S+$");

    /**
     * {@code n} GETs of {@code url?n=1..n} over one cleartext HTTP/2 connection (prior knowledge), all sent
     * at once as concurrent streams, with {@code nghttp} (nghttp2's client). curl 7.88 cannot do this: it
     * fails every request after the first on a reused prior-knowledge connection ("Error in the HTTP2
     * framing layer", curl/curl#10634, fixed in curl 8.0), whatever the server.
     */
    static Batch h2cBatch(int n, String host, String url) {
        String sep = url.contains("?") ? "&" : "?";
        // Windows of 2^30: nghttp writes every DATA frame to stdout as it comes, so with its default
        // 64 KiB connection window the gateway's flow control splits answers into frames that
        // interleave there and can cut a "pod" field in two (checked: 983-997 of 1000 counted with
        // a 4 KiB window, all 1000 with these, every status 200 either way).
        List<String> cmd = new ArrayList<>(List.of("nghttp", "-s", "-W", "30", "-w", "30", "-H", ":authority: " + host));
        for (int i = 1; i <= n; i++) {
            cmd.add(url + sep + "n=" + i);
        }
        Output o = run(cmd);
        if (o.exit() != 0) {
            throw new IllegalStateException("nghttp exit " + o.exit() + ": " + o.stderr());
        }
        List<Integer> statuses = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        Matcher m = NGHTTP_STAT.matcher(o.stdout());
        while (m.find()) {
            double t = Double.parseDouble(m.group(1));
            seconds.add(switch (m.group(2)) {
                case "us" -> t / 1e6;
                case "ms" -> t / 1e3;
                default -> t;
            });
            statuses.add(Integer.parseInt(m.group(3)));
        }
        Map<String, Integer> pods = new LinkedHashMap<>();
        Matcher p = POD.matcher(o.stdout());
        while (p.find()) {
            pods.merge(p.group(1), 1, Integer::sum);
        }
        return new Batch(statuses, seconds, pods);
    }

    /** {@link #batch} for HTTP/1.1, {@link #h2cBatch} for h2c. */
    static Batch batchOf(Version v, int n, String host, String url) {
        return v == Version.H2C ? h2cBatch(n, host, url) : batch(v, n, host, url);
    }

    /**
     * {@code n} GETs of {@code path?n=1..n} in one curl process (URL globbing: one connection, kept
     * alive), each answer's status and {@code time_total} recorded, echo pods counted.
     */
    static Batch batch(Version version, int n, String host, String url) {
        String sep = url.contains("?") ? "&" : "?";
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "120", version.flag, "-H", "Host: " + host,
                "-w", "\n@@%{http_code} %{time_total}@@\n", url + sep + "n=[1-" + n + "]"));
        Output o = run(cmd);
        if (o.exit() != 0) {
            throw new IllegalStateException("curl exit " + o.exit() + ": " + o.stderr());
        }
        List<Integer> statuses = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        Matcher m = WRITE_OUT.matcher(o.stdout());
        while (m.find()) {
            statuses.add(Integer.parseInt(m.group(1)));
            seconds.add(Double.parseDouble(m.group(2)));
        }
        Map<String, Integer> pods = new LinkedHashMap<>();
        Matcher p = POD.matcher(o.stdout());
        while (p.find()) {
            pods.merge(p.group(1), 1, Integer::sum);
        }
        return new Batch(statuses, seconds, pods);
    }
}
