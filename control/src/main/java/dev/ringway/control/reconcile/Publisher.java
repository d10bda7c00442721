package dev.ringway.control.reconcile;

import dev.ringway.control.ControlMetrics;
import dev.ringway.control.status.StatusStore;
import dev.ringway.core.model.Resource;
import dev.ringway.core.route.BindAddress;
import dev.ringway.core.route.PortBinding;
import dev.ringway.core.route.Snapshot;
import dev.ringway.core.translate.BindFeedback;
import dev.ringway.core.translate.Translation;
import dev.ringway.io.ApplyResult;
import dev.ringway.io.DataPlane;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Swaps snapshots into the data plane and releases their statuses. It applies a snapshot (which
 * binds and unbinds listener sockets), and when the bind failures it gets back differ from the
 * {@link BindFeedback} the translation assumed, translates again with the real feedback so that
 * {@code Programmed} tells the truth (applying that snapshot too when its set of sockets differs);
 * only then the statuses go to the status store.
 */
public final class Publisher {
    private static final int MAX_ROUNDS = 2;

    private Publisher() {
    }

    public sealed interface Command {
    }

    /** Apply this valid translation of {@code resources}, made with {@code feedback}. */
    public record Publish(List<Resource> resources, Translation translation, BindFeedback feedback,
                          ActorRef<Outcome> replyTo) implements Command {
    }

    private record Applied(long version, ApplyResult result, Throwable failure) implements Command {
    }

    public sealed interface Outcome {
    }

    /** Published as {@code version}; {@code feedback} is the bind state to translate with next time. */
    public record Published(long version, BindFeedback feedback) implements Outcome {
    }

    /** The data plane could not apply the snapshot (infrastructure failure); nothing changed. */
    public record Failed(String error) implements Outcome {
    }

    /** How long the data plane may take to apply a snapshot before the publish counts as failed. */
    static final java.time.Duration APPLY_TIMEOUT = java.time.Duration.ofSeconds(60);

    public static Behavior<Command> create(DataPlane dataPlane, TranslateFn translator,
                                           ActorRef<StatusStore.Command> store, ControlMetrics metrics) {
        return Behaviors.withStash(64, stash -> Behaviors.setup(ctx ->
                new State(ctx, stash, dataPlane, translator, store, metrics).idle()));
    }

    private record Job(List<Resource> resources, Translation translation, BindFeedback feedback,
                       ActorRef<Outcome> replyTo, int round) {
    }

    private static final class State {
        private final ActorContext<Command> ctx;
        private final StashBuffer<Command> stash;
        private final DataPlane dataPlane;
        private final TranslateFn translator;
        private final ActorRef<StatusStore.Command> store;
        private final ControlMetrics metrics;
        private long version;
        private BindFeedback lastReported = BindFeedback.NONE;

        State(ActorContext<Command> ctx, StashBuffer<Command> stash, DataPlane dataPlane, TranslateFn translator,
              ActorRef<StatusStore.Command> store, ControlMetrics metrics) {
            this.ctx = ctx;
            ctx.setLoggerName(Publisher.class);
            this.stash = stash;
            this.dataPlane = dataPlane;
            this.translator = translator;
            this.store = store;
            this.metrics = metrics;
        }

        Behavior<Command> idle() {
            return Behaviors.receive(Command.class)
                    .onMessage(Publish.class, p -> apply(new Job(p.resources(), p.translation(), p.feedback(),
                            p.replyTo(), 0)))
                    .onMessage(Applied.class, a -> Behaviors.same()) // late reply of an abandoned job
                    .build();
        }

        private Behavior<Command> apply(Job job) {
            long v = ++version;
            Snapshot snapshot = job.translation().snapshot().withVersion(v);
            CompletionStage<ApplyResult> stage;
            try {
                stage = dataPlane.apply(snapshot);
            } catch (RuntimeException e) {
                stage = CompletableFuture.failedFuture(e);
            }
            ctx.pipeToSelf(stage.toCompletableFuture().copy().orTimeout(APPLY_TIMEOUT.toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS), (r, t) -> new Applied(v, r, t));
            return applying(job, v);
        }

        private Behavior<Command> applying(Job job, long v) {
            return Behaviors.receive(Command.class)
                    .onMessage(Publish.class, p -> {
                        stash.stash(p);
                        return Behaviors.same();
                    })
                    .onMessage(Applied.class, a -> a.version() == v ? applied(job, a) : Behaviors.same())
                    .build();
        }

        private Behavior<Command> applied(Job job, Applied a) {
            if (a.failure() != null) {
                Throwable cause = a.failure() instanceof java.util.concurrent.CompletionException ce && ce.getCause() != null
                        ? ce.getCause() : a.failure();
                ctx.getLog().error("data plane failed to apply snapshot {}: {}", a.version(), cause.toString());
                metrics.publishFailed();
                job.replyTo().tell(new Failed(String.valueOf(cause.getMessage())));
                return stash.unstashAll(idle());
            }
            ApplyResult result = a.result();
            // what the next translation must know: the real bind failures, and the addresses given out
            BindFeedback actual = job.feedback().withFailures(result.failed())
                    .withAddresses(job.translation().gatewayAddresses());
            if (!result.failed().equals(job.feedback().failures()) && job.round() < MAX_ROUNDS) {
                Translation again = translate(job.resources(), actual);
                if (again != null) {
                    Job next = new Job(job.resources(), again, actual, job.replyTo(), job.round() + 1);
                    actual = actual.withAddresses(again.gatewayAddresses());
                    if (!addresses(again.snapshot()).equals(addresses(job.translation().snapshot()))) {
                        return apply(next);
                    }
                    job = next;
                }
            }
            release(job, a.version(), result, actual);
            return stash.unstashAll(idle());
        }

        private Translation translate(List<Resource> resources, BindFeedback feedback) {
            long t0 = System.nanoTime();
            try {
                Translation t = translator.translate(resources, feedback);
                metrics.translated((System.nanoTime() - t0) / 1e9, t.valid());
                return t.valid() ? t : null;
            } catch (RuntimeException e) {
                ctx.getLog().error("translation with bind feedback failed", e);
                return null;
            }
        }

        private void release(Job job, long v, ApplyResult result, BindFeedback actual) {
            store.tell(new StatusStore.Update(job.translation().statuses()));
            metrics.published(new ControlMetrics.Published(v, metrics.clock().instant(), result.bound().size(),
                    result.failed()));
            if (!actual.failures().equals(lastReported.failures())) {
                if (actual.failures().isEmpty()) {
                    ctx.getLog().info("every listener socket is bound");
                } else {
                    actual.failures().forEach((addr, err) ->
                            ctx.getLog().warn("listener {} could not be bound: {}", addr, err));
                }
                lastReported = actual;
            }
            ctx.getLog().debug("published snapshot {} ({} sockets bound)", v, result.bound().size());
            job.replyTo().tell(new Published(v, actual));
        }
    }

    static Set<BindAddress> addresses(Snapshot s) {
        Set<BindAddress> out = new TreeSet<>();
        for (PortBinding b : s.bindings()) {
            out.add(b.address());
        }
        return out;
    }
}
