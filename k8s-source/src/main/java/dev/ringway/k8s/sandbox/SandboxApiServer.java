package dev.ringway.k8s.sandbox;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A local stand-in for a Kubernetes API server, for tests and for trying Ringway's Kubernetes mode
 * without a cluster: fabric8's mock server in CRUD mode (objects are kept in memory; create, get,
 * list, watch, update, patch and delete behave; {@code metadata.generation} and {@code resourceVersion}
 * are maintained), with CustomResourceDefinitions for the Gateway API kinds registered at start so that
 * their {@code status} subresource behaves as on a real server (writes to the object ignore
 * {@code status}; writes to {@code /status} change only the status), and the discovery documents and
 * server-side Table printing the real {@code kubectl} needs.
 *
 * <p>It is not a cluster: no authentication or authorization, no admission, no schema validation or
 * defaulting, no controllers (no Pods, no EndpointSlices are generated: list them yourself), one
 * served version per kind ({@code v1}), strategic merge patches applied as JSON merge patches, and
 * watches replay the current objects instead of resuming from a resourceVersion.
 *
 * <p>{@link #stop} and {@link #restart} take the server off the network and bring it back on the same
 * port with the same objects (tests of the API server going away): clients connect through a
 * {@link FrontDoor} that is closed and opened again, while the mock itself runs on.
 */
public final class SandboxApiServer implements AutoCloseable {
    /** The mock logs every request at INFO through java.util.logging; a strong reference keeps the level. */
    private static final java.util.logging.Logger MOCK_LOG = quiet("io.fabric8.mockwebserver");

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
        l.setLevel(java.util.logging.Level.WARNING);
        return l;
    }

    private final SandboxDispatcher dispatcher;
    private final InetAddress address;
    private final int port;
    /** Listens on a private loopback port for the sandbox's whole life. */
    private final KubernetesMockServer server;
    /** Where clients connect; null while stopped. */
    private FrontDoor door;

    private SandboxApiServer(SandboxDispatcher dispatcher, InetAddress address, KubernetesMockServer server, FrontDoor door) {
        this.dispatcher = dispatcher;
        this.address = address;
        this.port = door.port();
        this.server = server;
        this.door = door;
    }

    /** Starts listening on {@code listen} (port 0: any free port) and registers the Gateway API CRDs. */
    public static SandboxApiServer start(InetSocketAddress listen) {
        SandboxDispatcher d = new SandboxDispatcher(new KubernetesCrudDispatcher(List.of()), Clock.systemUTC());
        KubernetesMockServer s = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(),
                new HashMap<>(), d, false);
        s.init(InetAddress.getLoopbackAddress(), 0);
        SandboxApiServer api;
        try {
            api = new SandboxApiServer(d, listen.getAddress(), s, openDoor(listen, s, line -> false));
        } catch (UncheckedIOException e) {
            s.destroy();
            throw e;
        }
        d.serverAddress(api.hostPort());
        try (KubernetesClient c = api.client()) {
            for (CustomResourceDefinition crd : GatewayApiCrds.all()) {
                c.apiextensions().v1().customResourceDefinitions().resource(crd).create();
            }
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
        return api;
    }

    /** The relay in front of the mock (after {@link #stop} the port is free again at once). */
    private static FrontDoor openDoor(InetSocketAddress listen, KubernetesMockServer mock, Predicate<String> blackHole) {
        try {
            return FrontDoor.open(listen, new InetSocketAddress(InetAddress.getLoopbackAddress(), mock.getPort()), blackHole);
        } catch (IOException e) {
            throw new UncheckedIOException("sandbox API server: cannot listen on " + listen + ": " + e.getMessage(), e);
        }
    }

    public static SandboxApiServer start() {
        return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    public int port() {
        return port;
    }

    public String hostPort() {
        String host = address.getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** {@code http://HOST:PORT}. */
    public String url() {
        return "http://" + hostPort();
    }

    /** A client of this server (the caller closes it). */
    public KubernetesClient client() {
        return new KubernetesClientBuilder().withConfig(config()).build();
    }

    /** Client configuration for this server, ignoring any kubeconfig or service account of the machine. */
    public Config config() {
        return new ConfigBuilder(Config.empty()).withMasterUrl(url()).withNamespace("default")
                .withTrustCerts(true).withRequestTimeout(10_000).withConnectionTimeout(2_000).build();
    }

    /** A kubeconfig pointing at this server (context {@code ringway-sandbox}, namespace {@code default}). */
    public String kubeconfig() {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: ringway-sandbox
                  cluster:
                    server: %s
                users:
                - name: ringway-sandbox
                  user: {}
                contexts:
                - name: ringway-sandbox
                  context:
                    cluster: ringway-sandbox
                    user: ringway-sandbox
                    namespace: default
                current-context: ringway-sandbox
                """.formatted(url());
    }

    public void writeKubeconfig(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, kubeconfig(), StandardCharsets.UTF_8);
    }

    /** Requests to any {@code .../status} path with this method ({@code PUT} or {@code PATCH}): status writes. */
    public long statusWrites() {
        return dispatcher.count("PATCH status") + dispatcher.count("PUT status");
    }

    /** Requests seen with {@code method} to paths other than status subresources. */
    public long requests(String method) {
        return dispatcher.count(method + " other");
    }

    /**
     * Answers matching requests with the response {@code fault} returns instead of serving them (null
     * from the function: served normally); null removes the fault.
     */
    public void fault(Function<RecordedRequest, MockResponse> fault) {
        dispatcher.fault(fault);
    }

    /** Stops listening; objects are kept. Open connections (watches too) are cut. */
    public synchronized void stop() {
        if (door != null) {
            door.close();
            door = null;
        }
    }

    /** Listens again on the same address and port, with the same objects. */
    public synchronized void restart() {
        restart(line -> false);
    }

    /**
     * Listens again; connections whose first request line (e.g. {@code GET /apis/...?watch=true HTTP/1.1})
     * {@code blackHole} matches are accepted and never answered, like on a stalled server (for tests).
     */
    public synchronized void restart(Predicate<String> blackHole) {
        if (door == null) {
            door = openDoor(new InetSocketAddress(address, port), server, blackHole);
        }
    }

    public synchronized boolean running() {
        return door != null;
    }

    /** Stops listening and shuts the mock server down. */
    @Override
    public synchronized void close() {
        stop();
        try {
            server.destroy();
        } catch (RuntimeException e) {
            // Vert.x did not confirm the close in time (a busy machine): the server is closing regardless
            MOCK_LOG.warning("sandbox API server: " + e.getMessage());
        }
    }
}
