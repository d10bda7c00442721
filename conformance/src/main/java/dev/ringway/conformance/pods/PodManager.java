package dev.ringway.conformance.pods;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringway.conformance.cluster.Cluster;
import dev.ringway.conformance.cluster.ObjectKey;
import dev.ringway.conformance.model.Json;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * Runs one echo pod per replica of every Deployment in the cluster (SCHEMA 7.1), each on its own loopback address
 * from a /16 ({@code 127.<octet>.x.y}), named {@code <deployment>-<hash>-<suffix>}. Pods of kinds the
 * {@link EchoBackends} cannot run are recorded as unavailable.
 */
public final class PodManager implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PodManager.class.getName());
    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private final EchoBackends backends;
    private final int octet;
    private final Random random = new Random();
    private int next = 1;
    private final Map<ObjectKey, Running> running = new LinkedHashMap<>();

    /** The pods of one Deployment, and the signature of the Deployment they were started from. */
    private record Running(String signature, EchoKind kind, List<EchoPod> pods, List<PodSpec> specs) {}

    public PodManager(EchoBackends backends, int secondOctet) {
        this.backends = backends;
        this.octet = secondOctet;
    }

    public EchoBackends backends() {
        return backends;
    }

    /** Starts, restarts and stops pods so that they match the Deployments in the cluster. */
    public synchronized void sync(Cluster cluster) throws Exception {
        Map<ObjectKey, JsonNode> deployments = new LinkedHashMap<>();
        for (JsonNode d : cluster.list("Deployment", null)) {
            deployments.put(ObjectKey.of(d), d);
        }
        for (var it = running.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            JsonNode d = deployments.get(e.getKey());
            if (d == null || !signature(d, cluster).equals(e.getValue().signature())) {
                e.getValue().pods().forEach(EchoPod::close);
                it.remove();
            }
        }
        for (var e : deployments.entrySet()) {
            if (running.containsKey(e.getKey())) {
                continue;
            }
            JsonNode d = e.getValue();
            List<PodSpec> specs = specs(d, cluster);
            EchoKind kind = kindOf(d);
            List<EchoPod> pods = new ArrayList<>();
            if (backends.kinds().contains(kind)) {
                try {
                    for (PodSpec s : specs) {
                        pods.add(backends.start(s));
                    }
                } catch (Exception ex) {
                    pods.forEach(EchoPod::close);
                    throw new IllegalStateException("cannot start echo pods of " + e.getKey() + ": " + ex, ex);
                }
            } else {
                LOG.fine(() -> "no echo backend of kind " + kind + " for " + e.getKey());
            }
            running.put(e.getKey(), new Running(signature(d, cluster), kind, List.copyOf(pods), specs));
        }
    }

    /** Running pods of a namespace (null = all). */
    public synchronized List<EchoPod> pods(String namespace) {
        List<EchoPod> out = new ArrayList<>();
        running.forEach((k, r) -> {
            if (namespace == null || namespace.equals(k.namespace())) {
                out.addAll(r.pods());
            }
        });
        return out;
    }

    /** Running pods of one Deployment. */
    public synchronized List<EchoPod> pods(String namespace, String deployment) {
        Running r = running.get(new ObjectKey("Deployment", namespace, deployment));
        return r == null ? List.of() : r.pods();
    }

    /** Running pods whose labels match a selector (matchLabels semantics) in a namespace. */
    public synchronized List<EchoPod> select(String namespace, Map<String, String> selector) {
        List<EchoPod> out = new ArrayList<>();
        for (EchoPod p : pods(namespace)) {
            if (p.spec().labels().entrySet().containsAll(selector.entrySet())) {
                out.add(p);
            }
        }
        return out;
    }

    /** Kinds of the Deployments of a namespace that could not be started. */
    public synchronized Set<EchoKind> unavailableKinds(String namespace) {
        Set<EchoKind> out = new java.util.TreeSet<>();
        running.forEach((k, r) -> {
            if ((namespace == null || namespace.equals(k.namespace())) && r.pods().isEmpty() && !r.specs().isEmpty()) {
                out.add(r.kind());
            }
        });
        return out;
    }

    /** Number of Deployments (with replicas) in a namespace, started or not. */
    public synchronized int deploymentCount(String namespace) {
        return (int) running.entrySet().stream()
                .filter(e -> namespace.equals(e.getKey().namespace()) && !e.getValue().specs().isEmpty()).count();
    }

    @Override
    public synchronized void close() {
        running.values().forEach(r -> r.pods().forEach(EchoPod::close));
        running.clear();
    }

    // ---------------------------------------------------------------------------------------------- derivation

    /** The echo kind of a Deployment (ECHO.md 1 and 7). */
    public static EchoKind kindOf(JsonNode deployment) {
        JsonNode c = container(deployment);
        String image = Json.text(c, "image");
        String name = Json.text(deployment, "metadata", "name");
        if ((image != null && image.contains("coredns")) || "coredns".equals(name)) {
            return EchoKind.DNS;
        }
        Map<String, String> env = literalEnv(c);
        if (!env.getOrDefault("GRPC_ECHO_SERVER", "").isEmpty()) {
            return EchoKind.GRPC;
        }
        if (!env.getOrDefault("TCP_ECHO_SERVER", "").isEmpty()) {
            return EchoKind.TCP;
        }
        if (!env.getOrDefault("UDP_ECHO_SERVER", "").isEmpty()) {
            return EchoKind.UDP;
        }
        return EchoKind.HTTP;
    }

    private static JsonNode container(JsonNode deployment) {
        JsonNode cs = deployment.path("spec").path("template").path("spec").path("containers");
        return cs.isArray() && !cs.isEmpty() ? cs.get(0) : Json.object();
    }

    private static Map<String, String> literalEnv(JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : container.path("env")) {
            if (e.has("value")) {
                env.put(e.get("name").asText(), e.get("value").asText());
            }
        }
        return env;
    }

    private String signature(JsonNode deployment, Cluster cluster) {
        StringBuilder sb = new StringBuilder(Json.write(deployment.path("spec")));
        mountedFiles(deployment, cluster).forEach((k, v) -> sb.append(k).append('=').append(HexFormat.of().formatHex(v)));
        return sha(sb.toString());
    }

    /** The pod specs of a Deployment: one per replica, each with a fresh address and name. */
    List<PodSpec> specs(JsonNode d, Cluster cluster) throws UnknownHostException {
        String ns = Json.text(d, "metadata", "namespace");
        String dep = Json.text(d, "metadata", "name");
        int replicas = d.path("spec").has("replicas") ? d.path("spec").path("replicas").asInt() : 1;
        JsonNode c = container(d);
        EchoKind kind = kindOf(d);
        Map<String, String> labels = new TreeMap<>();
        d.path("spec").path("template").path("metadata").path("labels").properties()
                .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        Map<String, byte[]> files = mountedFiles(d, cluster);
        String hash = name(sha(Json.write(d.path("spec").path("template"))), 10);
        List<PodSpec> out = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            String podName = dep + "-" + hash + "-" + randomName(5);
            InetAddress addr = allocate();
            Map<String, String> env = new LinkedHashMap<>();
            for (JsonNode e : c.path("env")) {
                String k = e.path("name").asText();
                if (e.has("value")) {
                    env.put(k, e.get("value").asText());
                } else {
                    String field = e.path("valueFrom").path("fieldRef").path("fieldPath").asText("");
                    switch (field) {
                        case "metadata.name" -> env.put(k, podName);
                        case "metadata.namespace" -> env.put(k, ns);
                        case "status.podIP" -> env.put(k, addr.getHostAddress());
                        default -> env.put(k, "");
                    }
                }
            }
            out.add(new PodSpec(ns, dep, podName, Map.copyOf(labels), kind, addr, Map.copyOf(env), files,
                    ports(kind, env, files, c)));
        }
        return out;
    }

    /** The ports a pod of a kind listens on (ECHO.md 3-7), from its env and containerPorts. */
    static List<PodSpec.Port> ports(EchoKind kind, Map<String, String> env, Map<String, byte[]> files, JsonNode c) {
        List<PodSpec.Port> ports = new ArrayList<>();
        java.util.function.BiFunction<String, Integer, Integer> p = (k, dflt) -> {
            String v = env.get(k);
            return v == null || v.isBlank() ? dflt : Integer.parseInt(v.trim());
        };
        java.util.function.Predicate<String> file = k -> env.get(k) != null && files.containsKey(env.get(k));
        switch (kind) {
            case HTTP -> {
                ports.add(new PodSpec.Port("http", p.apply("HTTP_PORT", 3000), "TCP"));
                ports.add(new PodSpec.Port("h2c", p.apply("H2C_PORT", 3001), "TCP"));
                if (file.test("TLS_SERVER_CERT") && file.test("TLS_SERVER_PRIVKEY")) {
                    ports.add(new PodSpec.Port("https", p.apply("HTTPS_PORT", 8443), "TCP"));
                }
            }
            case GRPC -> {
                ports.add(new PodSpec.Port("grpc", p.apply("HTTP_PORT", 3000), "TCP"));
                if (file.test("TLS_SERVER_CERT") && file.test("TLS_SERVER_PRIV_KEY")) {
                    ports.add(new PodSpec.Port("grpcs", p.apply("HTTPS_PORT", 8443), "TCP"));
                }
            }
            case TCP -> {
                ports.add(new PodSpec.Port("tcp", p.apply("TCP_PORT", 3000), "TCP"));
                if (file.test("TLS_SERVER_CERT") && file.test("TLS_SERVER_PRIV_KEY")) {
                    ports.add(new PodSpec.Port("tls", p.apply("TLS_PORT", 8443), "TCP"));
                }
            }
            case UDP -> ports.add(new PodSpec.Port("udp", p.apply("UDP_PORT", 8080), "UDP"));
            case DNS -> ports.add(new PodSpec.Port("dns", 53, "UDP"));
        }
        for (JsonNode cp : c.path("ports")) {
            String name = cp.has("name") ? cp.get("name").asText() : null;
            int port = cp.path("containerPort").asInt();
            String proto = cp.path("protocol").asText("TCP");
            boolean known = ports.stream().anyMatch(x -> x.port() == port && x.protocol().equals(proto));
            if (!known) {
                ports.add(new PodSpec.Port(name, port, proto));
            } else if (name != null) {
                ports.replaceAll(x -> x.port() == port && x.protocol().equals(proto) ? new PodSpec.Port(name, port, proto) : x);
            }
        }
        return List.copyOf(ports);
    }

    /** Files the first container mounts from Secret and ConfigMap volumes: absolute path to content. */
    static Map<String, byte[]> mountedFiles(JsonNode d, Cluster cluster) {
        Map<String, byte[]> files = new TreeMap<>();
        String ns = Json.text(d, "metadata", "namespace");
        JsonNode podSpec = d.path("spec").path("template").path("spec");
        Map<String, JsonNode> volumes = new LinkedHashMap<>();
        podSpec.path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
        for (JsonNode m : container(d).path("volumeMounts")) {
            JsonNode v = volumes.get(m.path("name").asText());
            if (v == null) {
                continue;
            }
            String mount = m.path("mountPath").asText();
            boolean secret = v.has("secret");
            JsonNode src = secret ? v.get("secret") : v.get("configMap");
            if (src == null) {
                continue;
            }
            String objName = secret ? src.path("secretName").asText() : src.path("name").asText();
            JsonNode obj = cluster.get(new ObjectKey(secret ? "Secret" : "ConfigMap", ns, objName));
            if (obj == null) {
                continue;
            }
            Map<String, byte[]> data = new LinkedHashMap<>();
            obj.path("data").properties().forEach(e -> data.put(e.getKey(), secret
                    ? Base64.getMimeDecoder().decode(e.getValue().asText())
                    : e.getValue().asText().getBytes(StandardCharsets.UTF_8)));
            obj.path("stringData").properties().forEach(e ->
                    data.put(e.getKey(), e.getValue().asText().getBytes(StandardCharsets.UTF_8)));
            if (src.has("items")) {
                for (JsonNode item : src.get("items")) {
                    byte[] b = data.get(item.path("key").asText());
                    if (b != null) {
                        files.put(mount + "/" + item.path("path").asText(), b);
                    }
                }
            } else {
                data.forEach((k, b) -> files.put(mount + "/" + k, b));
            }
        }
        return files;
    }

    private synchronized InetAddress allocate() throws UnknownHostException {
        int n = next++;
        int x = n / 254;
        int y = n % 254 + 1;
        if (x > 255) {
            throw new IllegalStateException("pod address range 127." + octet + ".0.0/16 exhausted");
        }
        return InetAddress.getByAddress(new byte[] {127, (byte) octet, (byte) x, (byte) y});
    }

    private String randomName(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    private static String name(String hex, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(ALPHABET.charAt(Integer.parseInt(hex.substring(i * 2, i * 2 + 2), 16) % ALPHABET.length()));
        }
        return sb.toString();
    }

    static String sha(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
