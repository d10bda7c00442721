package dev.ringway.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.ringway.core.translate.TranslatorOptions;
import dev.ringway.io.DataPlaneOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The whole gateway from a manifest directory: Netty data plane, real upstream, admin API. */
class EndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;
    HttpServer upstream;
    RingwayServer server;
    int gatewayPort;

    @BeforeEach
    void upstream() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        upstream.createContext("/", ex -> {
            byte[] body = ("upstream saw " + ex.getRequestMethod() + " " + ex.getRequestURI() + " host="
                    + ex.getRequestHeaders().getFirst("Host")).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        upstream.start();
        try (ServerSocket s = new ServerSocket(0)) {
            gatewayPort = s.getLocalPort();
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        upstream.stop(0);
    }

    String manifests(String prefix) {
        return """
                apiVersion: gateway.networking.k8s.io/v1
                kind: GatewayClass
                metadata: {name: ringway}
                spec: {controllerName: ringway.dev/gateway-controller}
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: gw}
                spec:
                  gatewayClassName: ringway
                  listeners: [{name: http, port: %d, protocol: HTTP}]
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: web}
                spec:
                  parentRefs: [{name: gw}]
                  hostnames: [example.com]
                  rules:
                  - matches: [{path: {type: PathPrefix, value: %s}}]
                    backendRefs: [{name: app, port: 80}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: app}
                spec: {ports: [{name: http, port: 80, targetPort: %d}]}
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: app-1
                  labels: {kubernetes.io/service-name: app}
                addressType: IPv4
                ports: [{name: http, port: %d}]
                endpoints: [{addresses: [127.0.0.1], targetRef: {kind: Pod, name: app-5d8f7c9b4-x2k4p}}]
                """.formatted(gatewayPort, prefix, upstream.getAddress().getPort(), upstream.getAddress().getPort());
    }

    HttpResponse<String> get(int port, String host, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request through the gateway with a chosen Host header (the JDK client refuses to set it). */
    record Raw(int status, String body) {
    }

    Raw request(String host, String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", gatewayPort)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String resp = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(resp.substring(9, 12));
            int bodyAt = resp.indexOf("\r\n\r\n");
            return new Raw(status, bodyAt < 0 ? "" : resp.substring(bodyAt + 4));
        }
    }

    int admin() {
        return server.adminAddress().getPort();
    }

    @Test
    void proxiesReloadsAndReportsStatus() throws Exception {
        Files.writeString(dir.resolve("app.yaml"), manifests("/api"));
        server = RingwayServer.start(new RingwayServer.Config(List.of(dir),
                new TranslatorOptions(TranslatorOptions.DEFAULT_CONTROLLER_NAME,
                        new TranslatorOptions.AddressPolicy.Bind("127.0.0.1")),
                new InetSocketAddress("127.0.0.1", 0),
                DataPlaneOptions.defaults().withTransport("auto").withEventLoops(1).withDrain(Duration.ofSeconds(1))));
        await().atMost(Duration.ofSeconds(10)).until(() -> get(admin(), null, "/readyz").statusCode() == 200);

        Raw r = request("example.com", "/api/users?x=1");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("upstream saw GET /api/users?x=1 host=example.com");
        assertThat(request("example.com", "/other").status()).isEqualTo(404);

        JsonNode status = JSON.readTree(get(admin(), null, "/status").body());
        assertThat(status.path("items")).hasSize(3);
        JsonNode gw = status.path("items").get(0);
        assertThat(gw.path("kind").asText()).isEqualTo("Gateway");
        assertThat(gw.path("status").path("addresses").get(0).path("value").asText()).isEqualTo("127.0.0.1");
        assertThat(gw.path("status").path("conditions").findValuesAsText("status")).containsOnly("True");
        JsonNode route = status.path("items").get(2);
        assertThat(route.path("status").path("parents").get(0).path("conditions").get(0).path("status").asText())
                .isEqualTo("True");

        // a change is served within a second
        Files.writeString(dir.resolve("app.yaml"), manifests("/v2"));
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> request("example.com", "/v2/x").status() == 200);
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(1.0);
        assertThat(request("example.com", "/api/users").status()).isEqualTo(404);
        await().until(() -> JSON.readTree(get(admin(), null, "/status").body()).path("items").get(2)
                .path("metadata").path("generation").asLong() == 2);

        // a broken file leaves the last good configuration serving; the error names the file
        Files.writeString(dir.resolve("app.yaml"), "apiVersion: v1\nkind: [broken\n");
        await().atMost(Duration.ofSeconds(3)).until(() ->
                JSON.readTree(get(admin(), null, "/problems").body()).path("errors").asInt() == 1);
        assertThat(JSON.readTree(get(admin(), null, "/problems").body()).path("problems").get(0).path("file").asText())
                .isEqualTo(dir.resolve("app.yaml").toString());
        assertThat(request("example.com", "/v2/x").status()).isEqualTo(200);

        String metrics = get(admin(), null, "/metrics").body();
        assertThat(metrics).contains("ringway_config_errors 1\n").contains("ringway_snapshot_version");
        JsonNode dump = JSON.readTree(get(admin(), null, "/config_dump").body());
        assertThat(dump.path("bindings").get(0).path("address").asText()).isEqualTo("127.0.0.1:" + gatewayPort);
        assertThat(dump.path("transport").asText()).isIn("io_uring", "epoll", "nio");
    }
}
