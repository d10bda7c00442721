package dev.ringway.control.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringway.control.RingwayServer;
import dev.ringway.control.cli.DemoPlan;
import dev.ringway.control.cli.ValidateCommand;
import dev.ringway.core.model.Resource;
import dev.ringway.core.parse.ManifestParser;
import dev.ringway.core.parse.ParsedObject;
import dev.ringway.core.translate.TranslatorOptions;
import dev.ringway.io.DataPlaneOptions;
import dev.ringway.io.echo.EchoIdentity;
import dev.ringway.io.echo.EchoRuntime;
import dev.ringway.io.echo.HttpEchoConfig;
import dev.ringway.io.echo.HttpEchoServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * One example of {@code examples/} run the way a user runs it: the manifests copied to a temporary
 * directory (only the ports changed: the listener ports 8080/8443 of {@code 00-gateway.yaml} and the
 * backend port 3000 of {@code 90-backends.yaml} become free ones, so tests never collide with
 * anything else on the machine), one echo server per EndpointSlice endpoint (what
 * {@code ringway demo} starts), and the real gateway ({@link RingwayServer}, default transport)
 * watching the copy.
 */
final class ExampleGateway implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path ROOT = Path.of(System.getProperty("ringway.root", "..")).toAbsolutePath().normalize();
    static final Path EXAMPLES = ROOT.resolve("examples");

    private final Path dir;
    private final int httpPort;
    private final int httpsPort;
    private final int backendPort;
    private final EchoRuntime runtime;
    private final Map<String, HttpEchoServer> echoes;
    private final RingwayServer server;
    private final HttpClient admin = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ExampleGateway(Path dir, int httpPort, int httpsPort, int backendPort, EchoRuntime runtime,
                           Map<String, HttpEchoServer> echoes, RingwayServer server) {
        this.dir = dir;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
        this.backendPort = backendPort;
        this.runtime = runtime;
        this.echoes = echoes;
        this.server = server;
    }

    /** How to start: which example, what to change in the copy before the gateway reads it. */
    static final class Builder {
        private final String example;
        private final Path dir;
        private final Map<String, UnaryOperator<String>> edits = new LinkedHashMap<>();
        private final List<Prepare> prepares = new ArrayList<>();
        private Set<String> externalServices = Set.of();

        private Builder(String example, Path dir) {
            this.example = example;
            this.dir = dir;
        }

        /** Changes a copied file's text (e.g. shorter timeouts). */
        Builder edit(String file, UnaryOperator<String> edit) {
            edits.merge(file, edit, (a, b) -> s -> b.apply(a.apply(s)));
            return this;
        }

        /** Runs before the gateway starts, with the copy's directory (e.g. generating Secrets). */
        Builder prepare(Prepare p) {
            prepares.add(p);
            return this;
        }

        /** Services whose endpoints the test serves itself: no echo server is started for them. */
        Builder externalServices(String... services) {
            externalServices = Set.of(services);
            return this;
        }

        ExampleGateway start() throws Exception {
            return ExampleGateway.start(this);
        }
    }

    @FunctionalInterface
    interface Prepare {
        void run(Path dir) throws Exception;
    }

    /** {@code example}: a directory under {@code examples/}, e.g. {@code filters/request-mirror}. */
    static Builder of(String example, Path tempDir) {
        return new Builder(example, tempDir);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static ExampleGateway start(Builder b) throws Exception {
        Path source = EXAMPLES.resolve(b.example);
        if (!Files.isDirectory(source)) {
            throw new IllegalArgumentException("no example " + source);
        }
        int httpPort = freePort();
        int httpsPort = freePort();
        int backendPort = freePort();
        Files.createDirectories(b.dir);
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (name.equals(".gitignore") || name.equals("secrets.yaml") || name.endsWith(".key") || name.endsWith(".crt")) {
                    continue; // a user's generated files, never the test's input
                }
                String text = Files.readString(f);
                if (name.equals("00-gateway.yaml")) {
                    text = text.replace("port: 8080", "port: " + httpPort).replace("port: 8443", "port: " + httpsPort);
                } else if (name.equals("90-backends.yaml")) {
                    text = text.replace("targetPort: 3000", "targetPort: " + backendPort)
                            .replace("port: 3000", "port: " + backendPort);
                }
                UnaryOperator<String> edit = b.edits.get(name);
                if (edit != null) {
                    String edited = edit.apply(text);
                    if (edited.equals(text)) {
                        throw new IllegalStateException("the edit of " + name + " changed nothing: the example changed?");
                    }
                    text = edited;
                }
                Path out = b.dir.resolve(name);
                Files.writeString(out, text);
                out.toFile().setExecutable(Files.isExecutable(f));
            }
        }
        for (Prepare p : b.prepares) {
            p.run(b.dir);
        }

        List<Resource> resources = new ArrayList<>();
        ManifestParser parser = ManifestParser.create();
        for (Path f : ValidateCommand.manifestFiles(b.dir)) {
            parser.parse(f).objects().stream().map(ParsedObject::resource).forEach(resources::add);
        }
        EchoRuntime runtime = EchoRuntime.nio();
        Map<String, HttpEchoServer> echoes = new LinkedHashMap<>();
        RingwayServer server = null;
        try {
            for (DemoPlan.Backend be : DemoPlan.from(resources, "127.0.0.1").backends()) {
                if (b.externalServices.contains(be.service())) {
                    continue;
                }
                HttpEchoServer echo = HttpEchoServer.start(runtime, HttpEchoConfig.builder(
                                EchoIdentity.of(be.pod(), be.namespace(), be.service()))
                        .bindAddress(InetAddress.ofLiteral(be.ip()))
                        .httpPort(be.port())
                        .httpPortLabel(String.valueOf(be.port()))
                        .logSink(line -> { })
                        .build());
                echoes.put(be.service(), echo);
            }
            server = RingwayServer.start(new RingwayServer.Config(List.of(b.dir),
                    new TranslatorOptions(TranslatorOptions.DEFAULT_CONTROLLER_NAME,
                            new TranslatorOptions.AddressPolicy.Bind("127.0.0.1")),
                    new InetSocketAddress("127.0.0.1", 0),
                    DataPlaneOptions.defaults().withEventLoops(2).withDrain(Duration.ofSeconds(1))));
            ExampleGateway g = new ExampleGateway(b.dir, httpPort, httpsPort, backendPort, runtime, echoes, server);
            g.awaitReady();
            return g;
        } catch (Exception | Error e) {
            if (server != null) {
                server.close();
            }
            echoes.values().forEach(HttpEchoServer::close);
            runtime.close();
            throw e;
        }
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!server.controlPlane().metrics().ready()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the gateway did not become ready in 30 s");
            }
            Thread.sleep(20);
        }
        var published = server.controlPlane().metrics().lastPublished();
        if (published != null && !published.bindFailures().isEmpty()) {
            throw new IllegalStateException("bind failures: " + published.bindFailures());
        }
    }

    /** The copy of the example the gateway watches. */
    Path dir() {
        return dir;
    }

    /** The HTTP listener's port (8080 in the example). */
    int httpPort() {
        return httpPort;
    }

    /** The HTTPS listener's port (8443 in the example). */
    int httpsPort() {
        return httpsPort;
    }

    /** The port every backend endpoint listens on (3000 in the example). */
    int backendPort() {
        return backendPort;
    }

    /** {@code http://127.0.0.1:PORT} + path. */
    String url(String path) {
        return "http://127.0.0.1:" + httpPort + path;
    }

    /** The echo server of a Service (its one endpoint). */
    HttpEchoServer echo(String service) {
        HttpEchoServer e = echoes.get(service);
        if (e == null) {
            throw new IllegalArgumentException("no echo for " + service + "; have " + echoes.keySet());
        }
        return e;
    }

    RingwayServer server() {
        return server;
    }

    String admin(String path) {
        try {
            return admin.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminAddress().getPort() + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The admin API's {@code /status} list. */
    JsonNode status() throws IOException {
        return JSON.readTree(admin("/status"));
    }

    /**
     * Every condition of every object in {@code /status}, as {@code Kind ns/name [where] Type=Status Reason}:
     * what the guides tell users to expect.
     */
    List<String> conditions() throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode item : status().path("items")) {
            String obj = item.path("kind").asText() + " " + (item.path("metadata").has("namespace")
                    ? item.path("metadata").path("namespace").asText() + "/" : "") + item.path("metadata").path("name").asText();
            collect(obj, "", item.path("status"), out);
        }
        return out;
    }

    private static void collect(String obj, String where, JsonNode status, List<String> out) {
        for (JsonNode c : status.path("conditions")) {
            out.add(obj + where + " " + c.path("type").asText() + "=" + c.path("status").asText() + " " + c.path("reason").asText());
        }
        for (JsonNode l : status.path("listeners")) {
            collect(obj, " listener " + l.path("name").asText(), l, out);
        }
        for (JsonNode p : status.path("parents")) {
            collect(obj, " parent " + p.path("parentRef").path("name").asText()
                    + (p.path("parentRef").has("sectionName") ? "/" + p.path("parentRef").path("sectionName").asText() : ""), p, out);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            echoes.values().forEach(HttpEchoServer::close);
            runtime.close();
        }
    }
}
