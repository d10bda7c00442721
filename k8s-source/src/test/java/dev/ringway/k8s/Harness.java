package dev.ringway.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ringway.control.RingwayServer;
import dev.ringway.core.translate.TranslatorOptions;
import dev.ringway.io.DataPlaneOptions;
import dev.ringway.io.echo.EchoIdentity;
import dev.ringway.io.echo.EchoRuntime;
import dev.ringway.io.echo.HttpEchoConfig;
import dev.ringway.io.echo.HttpEchoServer;
import dev.ringway.k8s.sandbox.SandboxApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.awaitility.Awaitility.await;

/** Test support: the sandbox API server, echo backends, a gateway in Kubernetes mode, raw HTTP. */
final class Harness {
    static final ObjectMapper JSON = JsonMapper.builder().build();
    static final String CONTROLLER = TranslatorOptions.DEFAULT_CONTROLLER_NAME;

    static {
        org.awaitility.Awaitility.ignoreExceptionsByDefault();
        org.awaitility.Awaitility.setDefaultPollInterval(Duration.ofMillis(100));
    }

    private Harness() {
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static int freePort0() {
        return freePort();
    }

    /** A gateway replica and its Kubernetes source. */
    record Replica(RingwayServer server, KubernetesConfigSource source) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
        }

        dev.ringway.control.ControlPlane controlPlane() {
            return server.controlPlane();
        }

        InetSocketAddress adminAddress() {
            return server.adminAddress();
        }
    }

    /** Echo backends on 127.0.0.1, each answering with its pod name. */
    static final class Echoes implements AutoCloseable {
        final EchoRuntime runtime = EchoRuntime.nio();
        final List<HttpEchoServer> servers = new ArrayList<>();

        HttpEchoServer start(String pod, String namespace) throws IOException {
            HttpEchoServer s = HttpEchoServer.start(runtime, HttpEchoConfig.builder(EchoIdentity.of(pod, namespace))
                    .bindAddress(InetAddress.getLoopbackAddress()).httpPort(0).logSink(l -> { }).build());
            servers.add(s);
            return s;
        }

        @Override
        public void close() {
            servers.forEach(HttpEchoServer::close);
            runtime.close();
        }
    }

    static KubernetesSettings settings(SandboxApiServer api, String identity) {
        return KubernetesSettings.of(api.config(), CONTROLLER).withIdentity(identity)
                .withLeaseTiming(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(300));
    }

    /** A gateway reading {@code api}, binding Gateways without addresses on 127.0.0.1. */
    static Replica gateway(KubernetesSettings settings, TranslatorOptions.AddressPolicy addresses)
            throws IOException {
        KubernetesConfigSource source = KubernetesConfigSource.create(settings);
        RingwayServer server = RingwayServer.start(new RingwayServer.Config(List.of(),
                new TranslatorOptions(CONTROLLER, addresses), new InetSocketAddress("127.0.0.1", 0),
                DataPlaneOptions.defaults().withTransport("nio").withEventLoops(2).withDrain(Duration.ofMillis(200)),
                List.of(source)));
        await().atMost(Duration.ofSeconds(60)).until(() -> server.controlPlane().metrics().ready());
        return new Replica(server, source);
    }

    static Replica gateway(SandboxApiServer api, String identity) throws IOException {
        return gateway(settings(api, identity), new TranslatorOptions.AddressPolicy.Bind("127.0.0.1"));
    }

    /** Creates or replaces every object of a YAML text. */
    static void apply(KubernetesClient c, String yaml) {
        InputStream in = new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8));
        for (HasMetadata o : c.load(in).items()) {
            c.resource(o).createOr(NonDeletingOperation::update);
        }
    }

    static void delete(KubernetesClient c, String yaml) {
        InputStream in = new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8));
        c.load(in).delete();
    }

    static ResourceDefinitionContext gatewayApi(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup("gateway.networking.k8s.io").withVersion("v1")
                .withKind(kind).withPlural(plural).withNamespaced(!kind.equals("GatewayClass")).build();
    }

    /** The object as JSON (null when absent). */
    static JsonNode get(KubernetesClient c, String kind, String plural, String namespace, String name) {
        var op = c.genericKubernetesResources(gatewayApi(kind, plural));
        GenericKubernetesResource r = namespace == null ? op.withName(name).get() : op.inNamespace(namespace).withName(name).get();
        if (r == null) {
            return null;
        }
        try {
            return JSON.readTree(Serialization.asJson(r));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The status of condition {@code type} in {@code conditions}, or "" when missing. */
    static String condition(JsonNode conditions, String type) {
        for (JsonNode c : conditions) {
            if (type.equals(c.path("type").asText())) {
                return c.path("status").asText() + "/" + c.path("reason").asText();
            }
        }
        return "";
    }

    /** Ringway's entry of a route's status.parents (null when absent). */
    static JsonNode ourParent(JsonNode route) {
        if (route == null) {
            return null;
        }
        for (JsonNode p : route.path("status").path("parents")) {
            if (CONTROLLER.equals(p.path("controllerName").asText())) {
                return p;
            }
        }
        return null;
    }

    record Reply(int status, String body) {
        String pod() {
            try {
                return JSON.readTree(body).path("pod").asText();
            } catch (IOException e) {
                return "";
            }
        }
    }

    /** One HTTP/1.1 request on a new connection ({@code status} -1: connection failed). */
    static Reply get(int port, String host, String path) {
        return get("127.0.0.1", port, host, path);
    }

    static Reply get(String ip, int port, String host, String path) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), 2000);
            s.setSoTimeout(5000);
            String req = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
            s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
            String resp = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (resp.length() < 12) {
                return new Reply(-1, resp);
            }
            int status = Integer.parseInt(resp.substring(9, 12));
            int sep = resp.indexOf("\r\n\r\n");
            String head = resp.substring(0, sep).toLowerCase(Locale.ROOT);
            String body = resp.substring(sep + 4);
            if (head.contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            return new Reply(status, body);
        } catch (IOException | RuntimeException e) {
            return new Reply(-1, e.toString());
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

    /** A Service and one EndpointSlice per echo server (each listens on its own port of 127.0.0.1). */
    static String backend(String namespace, String service, int port, HttpEchoServer... echoes) {
        StringBuilder out = new StringBuilder("""
                apiVersion: v1
                kind: Service
                metadata: {name: %s, namespace: %s}
                spec:
                  ports: [{name: http, port: %d}]
                """.formatted(service, namespace, port));
        int i = 0;
        for (HttpEchoServer e : echoes) {
            int target = e.httpAddress().getPort();
            out.append("""
                    ---
                    apiVersion: discovery.k8s.io/v1
                    kind: EndpointSlice
                    metadata:
                      name: %s-%d
                      namespace: %s
                      labels: {kubernetes.io/service-name: %s}
                    addressType: IPv4
                    ports: [{name: http, port: %d}]
                    endpoints:
                    - addresses: ["127.0.0.1"]
                      conditions: {ready: true}
                    """.formatted(service, i++, namespace, service, target));
        }
        return out.toString();
    }
}
