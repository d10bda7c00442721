package dev.ringway.conformance.pods;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * One Pod of a Deployment, as the runner runs it: identity, labels, the echo kind, its own loopback address, the
 * container environment (downward-API fields resolved), the files its volumes mount (path to content) and its
 * listening ports.
 */
public record PodSpec(
        String namespace,
        String deployment,
        String name,
        Map<String, String> labels,
        EchoKind kind,
        InetAddress address,
        Map<String, String> env,
        Map<String, byte[]> files,
        List<Port> ports) {

    /** A listening port; name may be null. protocol TCP or UDP. */
    public record Port(String name, int port, String protocol) {}

    public String env(String key) {
        String v = env.get(key);
        return v == null ? "" : v;
    }

    /** The content of the file an env variable names (e.g. TLS_SERVER_CERT), or null. */
    public byte[] fileFromEnv(String key) {
        String path = env.get(key);
        return path == null || path.isEmpty() ? null : files.get(path);
    }

    public int port(String envKey, int dflt) {
        String v = env.get(envKey);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        return Integer.parseInt(v.trim());
    }

    @Override
    public String toString() {
        return namespace + "/" + name + " (" + kind + " at " + address.getHostAddress() + ")";
    }
}
