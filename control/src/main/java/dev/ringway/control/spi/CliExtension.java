package dev.ringway.control.spi;

import java.nio.file.Path;
import java.util.List;

/**
 * What another module adds to the {@code ringway} command line, found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.ringway.control.spi.CliExtension}): the Kubernetes module provides the
 * source behind {@code run --kubernetes} and the {@code sandbox-api} command. Implementations must be
 * cheap to instantiate: the CLI loads them on every start.
 */
public interface CliExtension {

    /** Extra subcommands: picocli command objects (annotated with {@code @Command}). */
    default List<Object> subcommands() {
        return List.of();
    }

    /** True when this extension provides {@link #kubernetes}. */
    default boolean providesKubernetes() {
        return false;
    }

    /**
     * The Kubernetes source for {@code run --kubernetes}. Connecting may be slow or fail; the returned
     * source retries on its own once running. Throws {@link IllegalArgumentException} for unusable
     * options (e.g. a kubeconfig that cannot be read), with a one-line message.
     */
    default ConfigSource kubernetes(KubernetesOptions options) {
        throw new UnsupportedOperationException("no Kubernetes support in " + getClass().getName());
    }

    /**
     * Options of {@code run --kubernetes}.
     *
     * @param kubeconfig     kubeconfig file (null: {@code KUBECONFIG}, {@code ~/.kube/config}, or the
     *                       in-cluster service account when running in a Pod)
     * @param namespaces     namespaces to watch (empty: all)
     * @param controllerName the GatewayClass controllerName Ringway serves
     * @param leaseNamespace namespace of the leader-election Lease (null: the Pod's namespace, else {@code default})
     * @param identity       this replica's name in the Lease (null: {@code POD_NAME}, else host name and a random suffix)
     */
    record KubernetesOptions(Path kubeconfig, List<String> namespaces, String controllerName, String leaseNamespace,
                             String identity) {
        public KubernetesOptions {
            namespaces = List.copyOf(namespaces);
        }
    }

    /** Every extension on the class path. */
    static List<CliExtension> load() {
        return java.util.ServiceLoader.load(CliExtension.class).stream().map(java.util.ServiceLoader.Provider::get)
                .toList();
    }
}
