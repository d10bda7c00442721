package dev.ringway.control.cli;

import dev.ringway.control.RingwayServer;
import dev.ringway.control.spi.CliExtension;
import dev.ringway.control.spi.ConfigSource;
import dev.ringway.io.DataPlaneOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ringway run}: the gateway in standalone mode, configured by watched manifest files. */
@Command(name = "run", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Run the gateway on manifest files (watched: changes apply without restart), or on the",
                "Gateway API objects of a Kubernetes cluster (--kubernetes: statuses are written back).",
                "Statuses, readiness, metrics and the served configuration are on the admin API."})
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "PATH", arity = "1..*",
            description = "manifest files or directories (recursive; *.yaml, *.yml, *.json)")
    List<Path> config;

    @Option(names = "--kubernetes", description = "read the configuration from the Kubernetes API (kubeconfig, or the "
            + "Pod's service account in a cluster) and write statuses back; instead of --config")
    boolean kubernetes;

    @Option(names = "--kubeconfig", paramLabel = "PATH",
            description = "kubeconfig for --kubernetes (default: $KUBECONFIG, ~/.kube/config, or in-cluster)")
    Path kubeconfig;

    @Option(names = "--namespace", paramLabel = "NS", arity = "1..*",
            description = "with --kubernetes: watch only these namespaces (default: all)")
    List<String> namespaces;

    @Option(names = "--lease-namespace", paramLabel = "NS",
            description = "with --kubernetes: namespace of the leader-election Lease (default: the Pod's, else default)")
    String leaseNamespace;

    @Mixin
    Options.Translation translation = new Options.Translation();

    @Option(names = "--admin", paramLabel = "HOST:PORT", converter = Options.HostPort.class,
            defaultValue = "127.0.0.1:9901", description = "admin API address (default: ${DEFAULT-VALUE})")
    InetSocketAddress admin;

    @Option(names = "--transport", paramLabel = "auto|io_uring|epoll|nio", defaultValue = "auto",
            description = "network transport (default: ${DEFAULT-VALUE}: io_uring, else epoll, else nio)")
    String transport;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "event loops (default: one per core)")
    int threads;

    @Option(names = "--access-log", paramLabel = "FILE|-", description = "write one line per request (- = stdout)")
    String accessLog;

    @Option(names = "--max-mirrors-in-flight", paramLabel = "N",
            defaultValue = "" + DataPlaneOptions.Upstream.DEFAULT_MAX_MIRRORS_IN_FLIGHT,
            description = "RequestMirror copies each event loop keeps in flight to one mirror backend; more are "
                    + "dropped and counted in ringway_mirror_dropped_total (default: ${DEFAULT-VALUE}; 0: mirror nothing)")
    int maxMirrorsInFlight;

    @Override
    public Integer call() throws Exception {
        RingwayServer.Config cfg = serverConfig();
        if (kubernetes || kubeconfig != null || namespaces != null || leaseNamespace != null) {
            if (!kubernetes) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--kubeconfig, --namespace and --lease-namespace need --kubernetes");
            }
            if (!cfg.configPaths().isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--config and --kubernetes cannot be used together");
            }
            if (kubeconfig != null && !Files.isReadable(kubeconfig)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--kubeconfig " + kubeconfig + ": no such file or not readable");
            }
            CliExtension ext = CliExtension.load().stream().filter(CliExtension::providesKubernetes).findFirst()
                    .orElse(null);
            if (ext == null) {
                System.err.println("ringway: --kubernetes needs the k8s-source module on the class path "
                        + "(./ringway includes it)");
                return 1;
            }
            ConfigSource source;
            try {
                source = ext.kubernetes(new CliExtension.KubernetesOptions(kubeconfig,
                        namespaces == null ? List.of() : namespaces, cfg.translator().controllerName(), leaseNamespace,
                        null));
            } catch (IllegalArgumentException e) {
                System.err.println("ringway: " + e.getMessage());
                return 1;
            }
            cfg = new RingwayServer.Config(List.of(), cfg.translator(), cfg.admin(), cfg.dataPlane(), List.of(source));
        } else if (cfg.configPaths().isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give --config PATH (manifest files) or --kubernetes (the Kubernetes API)");
        }
        RingwayServer server;
        try {
            server = RingwayServer.start(cfg);
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("ringway: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "ringway-shutdown"));
        server.awaitTermination();
        return 0;
    }

    /** The options as the server's configuration, validated (a bad value is a usage error naming it). */
    RingwayServer.Config serverConfig() {
        List<Path> config = this.config == null ? List.of() : this.config;
        for (Path p : config) {
            if (!Files.exists(p)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--config " + p + ": no such file or directory");
            }
        }
        if (!List.of("auto", "io_uring", "epoll", "nio").contains(transport)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--transport " + transport + ": expected auto, io_uring, epoll or nio");
        }
        if (threads < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be 0 (one per core) or more");
        }
        if (maxMirrorsInFlight < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--max-mirrors-in-flight must be 0 or more, was " + maxMirrorsInFlight);
        }
        DataPlaneOptions defaults = DataPlaneOptions.defaults();
        DataPlaneOptions dp = defaults.withTransport(transport).withEventLoops(threads)
                .withAccessLog(accessLog)
                .withUpstream(defaults.upstream().withMaxMirrorsInFlight(maxMirrorsInFlight));
        return new RingwayServer.Config(config, translation.toTranslatorOptions(spec), admin, dp);
    }
}
