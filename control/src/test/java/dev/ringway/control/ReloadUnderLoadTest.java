package dev.ringway.control;

import com.sun.net.httpserver.HttpServer;
import dev.ringway.core.translate.TranslatorOptions;
import dev.ringway.io.DataPlaneOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routes are added, changed and removed 50 times while a client keeps sending requests on one
 * keep-alive connection: no request fails, the gateway closes no connection, and every change is
 * served within one second of the file being written.
 */
class ReloadUnderLoadTest {
    @TempDir
    Path dir;
    HttpServer upstream;
    RingwayServer server;
    int port;

    @BeforeEach
    void start() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        upstream.createContext("/", ex -> {
            byte[] body = ex.getRequestURI().getPath().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        upstream.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        upstream.start();
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        upstream.stop(0);
    }

    String base() {
        int up = upstream.getAddress().getPort();
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
                metadata: {name: steady}
                spec:
                  parentRefs: [{name: gw}]
                  rules: [{matches: [{path: {type: PathPrefix, value: /steady}}], backendRefs: [{name: app, port: 80}]}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: app}
                spec: {ports: [{name: http, port: 80, targetPort: %d}]}
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: app-1, labels: {kubernetes.io/service-name: app}}
                addressType: IPv4
                ports: [{name: http, port: %d}]
                endpoints: [{addresses: [127.0.0.1]}]
                """.formatted(port, up, up);
    }

    static String routes(int i) {
        // route "moving" changes its path every step; "extra" is added on even steps, removed on odd ones
        String moving = """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: moving}
                spec:
                  parentRefs: [{name: gw}]
                  rules: [{matches: [{path: {type: Exact, value: /v%d}}], backendRefs: [{name: app, port: 80}]}]
                """.formatted(i);
        String extra = i % 2 == 0 ? """
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: extra-%d}
                spec:
                  parentRefs: [{name: gw}]
                  rules: [{matches: [{path: {type: Exact, value: /extra%d}}], backendRefs: [{name: app, port: 80}]}]
                """.formatted(i, i) : "";
        return moving + extra;
    }

    /** Writes a file the safe way: a temp file renamed into place. */
    void write(String name, String content) throws IOException {
        Path tmp = dir.resolve("." + name + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** One HTTP/1.1 request on a kept-alive socket; returns the status, or -1 when the server closed it. */
    static int exchange(Socket s, String path) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return -1;
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String h = head.toString(StandardCharsets.US_ASCII);
        int status = Integer.parseInt(h.substring(9, 12));
        int len = 0;
        for (String line : h.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                len = Integer.parseInt(line.substring(15).trim());
            }
        }
        if (in.readNBytes(len).length < len) {
            return -1;
        }
        return status;
    }

    static int once(int port, String path) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            return exchange(s, path);
        } catch (IOException e) {
            return -2;
        }
    }

    @Test
    void fiftyChangesUnderLoadWithoutAFailedRequestOrAClosedConnection() throws Exception {
        write("base.yaml", base());
        write("routes.yaml", routes(0));
        server = RingwayServer.start(new RingwayServer.Config(List.of(dir),
                new TranslatorOptions(TranslatorOptions.DEFAULT_CONTROLLER_NAME,
                        new TranslatorOptions.AddressPolicy.Bind("127.0.0.1")),
                new InetSocketAddress("127.0.0.1", 0),
                DataPlaneOptions.defaults().withEventLoops(1).withDrain(Duration.ofSeconds(1))));
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (once(port, "/v0") != 200) {
            assertThat(System.nanoTime()).as("gateway up").isLessThan(deadline);
            Thread.sleep(50);
        }

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong ok = new AtomicLong();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicLong closed = new AtomicLong();
        Thread client = Thread.ofPlatform().name("load").start(() -> {
            while (running.get()) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setSoTimeout(5000);
                    while (running.get()) {
                        int status = exchange(s, "/steady/x");
                        if (status == -1) {
                            closed.incrementAndGet();
                            break;
                        }
                        if (status != 200) {
                            failures.add("status " + status);
                        } else {
                            ok.incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    failures.add(e.toString());
                }
            }
        });

        List<Long> latenciesMs = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            write("routes.yaml", routes(i));
            long t0 = System.nanoTime();
            String fresh = "/v" + i;
            while (once(port, fresh) != 200) {
                assertThat((System.nanoTime() - t0) / 1_000_000).as("change %d visible", i).isLessThan(1000);
                Thread.sleep(10);
            }
            latenciesMs.add((System.nanoTime() - t0) / 1_000_000);
            assertThat(once(port, "/v" + (i - 1))).as("old path of step %d gone", i).isEqualTo(404);
            assertThat(once(port, "/extra" + i)).as("extra route of step %d", i).isEqualTo(i % 2 == 0 ? 200 : 404);
            assertThat(once(port, "/extra" + (i - 1))).as("extra route of step %d removed", i - 1).isEqualTo(404);
        }
        running.set(false);
        client.join(10_000);

        assertThat(failures).as("failed requests").isEmpty();
        assertThat(closed.get()).as("connections closed by the gateway").isZero();
        assertThat(ok.get()).isGreaterThan(100);
        assertThat(latenciesMs).allMatch(ms -> ms < 1000);
        System.out.println("reload latencies ms: " + latenciesMs + ", requests " + ok.get());
    }
}
