package dev.ringway.control;

import dev.ringway.control.reconcile.Intake;
import dev.ringway.control.reconcile.TranslateFn;
import dev.ringway.control.source.FileSource;
import dev.ringway.control.spi.ConfigSource;
import dev.ringway.control.status.StatusView;
import dev.ringway.io.DataPlane;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A running control plane: the actor system around {@link Guardian}, with what the admin API
 * reads (statuses through the status store, metrics and readiness, the data plane).
 */
public final class ControlPlane implements AutoCloseable {
    private final ActorSystem<Guardian.Command> system;
    private final ControlMetrics metrics;
    private final DataPlane dataPlane;

    private ControlPlane(ActorSystem<Guardian.Command> system, ControlMetrics metrics, DataPlane dataPlane) {
        this.system = system;
        this.metrics = metrics;
        this.dataPlane = dataPlane;
    }

    public static ControlPlane start(FileSource.Settings files, Intake.Settings intake, TranslateFn translator,
                                     DataPlane dataPlane, Clock clock) {
        return start(files, intake, translator, dataPlane, new ControlMetrics(clock));
    }

    public static ControlPlane start(FileSource.Settings files, Intake.Settings intake, TranslateFn translator,
                                     DataPlane dataPlane, ControlMetrics metrics) {
        return start(files, List.of(), intake, translator, dataPlane, metrics);
    }

    /** With configuration sources besides files ({@code sources}: e.g. the Kubernetes API). */
    public static ControlPlane start(FileSource.Settings files, List<ConfigSource> sources, Intake.Settings intake,
                                     TranslateFn translator, DataPlane dataPlane, ControlMetrics metrics) {
        Clock clock = metrics.clock();
        Guardian.Settings settings = new Guardian.Settings(files, intake, Duration.ofMinutes(2), clock, sources);
        ActorSystem<Guardian.Command> system = ActorSystem.create(
                Guardian.create(settings, translator, dataPlane, metrics), "ringway", PekkoConfig.config());
        return new ControlPlane(system, metrics, dataPlane);
    }

    public CompletionStage<StatusView> status() {
        return AskPattern.ask(system, Guardian.GetStatus::new, Duration.ofSeconds(5), system.scheduler());
    }

    public ControlMetrics metrics() {
        return metrics;
    }

    public DataPlane dataPlane() {
        return dataPlane;
    }

    public ActorSystem<Guardian.Command> system() {
        return system;
    }

    /** Stops the actors (the data plane is the caller's to shut down). */
    @Override
    public void close() {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // best effort
        }
    }
}
