package dev.ringway.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringway.control.cli.DemoPlan;
import dev.ringway.control.cli.EchoBackends;
import dev.ringway.core.model.Resource;
import dev.ringway.core.parse.ManifestParser;
import dev.ringway.core.parse.ParsedObject;
import dev.ringway.core.translate.TranslatorOptions;
import dev.ringway.io.DataPlaneOptions;
import dev.ringway.io.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every HTTP example of the seed article, as adapted in {@code examples/quickstart}, through the
 * real gateway (started from those manifests) to real echo backends, on each available transport.
 */
class QuickstartEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path DIR = Path.of(System.getProperty("ringway.root", "..")).resolve("examples/quickstart");
    static EchoBackends backends;

    static synchronized void startBackends() throws IOException {
        if (backends == null) {
            List<Resource> resources = new ArrayList<>();
            ManifestParser parser = ManifestParser.create();
            for (Path f : dev.ringway.control.cli.ValidateCommand.manifestFiles(DIR)) {
                parser.parse(f).objects().stream().map(ParsedObject::resource).forEach(resources::add);
            }
            backends = EchoBackends.start(DemoPlan.from(resources, "127.0.0.1").backends());
        }
    }

    @AfterAll
    static void stopBackends() {
        if (backends != null) {
            backends.close();
        }
    }

    record Reply(int status, String body) {
        String pod() {
            try {
                return JSON.readTree(body).path("pod").asText();
            } catch (IOException e) {
                return "";
            }
        }

        /** The Deployment: the pod name without its last two parts. */
        String backend() {
            String p = pod();
            String[] parts = p.split("-");
            return parts.length < 3 ? p : String.join("-", List.of(parts).subList(0, parts.length - 2));
        }
    }

    static int port;

    static Reply send(String method, String host, String path, Map<String, String> headers) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n");
            headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            if (method.equals("POST")) {
                req.append("Content-Length: 0\r\n");
            }
            s.getOutputStream().write(req.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String resp = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(resp.substring(9, 12));
            String head = resp.substring(0, resp.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
            String body = resp.substring(resp.indexOf("\r\n\r\n") + 4);
            if (head.contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            return new Reply(status, body);
        }
    }

    static String dechunk(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int eol = s.indexOf("\r\n", i);
            int n = Integer.parseInt(s.substring(i, eol).trim(), 16);
            if (n == 0) {
                break;
            }
            out.append(s, eol + 2, eol + 2 + n);
            i = eol + 2 + n + 2;
        }
        return out.toString();
    }

    static Reply get(String host, String path, String... headers) throws IOException {
        Map<String, String> h = new TreeMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return send("GET", host, path, h);
    }

    static Map<String, Integer> distribution(String host, String path, int n) throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            Reply r = get(host, path);
            assertThat(r.status()).isEqualTo(200);
            counts.merge(r.backend(), 1, Integer::sum);
        }
        return counts;
    }

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll", "nio"})
    void seedArticleExamples(String transport, @TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Transport.isAvailable(transport), transport + " is not available here");
        startBackends();
        // the quickstart as written, except the listener port: a free one
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        for (Path f : dev.ringway.control.cli.ValidateCommand.manifestFiles(DIR)) {
            String text = Files.readString(f);
            if (f.getFileName().toString().equals("00-gateway.yaml")) {
                assertThat(text).contains("port: 8080");
                text = text.replace("port: 8080", "port: " + port);
            }
            Files.writeString(dir.resolve(f.getFileName()), text);
        }
        try (RingwayServer server = RingwayServer.start(new RingwayServer.Config(List.of(dir),
                new TranslatorOptions(TranslatorOptions.DEFAULT_CONTROLLER_NAME,
                        new TranslatorOptions.AddressPolicy.Bind("127.0.0.1")),
                new InetSocketAddress("127.0.0.1", 0),
                DataPlaneOptions.defaults().withTransport(transport).withEventLoops(2)
                        .withDrain(Duration.ofSeconds(1))))) {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!server.controlPlane().metrics().ready()) {
                assertThat(System.nanoTime()).as("ready").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(server.dataPlane().transport()).isEqualTo(transport);

            // exact /health (the echo server answers it itself)
            Reply health = get("api.example.com", "/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.body().trim()).isEqualTo("OK");
            assertThat(get("api.example.com", "/health/more").status()).isEqualTo(404);

            // prefix plus header
            assertThat(get("api.example.com", "/api/v2/users", "X-API-Version", "2").backend()).isEqualTo("api-v2");
            assertThat(get("api.example.com", "/api/v2/users").backend()).isIn("api-stable", "api-canary");

            // 90/10 canary on /api
            Map<String, Integer> api = distribution("api.example.com", "/api/users", 1000);
            assertThat(api.keySet()).containsExactlyInAnyOrder("api-stable", "api-canary");
            assertThat(api.get("api-canary") / 1000.0).isBetween(0.05, 0.15);

            // header and regex header routing
            assertThat(get("www.example.com", "/", "X-Feature-Flag", "new-ui").backend()).isEqualTo("frontend-beta");
            assertThat(get("www.example.com", "/", "X-User-Tier", "premium").backend()).isEqualTo("premium-api");
            assertThat(get("www.example.com", "/", "X-User-Tier", "enterprise").backend()).isEqualTo("premium-api");
            assertThat(get("www.example.com", "/", "X-User-Tier", "free").status()).isEqualTo(404);

            // query and method routing
            assertThat(get("query.example.com", "/?version=beta").backend()).isEqualTo("beta-service");
            assertThat(get("query.example.com", "/?version=stable").status()).isEqualTo(404);
            assertThat(get("resources.example.com", "/resources/1").backend()).isEqualTo("read-service");
            assertThat(send("POST", "resources.example.com", "/resources", Map.of()).backend()).isEqualTo("write-service");
            assertThat(send("DELETE", "resources.example.com", "/resources/1", Map.of()).status()).isEqualTo(404);

            // 95/5 canary
            Map<String, Integer> app = distribution("app.example.com", "/", 1000);
            assertThat(app.keySet()).containsExactlyInAnyOrder("app-v1", "app-v2");
            assertThat(app.get("app-v2") / 1000.0).isBetween(0.015, 0.09);

            // blue-green with header override
            assertThat(get("bluegreen.example.com", "/", "X-Test-Green", "true").backend()).isEqualTo("app-green");
            assertThat(get("bluegreen.example.com", "/").backend()).isEqualTo("app-blue");

            // unknown host: no route
            assertThat(get("nowhere.example.com", "/").status()).isEqualTo(404);

            // every object accepted in /status
            var http = java.net.http.HttpClient.newHttpClient();
            JsonNode status = JSON.readTree(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://127.0.0.1:" + server.adminAddress().getPort() + "/status")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body());
            assertThat(status.path("items")).hasSize(8);
            for (JsonNode item : status.path("items")) {
                for (JsonNode c : item.path("status").findValues("conditions")) {
                    for (JsonNode cond : c) {
                        if (cond.path("type").asText().equals("Accepted")) {
                            assertThat(cond.path("status").asText()).as(item.path("metadata").toString()).isEqualTo("True");
                        }
                    }
                }
            }
        }
    }
}
