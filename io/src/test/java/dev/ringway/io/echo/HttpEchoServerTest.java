package dev.ringway.io.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The plain and h2c listeners of {@link HttpEchoServer}, over real sockets, on every available transport. */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.ringway.io.echo.TestTransports#transports")
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpEchoServerTest {
    private static final String POD = "infra-backend-v1-7d9f8c6b5-x2k4p";
    private static final String NAMESPACE = "gateway-conformance-infra";

    @Parameter
    EchoTransport transport;

    private EchoRuntime runtime;
    private HttpEchoServer server;
    private final List<String> logLines = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws IOException {
        runtime = EchoRuntime.create(transport, 1);
        server = HttpEchoServer.start(runtime, HttpEchoConfig.builder(EchoIdentity.of(POD, NAMESPACE))
                .httpPort(0)
                .h2cPort(0)
                .logSink(logLines::add)
                .build());
    }

    @AfterEach
    void stop() {
        server.close();
        runtime.close();
    }

    private RawHttp connect() throws IOException {
        return RawHttp.connect(server.httpAddress());
    }

    private RawHttp.Response get(String target) throws IOException {
        try (RawHttp http = connect()) {
            return http.send(RawHttp.get(target)).read();
        }
    }

    @Test
    void echoesTheRequest() throws IOException {
        try (RawHttp http = connect()) {
            http.send("GET /some//path?x=1&y=%20z HTTP/1.1\r\n"
                    + "Host: foo.example.com:8080\r\n"
                    + "user-agent: raw\r\n"
                    + "x-multi: a\r\n"
                    + "X-MULTI: b, c\r\n"
                    + "X-Echo-Set-Header: \r\n"
                    + "\r\n");
            RawHttp.Response response = http.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Content-Type")).contains("application/json");
            assertThat(response.header("X-Content-Type-Options")).contains("nosniff");
            JsonNode json = response.json();
            assertThat(json.path("path").asText()).isEqualTo("/some//path?x=1&y=%20z");
            assertThat(json.path("host").asText()).isEqualTo("foo.example.com:8080");
            assertThat(json.path("method").asText()).isEqualTo("GET");
            assertThat(json.path("proto").asText()).isEqualTo("HTTP/1.1");
            assertThat(json.path("httpPort").asText()).isEqualTo("3000");
            assertThat(json.path("namespace").asText()).isEqualTo(NAMESPACE);
            assertThat(json.path("pod").asText()).isEqualTo(POD);
            assertThat(json.path("service").asText()).isEmpty();
            assertThat(json.path("ingress").asText()).isEmpty();
            assertThat(json.has("tls")).isFalse();
            JsonNode headers = json.path("headers");
            assertThat(fieldNames(headers)).containsExactlyInAnyOrder("User-Agent", "X-Multi", "X-Echo-Set-Header");
            assertThat(headers.path("User-Agent").toString()).isEqualTo("[\"raw\"]");
            assertThat(headers.path("X-Multi").toString()).isEqualTo("[\"a\",\"b, c\"]");
            assertThat(headers.path("X-Echo-Set-Header").toString()).isEqualTo("[\"\"]");
            int localPort = http.socket().getLocalPort();
            assertThat(logLines).containsExactly(
                    "Echoing back request made to /some//path?x=1&y=%20z to client (127.0.0.1:" + localPort + ")");
        }
    }

    @Test
    void headerValuesAreUtf8InJson() throws IOException {
        try (RawHttp http = connect()) {
            http.send(("GET /caf\u00e9 HTTP/1.1\r\nHost: h\r\nX-Text: gr\u00fc\u00df \"q\"\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            JsonNode json = http.read().json();
            assertThat(json.path("path").asText()).isEqualTo("/caf\u00e9");
            assertThat(json.path("headers").path("X-Text").get(0).asText()).isEqualTo("gr\u00fc\u00df \"q\"");
        }
    }

    @Test
    void echoSetHeaderBecomesResponseHeaders() throws IOException {
        try (RawHttp http = connect()) {
            http.send("GET / HTTP/1.1\r\nHost: h\r\n"
                    + "X-Echo-Set-Header: X-Foo:bar, X-Foo: baz ,Set-Cookie:a=b:c,, :novalue\r\n"
                    + "X-Echo-Set-Header: X-Other:1\r\n\r\n");
            RawHttp.Response response = http.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.headerValues("X-Foo")).containsExactly("bar,baz");
            assertThat(response.headerValues("Set-Cookie")).containsExactly("a=b:c");
            assertThat(response.headerValues("X-Other")).containsExactly("1");
            assertThat(response.headers()).noneMatch(h -> h.getKey().isEmpty());
            assertThat(response.headerValues("Content-Type")).containsExactly("application/json");
        }
    }

    @Test
    void statusEndpoint() throws IOException {
        assertThat(get("/status/404").status()).isEqualTo(404);
        assertThat(get("/status/404").body()).isEmpty();
        assertThat(get("/status/201").status()).isEqualTo(201);
        assertThat(get("/status/503").status()).isEqualTo(503);
        for (String malformed : List.of("/status/20", "/status/2000", "/status/abc", "/status/200?x=1", "/status/100",
                "//status//503", "/status/")) {
            assertThat(get(malformed).status()).as(malformed).isEqualTo(400);
        }
        assertThat(logLines).isEmpty();
    }

    @Test
    void healthEndpoint() throws IOException {
        RawHttp.Response health = get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.text()).isEqualTo("OK");
        assertThat(get("//health").text()).isEqualTo("OK");
        assertThat(get("/%68ealth").text()).isEqualTo("OK");
        assertThat(get("/health/").header("Content-Type")).contains("application/json");
        assertThat(get("/healthz").header("Content-Type")).contains("application/json");
    }

    @Test
    void delayHoldsTheResponseWithoutBlockingTheEventLoop() throws Exception {
        // one event loop thread: if the delay blocked it, the second request would wait too
        try (RawHttp slow = connect(); RawHttp fast = connect()) {
            long start = System.nanoTime();
            slow.send(RawHttp.get("/slow?delay=700ms"));
            fast.send(RawHttp.get("/fast"));
            RawHttp.Response quick = fast.read();
            long quickMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            RawHttp.Response delayed = slow.read();
            long slowMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(quick.json().path("path").asText()).isEqualTo("/fast");
            assertThat(quickMillis).isLessThan(500);
            assertThat(delayed.json().path("path").asText()).isEqualTo("/slow?delay=700ms");
            assertThat(slowMillis).isGreaterThanOrEqualTo(700);
        }
    }

    @Test
    void delayFromFormBody() throws IOException {
        try (RawHttp http = connect()) {
            String body = "a=1&delay=300ms";
            long start = System.nanoTime();
            http.send("POST /form HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body);
            RawHttp.Response response = http.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(300);
        }
    }

    @Test
    void unparsableDelayIs500() throws IOException {
        RawHttp.Response bad = get("/?delay=abc");
        assertThat(bad.status()).isEqualTo(500);
        assertThat(bad.header("Content-Type")).contains("application/json");
        assertThat(bad.json().path("message").asText()).isEqualTo("time: invalid duration \"abc\"");
        assertThat(get("/?delay=10").json().path("message").asText())
                .isEqualTo("time: missing unit in duration \"10\"");
    }

    @Test
    void retryResetsUntilSucceedAfter() throws IOException {
        String target = "/retry/x?uuid=u-rst&succeedAfter=2";
        for (int attempt = 1; attempt <= 2; attempt++) {
            try (RawHttp http = connect()) {
                http.send(RawHttp.get(target));
                assertThatThrownBy(http::read).as("attempt %d", attempt)
                        .isInstanceOf(IOException.class).hasMessageContaining("reset");
            }
        }
        for (int attempt = 3; attempt <= 4; attempt++) {
            RawHttp.Response ok = get(target);
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.json().path("path").asText()).isEqualTo(target);
        }
        // the counter is per uuid
        try (RawHttp http = connect()) {
            http.send(RawHttp.get("/retry/x?uuid=u-other&succeedAfter=1"));
            assertThatThrownBy(http::read).isInstanceOf(IOException.class);
        }
        assertThat(logLines).hasSize(2);
    }

    @Test
    void retryWithResponseCodeAndDelay() throws IOException {
        String target = "/retry/?uuid=u-code&succeedAfter=2&responseCode=503&delayRetry=200ms";
        try (RawHttp http = connect()) {
            long start = System.nanoTime();
            assertThat(http.send(RawHttp.get(target)).read().status()).isEqualTo(503);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(200);
            assertThat(http.send(RawHttp.get(target)).read().status()).isEqualTo(503);
            assertThat(http.send(RawHttp.get(target)).read().status()).isEqualTo(200);
        }
    }

    @Test
    void retryParameterErrors() throws IOException {
        RawHttp.Response noUuid = get("/retry/x?succeedAfter=1");
        assertThat(noUuid.status()).isEqualTo(400);
        assertThat(noUuid.text()).isEqualTo("uuid is required\n");
        RawHttp.Response noCount = get("/retry/x?uuid=u");
        assertThat(noCount.status()).isEqualTo(400);
        assertThat(noCount.text()).isEqualTo("succeedAfter is required\n");
        assertThat(get("/retry/x?uuid=u&succeedAfter=x").status()).isEqualTo(400);
    }

    @Test
    void keepAliveServesManyRequestsOnOneConnection() throws IOException {
        try (RawHttp http = connect()) {
            for (int i = 0; i < 5; i++) {
                RawHttp.Response response = http.send(RawHttp.get("/k" + i)).read();
                assertThat(response.json().path("path").asText()).isEqualTo("/k" + i);
                assertThat(response.header("Connection")).isEmpty();
            }
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        try (RawHttp http = connect()) {
            http.send(RawHttp.get("/p1?delay=300ms")
                    + "POST /p2 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
                    + RawHttp.get("/status/418")
                    + "HEAD /p4 HTTP/1.1\r\nHost: h\r\n\r\n"
                    + RawHttp.get("/p5"));
            assertThat(http.read().json().path("path").asText()).isEqualTo("/p1?delay=300ms");
            JsonNode post = http.read().json();
            assertThat(post.path("path").asText()).isEqualTo("/p2");
            assertThat(post.path("method").asText()).isEqualTo("POST");
            assertThat(http.read().status()).isEqualTo(418);
            RawHttp.Response head = http.read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isPresent();
            assertThat(http.read().json().path("path").asText()).isEqualTo("/p5");
        }
    }

    @Test
    void largeAndChunkedBodiesAreAcceptedAndDropped() throws IOException {
        try (RawHttp http = connect()) {
            byte[] big = new byte[5 << 20];
            http.send("PUT /big HTTP/1.1\r\nHost: h\r\nContent-Length: " + big.length + "\r\n\r\n");
            http.send(big);
            assertThat(http.read().json().path("method").asText()).isEqualTo("PUT");
            http.send("POST /chunked HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n10000\r\n" + "x".repeat(0x10000) + "\r\n0\r\n\r\n");
            JsonNode chunked = http.read().json();
            assertThat(chunked.path("path").asText()).isEqualTo("/chunked");
            assertThat(chunked.path("headers").has("Transfer-Encoding")).isFalse();
            assertThat(http.send(RawHttp.get("/after")).read().json().path("path").asText()).isEqualTo("/after");
        }
    }

    @Test
    void expectContinue() throws IOException {
        try (RawHttp http = connect()) {
            http.send("POST /expect HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
            assertThat(http.read().status()).isEqualTo(100);
            http.send("abc");
            assertThat(http.read().json().path("path").asText()).isEqualTo("/expect");
        }
    }

    @Test
    void http10ClosesAfterTheResponse() throws IOException {
        try (RawHttp http = connect()) {
            http.send("GET /old HTTP/1.0\r\n\r\n");
            RawHttp.Response response = http.read();
            assertThat(response.version()).isEqualTo("HTTP/1.0");
            assertThat(response.json().path("proto").asText()).isEqualTo("HTTP/1.0");
            assertThat(http.closedByPeer()).isTrue();
        }
    }

    @Test
    void badRequests() throws IOException {
        try (RawHttp http = connect()) {
            http.send("GET / HTTP/1.1\r\n\r\n");
            assertThat(http.read().status()).isEqualTo(400);
            assertThat(http.closedByPeer()).isTrue();
        }
        try (RawHttp http = connect()) {
            http.send("GARBAGE\r\n\r\n");
            assertThat(http.read().status()).isEqualTo(400);
        }
    }

    @Test
    void webSocketEchoesTextAndBinaryFrames() throws Exception {
        LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Origin", "http://echo.test")
                .buildAsync(URI.create("ws://127.0.0.1:" + server.httpAddress().getPort() + "/ws"),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                received.add(data.toString());
                                webSocket.request(1);
                                return null;
                            }

                            @Override
                            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                                byte[] bytes = new byte[data.remaining()];
                                data.get(bytes);
                                received.add(bytes);
                                webSocket.request(1);
                                return null;
                            }
                        })
                .get(10, TimeUnit.SECONDS);
        ws.sendText("hello websocket", true).get(5, TimeUnit.SECONDS);
        assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("hello websocket");
        ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3, (byte) 255}), true).get(5, TimeUnit.SECONDS);
        assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(new byte[] {1, 2, 3, (byte) 255});
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }

    @Test
    void webSocketWithoutOriginIs403() throws Exception {
        CompletableFuture<WebSocket> attempt = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.httpAddress().getPort() + "/ws"),
                        new WebSocket.Listener() {});
        assertThatThrownBy(attempt::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                        .isEqualTo(403));
        assertThat(get("/ws").status()).isEqualTo(400);
    }

    @Test
    void h2cPriorKnowledge() throws Exception {
        try (H2Client h2 = H2Client.priorKnowledge(server.h2cAddress().orElseThrow())) {
            H2Client.Response response = h2.get("/health?delay=100ms");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("content-type")).isEqualTo("application/json");
            JsonNode json = response.json();
            assertThat(json.path("proto").asText()).isEqualTo("HTTP/2.0");
            assertThat(json.path("path").asText()).isEqualTo("/health?delay=100ms");
            assertThat(json.path("host").asText()).isEqualTo("echo.test");
            assertThat(json.path("httpPort").asText()).isEqualTo("3000");
            assertThat(fieldNames(json.path("headers"))).containsExactly("X-Echo-Set-Header");
            // several streams on the connection, concurrently
            var first = h2.request("GET", "/a?delay=300ms", "echo.test", null);
            var second = h2.request("POST", "/b", "echo.test", "body".getBytes(StandardCharsets.UTF_8));
            assertThat(second.get(5, TimeUnit.SECONDS).json().path("method").asText()).isEqualTo("POST");
            assertThat(first.isDone()).isFalse();
            assertThat(first.get(5, TimeUnit.SECONDS).json().path("path").asText()).isEqualTo("/a?delay=300ms");
            var bad = h2.get("/?delay=x");
            assertThat(bad.status()).isEqualTo(500);
            // bodies beyond the flow-control windows are consumed
            var big = h2.request("PUT", "/big", "echo.test", new byte[3 << 20]).get(10, TimeUnit.SECONDS);
            assertThat(big.json().path("method").asText()).isEqualTo("PUT");
        }
        assertThat(logLines).anyMatch(l -> l.startsWith("Echoing back request made to /health?delay=100ms to client"));
    }

    @Test
    void h2cUpgradeFromHttp11() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        URI uri = URI.create("http://127.0.0.1:" + server.h2cAddress().orElseThrow().getPort() + "/up?x=1");
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).header("X-Test", "1").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
        assertThat(json.path("proto").asText()).isEqualTo("HTTP/2.0");
        assertThat(json.path("path").asText()).isEqualTo("/up?x=1");
        assertThat(json.path("headers").path("X-Test").get(0).asText()).isEqualTo("1");
        // the next request goes over the upgraded connection
        HttpResponse<String> second = client.send(HttpRequest.newBuilder(uri.resolve("/second")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(second.body()).contains("\"path\": \"/second\"");
    }

    @Test
    void h2cListenerRejectsPlainHttp11() throws IOException {
        InetSocketAddress h2c = server.h2cAddress().orElseThrow();
        try (RawHttp http = RawHttp.connect(h2c)) {
            RawHttp.Response response = http.send(RawHttp.get("/")).read();
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.text()).isEqualTo("Expected h2c request");
            // keep-alive still works, and an Upgrade: h2c that cannot be done is echoed as HTTP/1.1
            http.send("GET /h1 HTTP/1.1\r\nHost: h\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n");
            RawHttp.Response echoed = http.read();
            assertThat(echoed.status()).isEqualTo(200);
            assertThat(echoed.json().path("proto").asText()).isEqualTo("HTTP/1.1");
        }
    }

    @Test
    void requestLogRecordsEchoedTargets() throws IOException {
        get("/mirror?id=1");
        get("/mirror?id=1");
        get("/mirror?id=2");
        get("/health");
        EchoRequestLog log = server.requestLog();
        assertThat(log.targets()).containsExactly("/mirror?id=1", "/mirror?id=1", "/mirror?id=2");
        assertThat(log.count("/mirror?id=1")).isEqualTo(2);
        assertThat(log.sawRequest("/mirror?id=2")).isTrue();
        assertThat(log.sawRequest("/mirror")).isFalse();
        log.clear();
        assertThat(log.targets()).isEmpty();
    }

    @Test
    void closeStopsListenersAndConnections() throws IOException {
        RawHttp open = connect();
        assertThat(open.send(RawHttp.get("/")).read().status()).isEqualTo(200);
        server.close();
        assertThat(open.closedByPeer()).isTrue();
        open.close();
        // NIO closes a listening socket registered with a selector only at the next select: wait for it
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThatThrownBy(() -> RawHttp.connect(server.httpAddress()).close())
                        .isInstanceOf(IOException.class));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
