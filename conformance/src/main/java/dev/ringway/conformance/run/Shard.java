package dev.ringway.conformance.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringway.conformance.cluster.Cluster;
import dev.ringway.conformance.cluster.DirectoryObjectStore;
import dev.ringway.conformance.cluster.ManifestPreparer;
import dev.ringway.conformance.model.Json;
import dev.ringway.conformance.pods.EchoBackends;
import dev.ringway.conformance.pods.EndpointSlices;
import dev.ringway.conformance.pods.PodManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One isolated environment that runs cases one after another: its own config directory (object store), cluster,
 * echo pods, gateway process (or a gateway reached through its admin URI) and address ranges. Base Gateways are
 * shared by the cases of a shard, so shards run in parallel and cases within a shard serially.
 */
public final class Shard implements AutoCloseable {
    /** Address plan: the gateway's pool, the pods' /16, and the static addresses of 7.3. */
    public record Addresses(String pool, int podOctet, String usable, String unusable) {
        public static Addresses forShard(int i) {
            return new Addresses("127.10." + i + ".0/24", 100 + i, "127.200." + i + ".1", unusableAddress(i));
        }

        /**
         * An address the gateway cannot bind: from the documentation ranges (RFC 5737), skipping any
         * that this machine actually has on an interface (sandboxes do use 192.0.2.x).
         */
        static String unusableAddress(int shard) {
            java.util.Set<String> local = new java.util.HashSet<>();
            try {
                for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
                    nic.getInterfaceAddresses().forEach(a -> local.add(a.getAddress().getHostAddress()));
                }
            } catch (java.net.SocketException e) {
                // no interface list: fall through with what we have
            }
            for (String net : List.of("203.0.113.", "198.51.100.", "192.0.2.")) {
                for (int host = 10 + shard; host < 250; host += 16) {
                    String ip = net + host;
                    if (!local.contains(ip)) {
                        return ip;
                    }
                }
            }
            throw new IllegalStateException("no unusable documentation address found");
        }

        public Map<String, String> inputs() {
            return Map.of("USABLE_ADDRESS", usable, "USABLE_ADDRESS_TYPE", "IPAddress",
                    "UNUSABLE_ADDRESS", unusable, "UNUSABLE_ADDRESS_TYPE", "IPAddress");
        }
    }

    private final int index;
    private final Settings settings;
    private final Path gatewayApi;
    private final Path dir;
    private final DirectoryObjectStore store;
    /** Kubernetes mode: the shard's own API server (objects go there, statuses are read from there). */
    private final dev.ringway.k8s.sandbox.SandboxApiServer api;
    private final io.fabric8.kubernetes.client.KubernetesClient apiClient;
    private final Cluster cluster;
    private final PodManager pods;
    private final ManifestPreparer preparer;
    private final Addresses addresses;
    private AdminClient admin;
    private GatewayProcess process;

    private Shard(int index, Settings settings, Path gatewayApi, Path dir, EchoBackends backends, Addresses addresses) {
        this.index = index;
        this.settings = settings;
        this.gatewayApi = gatewayApi;
        this.dir = dir;
        this.addresses = addresses;
        this.store = new DirectoryObjectStore(dir.resolve("config"));
        if (kubernetesMode()) {
            this.api = dev.ringway.k8s.sandbox.SandboxApiServer.start();
            this.apiClient = api.client();
            this.cluster = new Cluster(new dev.ringway.conformance.cluster.KubernetesObjectStore(apiClient));
        } else {
            this.api = null;
            this.apiClient = null;
            this.cluster = new Cluster(store);
        }
        this.pods = new PodManager(backends, addresses.podOctet());
        this.preparer = new ManifestPreparer(settings.controllerName(), settings.gatewayClassName(),
                List.of(new ManifestPreparer.Address("IPAddress", addresses.usable())),
                List.of(new ManifestPreparer.Address("IPAddress", addresses.unusable())));
    }

    /**
     * Creates a shard and writes its base objects: the GatewayClass under test, the generated certificates and
     * {@code base/manifests.yaml}; starts the base echo pods and their EndpointSlices.
     */
    public static Shard create(int index, Settings settings, Path gatewayApi, Path workDir, EchoBackends backends,
                               Addresses addresses, List<JsonNode> certificates) throws Exception {
        Path dir = workDir.resolve("shard-" + index);
        if (Files.exists(dir)) {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        Shard shard = new Shard(index, settings, gatewayApi, dir, backends, addresses);
        try {
            shard.cluster.put(shard.gatewayClass());
            for (JsonNode c : certificates) {
                shard.cluster.put(c);
            }
            for (JsonNode o : shard.preparer.load(gatewayApi.resolve("base/manifests.yaml"))) {
                shard.cluster.put(o);
            }
            shard.reconcile();
        } catch (Exception e) {
            shard.close();
            throw e;
        }
        return shard;
    }

    private JsonNode gatewayClass() {
        ObjectNode gc = Json.object();
        gc.put("apiVersion", "gateway.networking.k8s.io/v1");
        gc.put("kind", "GatewayClass");
        gc.putObject("metadata").put("name", settings.gatewayClassName());
        gc.putObject("spec").put("controllerName", settings.controllerName());
        return gc;
    }

    /**
     * How the gateway reads its objects: files ({@code run --config}, the default) or the Kubernetes API
     * ({@code -Dringway.conformance.source=kubernetes}: each shard gets a sandbox API server, the gateway
     * runs {@code run --kubernetes}, and statuses are read from the API server as Ringway wrote them).
     */
    public static boolean kubernetesMode() {
        return "kubernetes".equals(System.getProperty("ringway.conformance.source", "files"));
    }

    /** Starts {@code ringway run} on this shard's config directory (or API server, in Kubernetes mode). */
    public void startGateway() throws IOException {
        int port = freePort();
        AdminClient a = new AdminClient(URI.create("http://127.0.0.1:" + port));
        List<String> source = List.of("--config", store.dir().toString());
        if (api != null) {
            Path kubeconfig = dir.resolve("kubeconfig");
            api.writeKubeconfig(kubeconfig);
            source = List.of("--kubernetes", "--kubeconfig", kubeconfig.toString());
            a.statusFrom(new KubernetesStatusReader(apiClient));
        }
        List<String> cmd = GatewayProcess.command(source, port, addresses.pool(), settings.controllerName());
        process = GatewayProcess.start(cmd, dir.resolve("gateway.log"), a, settings.gatewayStartTimeout());
        admin = a;
    }

    /** Uses a gateway that is already running (tests of the runner use a fake). */
    public void attach(AdminClient a) {
        this.admin = a;
    }

    /** Brings pods and managed EndpointSlices in line with the objects. */
    public synchronized void reconcile() throws Exception {
        pods.sync(cluster);
        EndpointSlices.sync(cluster, pods);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public int index() {
        return index;
    }

    public Settings settings() {
        return settings;
    }

    public Path gatewayApi() {
        return gatewayApi;
    }

    public Path dir() {
        return dir;
    }

    public DirectoryObjectStore store() {
        return store;
    }

    public Cluster cluster() {
        return cluster;
    }

    public PodManager pods() {
        return pods;
    }

    public ManifestPreparer preparer() {
        return preparer;
    }

    public Addresses addresses() {
        return addresses;
    }

    public AdminClient admin() {
        return admin;
    }

    public GatewayProcess process() {
        return process;
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
        pods.close();
        if (apiClient != null) {
            apiClient.close();
        }
        if (api != null) {
            api.close();
        }
    }
}
