package dev.ringway.k8s;

import dev.ringway.control.spi.CliExtension;
import io.fabric8.kubernetes.client.Config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the Kubernetes mode connects and behaves.
 *
 * @param client          fabric8 client configuration (API server, credentials, timeouts)
 * @param namespaces      namespaces watched (empty: all)
 * @param controllerName  the GatewayClass controllerName Ringway serves
 * @param leaseNamespace  namespace of the leader-election Lease
 * @param leaseName       name of the Lease (derived from the controller name, so two installations
 *                        with different controller names elect separately)
 * @param identity        this replica's name in the Lease
 * @param leaseDuration   Lease validity without renewal
 * @param renewDeadline   how long the leader tries to renew before it stops leading
 * @param retryPeriod     how often candidates try to acquire and the leader renews
 * @param statusResync    how often every status is checked again
 * @param writeStatus     false: never write statuses (e.g. a read-only replica)
 */
public record KubernetesSettings(Config client, List<String> namespaces, String controllerName, String leaseNamespace,
                                 String leaseName, String identity, Duration leaseDuration, Duration renewDeadline,
                                 Duration retryPeriod, Duration statusResync, boolean writeStatus) {
    public KubernetesSettings {
        namespaces = List.copyOf(namespaces);
    }

    static final Path SERVICE_ACCOUNT_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    /** Defaults: all namespaces, Lease in {@code default}, 15 s Lease renewed every 2 s, resync every 5 min. */
    public static KubernetesSettings of(Config client, String controllerName) {
        return new KubernetesSettings(tune(client), List.of(), controllerName, "default", leaseName(controllerName),
                defaultIdentity(), Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2),
                Duration.ofMinutes(5), true);
    }

    /** From {@code run --kubernetes} options: kubeconfig given, else fabric8's auto-configuration. */
    public static KubernetesSettings from(CliExtension.KubernetesOptions o) {
        Config config;
        if (o.kubeconfig() != null) {
            String text;
            try {
                text = Files.readString(o.kubeconfig(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("--kubeconfig " + o.kubeconfig() + ": " + e.getMessage());
            }
            try {
                config = Config.fromKubeconfig(null, text, o.kubeconfig().toAbsolutePath().toString());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--kubeconfig " + o.kubeconfig() + ": " + e.getMessage());
            }
        } else {
            config = Config.autoConfigure(null);
        }
        KubernetesSettings s = of(config, o.controllerName()).withNamespaces(o.namespaces());
        String ns = o.leaseNamespace() != null ? o.leaseNamespace() : podNamespace(config);
        s = s.withLease(ns, s.leaseName());
        if (o.identity() != null) {
            s = s.withIdentity(o.identity());
        }
        return s;
    }

    /** Client settings for a controller: short reconnect loops (the source's own backoff takes over after), bounded request retries. */
    static Config tune(Config c) {
        c.setWatchReconnectInterval(500);
        c.setWatchReconnectLimit(3);
        c.setRequestRetryBackoffInterval(200);
        c.setRequestRetryBackoffLimit(2);
        if (c.getConnectionTimeout() <= 0 || c.getConnectionTimeout() > 5_000) {
            c.setConnectionTimeout(5_000);
        }
        if (c.getRequestTimeout() <= 0 || c.getRequestTimeout() > 15_000) {
            c.setRequestTimeout(15_000);
        }
        return c;
    }

    /** The Pod's namespace ({@code POD_NAMESPACE}, the service account's), else the kubeconfig context's, else default. */
    static String podNamespace(Config config) {
        String env = System.getenv("POD_NAMESPACE");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            if (Files.isReadable(SERVICE_ACCOUNT_NAMESPACE)) {
                String ns = Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim();
                if (!ns.isEmpty()) {
                    return ns;
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return config.getNamespace() != null && !config.getNamespace().isBlank() ? config.getNamespace() : "default";
    }

    /** {@code POD_NAME}, else the host name with a random suffix (two processes on one host stay distinct). */
    static String defaultIdentity() {
        String pod = System.getenv("POD_NAME");
        if (pod != null && !pod.isBlank()) {
            return pod.trim();
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "ringway";
        }
        return host + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    }

    /** A Lease name for a controller name: {@code ringway.dev/gateway-controller} → {@code ringway.dev-gateway-controller}. */
    static String leaseName(String controllerName) {
        String n = controllerName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]+", "-").replaceAll("^[-.]+|[-.]+$", "");
        if (n.isEmpty()) {
            n = "ringway";
        }
        return n.length() > 63 ? n.substring(0, 63).replaceAll("[-.]+$", "") : n;
    }

    public KubernetesSettings withNamespaces(List<String> ns) {
        return new KubernetesSettings(client, ns, controllerName, leaseNamespace, leaseName, identity, leaseDuration,
                renewDeadline, retryPeriod, statusResync, writeStatus);
    }

    public KubernetesSettings withLease(String namespace, String name) {
        return new KubernetesSettings(client, namespaces, controllerName, namespace, name, identity, leaseDuration,
                renewDeadline, retryPeriod, statusResync, writeStatus);
    }

    public KubernetesSettings withIdentity(String id) {
        return new KubernetesSettings(client, namespaces, controllerName, leaseNamespace, leaseName, id, leaseDuration,
                renewDeadline, retryPeriod, statusResync, writeStatus);
    }

    /** Lease timing (tests use short ones). */
    public KubernetesSettings withLeaseTiming(Duration duration, Duration renew, Duration retry) {
        return new KubernetesSettings(client, namespaces, controllerName, leaseNamespace, leaseName, identity, duration,
                renew, retry, statusResync, writeStatus);
    }

    public KubernetesSettings withWriteStatus(boolean write) {
        return new KubernetesSettings(client, namespaces, controllerName, leaseNamespace, leaseName, identity,
                leaseDuration, renewDeadline, retryPeriod, statusResync, write);
    }
}
