package dev.ringway.control;

import dev.ringway.control.admin.AdminServer;
import dev.ringway.control.reconcile.Intake;
import dev.ringway.control.reconcile.TranslateFn;
import dev.ringway.control.source.FileSource;
import dev.ringway.control.spi.ConfigSource;
import dev.ringway.control.status.StatusView;
import dev.ringway.core.translate.Translator;
import dev.ringway.core.translate.TranslatorOptions;
import dev.ringway.io.DataPlane;
import dev.ringway.io.DataPlaneOptions;
import dev.ringway.io.NettyDataPlane;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The whole gateway in one process: the admin API, the Netty data plane and the control plane
 * watching manifest files or another {@link ConfigSource} (the Kubernetes API). What {@code ringway run} and {@code ringway demo} start, and what the
 * end-to-end tests start.
 */
public final class RingwayServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RingwayServer.class);

    /**
     * @param configPaths manifest files and directories to watch
     * @param translator  controller name and address policy
     * @param admin       admin API address (port 0: any free port)
     * @param dataPlane   transport, event loops, limits
     * @param sources     configuration sources besides files (the Kubernetes API); closed with the server
     */
    public record Config(List<Path> configPaths, TranslatorOptions translator, InetSocketAddress admin,
                         DataPlaneOptions dataPlane, List<ConfigSource> sources) {
        public Config {
            configPaths = List.copyOf(configPaths);
            sources = List.copyOf(sources);
        }

        public Config(List<Path> configPaths, TranslatorOptions translator, InetSocketAddress admin,
                      DataPlaneOptions dataPlane) {
            this(configPaths, translator, admin, dataPlane, List.of());
        }
    }

    private final AdminServer admin;
    private final DataPlane dataPlane;
    private final ControlPlane controlPlane;
    private final Duration drain;
    private final List<ConfigSource> sources;

    private RingwayServer(AdminServer admin, DataPlane dataPlane, ControlPlane controlPlane, Duration drain,
                          List<ConfigSource> sources) {
        this.admin = admin;
        this.dataPlane = dataPlane;
        this.controlPlane = controlPlane;
        this.drain = drain;
        this.sources = sources;
    }

    /** Starts everything; the admin address is bound first so a busy port fails before any listener binds. */
    public static RingwayServer start(Config config) throws IOException {
        ControlMetrics metrics = new ControlMetrics(Clock.systemUTC());
        config.sources().forEach(s -> metrics.addWriter(s::writeMetrics));
        AtomicReference<ControlPlane> cp = new AtomicReference<>();
        AtomicReference<DataPlane> dp = new AtomicReference<>();
        DataPlane lazyDataPlane = new DeferredDataPlane(dp);
        AdminServer admin = AdminServer.start(config.admin(), () -> {
            ControlPlane c = cp.get();
            return c == null ? CompletableFuture.completedFuture(StatusView.EMPTY) : c.status();
        }, metrics, lazyDataPlane);
        NettyDataPlane dataPlane;
        try {
            dataPlane = NettyDataPlane.create(config.dataPlane());
        } catch (RuntimeException e) {
            admin.close();
            config.sources().forEach(ConfigSource::close);
            throw e;
        }
        dp.set(dataPlane);
        ControlPlane controlPlane = ControlPlane.start(FileSource.Settings.of(config.configPaths()), config.sources(),
                Intake.Settings.defaults(), TranslateFn.of(Translator.create(config.translator())), dataPlane, metrics);
        cp.set(controlPlane);
        return new RingwayServer(admin, dataPlane, controlPlane, config.dataPlane().drain(), config.sources());
    }

    public InetSocketAddress adminAddress() {
        return admin.address();
    }

    public DataPlane dataPlane() {
        return dataPlane;
    }

    public ControlPlane controlPlane() {
        return controlPlane;
    }

    /** Blocks until the control plane stops (it stops only through {@link #close}). */
    public void awaitTermination() throws InterruptedException {
        try {
            controlPlane.system().getWhenTerminated().toCompletableFuture().get();
        } catch (java.util.concurrent.ExecutionException e) {
            // terminated
        }
    }

    /** Stops accepting, drains in-flight requests, stops the control plane and the admin API. */
    @Override
    public void close() {
        log.info("stopping: draining connections for up to {} s", drain.toSeconds());
        try {
            dataPlane.shutdown(drain).toCompletableFuture().get(drain.toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("data plane shutdown: {}", e.toString());
        }
        controlPlane.close();
        for (ConfigSource s : sources) {
            try {
                s.close();
            } catch (RuntimeException e) {
                log.warn("closing source {}: {}", s.name(), e.toString());
            }
        }
        admin.close();
    }

    /** The admin API starts before the data plane exists; until then it reads an empty one. */
    private record DeferredDataPlane(AtomicReference<DataPlane> ref) implements DataPlane {
        @Override
        public java.util.concurrent.CompletionStage<dev.ringway.io.ApplyResult> apply(dev.ringway.core.route.Snapshot s) {
            return ref.get().apply(s);
        }

        @Override
        public dev.ringway.core.route.Snapshot current() {
            DataPlane d = ref.get();
            return d == null ? dev.ringway.core.route.Snapshot.EMPTY : d.current();
        }

        @Override
        public String transport() {
            DataPlane d = ref.get();
            return d == null ? "none" : d.transport();
        }

        @Override
        public void writeMetrics(StringBuilder out) {
            DataPlane d = ref.get();
            if (d != null) {
                d.writeMetrics(out);
            }
        }

        @Override
        public java.util.concurrent.CompletionStage<Void> shutdown(Duration drain) {
            DataPlane d = ref.get();
            return d == null ? CompletableFuture.completedFuture(null) : d.shutdown(drain);
        }
    }
}
