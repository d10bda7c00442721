package dev.ringway.control;

import dev.ringway.control.reconcile.Intake;
import dev.ringway.control.reconcile.TranslateFn;
import dev.ringway.control.reconcile.Publisher;
import dev.ringway.control.reconcile.Reconciler;
import dev.ringway.control.source.FileSource;
import dev.ringway.control.spi.ConfigSource;
import dev.ringway.control.status.StatusStore;
import dev.ringway.control.status.StatusView;
import dev.ringway.core.parse.ManifestParser;
import dev.ringway.io.DataPlane;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The top of the actor tree; wires the control plane and supervises it:
 *
 * <pre>
 * ringway (Guardian)
 *  ├─ status-store   StatusStore   holds statuses and problems              (resume on failure)
 *  ├─ publisher      Publisher     applies snapshots to the data plane      (resume: keeps its version)
 *  ├─ reconciler     Reconciler    book of objects → translate → publish    (resume: keeps its book)
 *  ├─ file-source    FileSource    watches --config paths                   (restart with backoff)
 *  ├─ NAME-source    ConfigSource  another source, e.g. the Kubernetes API  (restart with jittered backoff)
 *  └─ NAME-status-writer           subscribed to the status store           (restart with jittered backoff)
 *
 * file-source ──SourceEvent──▶ Intake (Pekko Streams: queue → groupedWithin → conflate → mapAsync(1))
 *             ──Reconcile──▶ reconciler ──Publish──▶ publisher ──apply──▶ DataPlane
 *                                                          └──Update──▶ status-store ◀──Get── admin API
 * </pre>
 * A source that fails (its watch service broke) restarts with backoff and re-reports every file;
 * the data plane keeps serving the last published snapshot meanwhile.
 */
public final class Guardian {
    private Guardian() {
    }

    public sealed interface Command {
    }

    /** Asks the status store for the current view. */
    public record GetStatus(ActorRef<StatusView> replyTo) implements Command {
    }

    /** Subscribes to every status change (for a future status writer). */
    public record SubscribeStatus(ActorRef<StatusView> subscriber) implements Command {
    }

    /**
     * @param sources configuration sources besides files (e.g. the Kubernetes API); each must sync before the
     *                first translation
     */
    public record Settings(FileSource.Settings files, Intake.Settings intake, Duration reconcileTimeout, Clock clock,
                           List<ConfigSource> sources) {
        public Settings {
            sources = List.copyOf(sources);
        }

        public Settings(FileSource.Settings files, Intake.Settings intake, Duration reconcileTimeout, Clock clock) {
            this(files, intake, reconcileTimeout, clock, List.of());
        }
    }

    /** How a failed source is restarted: jittered exponential backoff from 0.5 s to 30 s. */
    static final SupervisorStrategy SOURCE_RESTART = SupervisorStrategy.restartWithBackoff(Duration.ofMillis(500),
            Duration.ofSeconds(30), 0.2);

    private static <T> void spawnSource(org.apache.pekko.actor.typed.javadsl.ActorContext<?> ctx, Behavior<T> behavior,
                                        String name) {
        ctx.spawn(Behaviors.supervise(behavior).onFailure(SOURCE_RESTART), name + "-source",
                DispatcherSelector.blocking());
    }

    public static Behavior<Command> create(Settings settings, TranslateFn translator, DataPlane dataPlane,
                                           ControlMetrics metrics) {
        return Behaviors.setup(ctx -> {
            DispatcherSelector control = DispatcherSelector.fromConfig(PekkoConfig.CONTROL_DISPATCHER);
            ActorRef<StatusStore.Command> store = ctx.spawn(
                    Behaviors.supervise(StatusStore.create(settings.clock())).onFailure(SupervisorStrategy.resume()),
                    "status-store");
            ActorRef<Publisher.Command> publisher = ctx.spawn(
                    Behaviors.supervise(Publisher.create(dataPlane, translator, store, metrics))
                            .onFailure(SupervisorStrategy.resume()),
                    "publisher", control);
            boolean files = !settings.files().roots().isEmpty();
            Set<String> required = new HashSet<>();
            if (files) {
                required.add(FileSource.SOURCE);
            }
            settings.sources().forEach(s -> required.add(s.name()));
            ActorRef<Reconciler.Command> reconciler = ctx.spawn(
                    Behaviors.supervise(Reconciler.create(
                                    Reconciler.Settings.of(required),
                                    translator, publisher, store, metrics, settings.clock()))
                            .onFailure(SupervisorStrategy.resume()),
                    "reconciler", control);
            Intake intake = Intake.start(ctx.getSystem(), settings.intake(), metrics, delta ->
                    AskPattern.<Reconciler.Command, Done>ask(reconciler, replyTo -> new Reconciler.Reconcile(delta, replyTo),
                            settings.reconcileTimeout(), ctx.getSystem().scheduler()));
            if (files) {
                ctx.spawn(Behaviors.supervise(FileSource.create(settings.files(), intake, ManifestParser.create()))
                                .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200),
                                        Duration.ofSeconds(10), 0.2)),
                        "file-source", DispatcherSelector.blocking());
            }
            for (ConfigSource source : settings.sources()) {
                spawnSource(ctx, source.behavior(intake), source.name());
                Behavior<StatusView> writer = source.statusWriter();
                if (writer != null) {
                    ActorRef<StatusView> w = ctx.spawn(Behaviors.supervise(writer).onFailure(SOURCE_RESTART),
                            source.name() + "-status-writer");
                    store.tell(new StatusStore.Subscribe(w));
                }
            }
            if (required.isEmpty()) {
                // no source: publish the (empty) configuration once so the gateway becomes ready
                intake.offer(new dev.ringway.control.source.SourceEvent.Synced("none", Set.of()));
            }
            return Behaviors.receive(Command.class)
                    .onMessage(GetStatus.class, g -> {
                        store.tell(new StatusStore.Get(g.replyTo()));
                        return Behaviors.same();
                    })
                    .onMessage(SubscribeStatus.class, s -> {
                        store.tell(new StatusStore.Subscribe(s.subscriber()));
                        return Behaviors.same();
                    })
                    .onSignal(PostStop.class, s -> {
                        intake.close();
                        return Behaviors.same();
                    })
                    .build();
        });
    }
}
