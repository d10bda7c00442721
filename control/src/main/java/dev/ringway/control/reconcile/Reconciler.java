package dev.ringway.control.reconcile;

import dev.ringway.control.ControlMetrics;
import dev.ringway.control.source.ManifestBook;
import dev.ringway.control.source.SourceEvent;
import dev.ringway.control.status.StatusStore;
import dev.ringway.core.model.Resource;
import dev.ringway.core.route.Snapshot;
import dev.ringway.core.status.StatusReport;
import dev.ringway.core.translate.BindFeedback;
import dev.ringway.core.translate.Translation;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the objects of every source into a published snapshot: applies each merged {@link Delta}
 * from the {@link Intake} to the {@link ManifestBook}, translates (once every source has synced),
 * keeps the last good snapshot serving when validation fails (the errors go to the status store),
 * and hands valid translations to the {@link Publisher}. One delta at a time: it answers the intake
 * only when the publish is done, which is what backpressures the intake.
 */
public final class Reconciler {
    private Reconciler() {
    }

    public sealed interface Command {
    }

    /** Apply a merged batch of source events, translate and publish; {@code replyTo} when done. */
    public record Reconcile(Delta delta, ActorRef<Done> replyTo) implements Command {
    }

    private record PublishOutcome(Publisher.Outcome outcome) implements Command {
    }

    private record RetryPublish() implements Command {
    }

    /**
     * @param requiredSources sources that must have synced before the first translation
     * @param retryMin        first delay before publishing again after the data plane failed
     * @param retryMax        longest such delay
     */
    public record Settings(Set<String> requiredSources, Duration retryMin, Duration retryMax) {
        public Settings {
            requiredSources = Set.copyOf(requiredSources);
        }

        public static Settings of(Set<String> requiredSources) {
            return new Settings(requiredSources, Duration.ofMillis(500), Duration.ofSeconds(30));
        }
    }

    public static Behavior<Command> create(Settings settings, TranslateFn translator,
                                           ActorRef<Publisher.Command> publisher,
                                           ActorRef<StatusStore.Command> store, ControlMetrics metrics, Clock clock) {
        return Behaviors.withStash(64, stash -> Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new State(ctx, stash, timers, settings, translator, publisher, store, metrics, clock).idle())));
    }

    private static final class State {
        private final ActorContext<Command> ctx;
        private final StashBuffer<Command> stash;
        private final TimerScheduler<Command> timers;
        private final Settings settings;
        private final TranslateFn translator;
        private final ActorRef<Publisher.Command> publisher;
        private final ActorRef<StatusStore.Command> store;
        private final ControlMetrics metrics;
        private final ActorRef<Publisher.Outcome> outcomeAdapter;
        private final ManifestBook book;
        private final Map<String, Set<String>> originsBySource = new HashMap<>();
        private final Set<String> synced = new HashSet<>();
        private BindFeedback feedback = BindFeedback.NONE;
        private List<String> validationErrors = List.of();
        private List<dev.ringway.core.parse.ParseProblem> loggedConflicts = List.of();
        private Duration retryDelay;

        State(ActorContext<Command> ctx, StashBuffer<Command> stash, TimerScheduler<Command> timers, Settings settings,
              TranslateFn translator, ActorRef<Publisher.Command> publisher, ActorRef<StatusStore.Command> store,
              ControlMetrics metrics, Clock clock) {
            this.ctx = ctx;
            ctx.setLoggerName(Reconciler.class);
            this.stash = stash;
            this.timers = timers;
            this.settings = settings;
            this.translator = translator;
            this.publisher = publisher;
            this.store = store;
            this.metrics = metrics;
            this.book = new ManifestBook(clock);
            this.outcomeAdapter = ctx.messageAdapter(Publisher.Outcome.class, PublishOutcome::new);
            this.retryDelay = settings.retryMin();
        }

        Behavior<Command> idle() {
            return Behaviors.receive(Command.class)
                    .onMessage(Reconcile.class, r -> {
                        timers.cancel(RetryPublish.class);
                        apply(r.delta());
                        metrics.reconciled(r.delta().size());
                        if (!synced.containsAll(settings.requiredSources())) {
                            reportProblems();
                            reply(r.replyTo());
                            return Behaviors.same();
                        }
                        return translateAndPublish(r.replyTo());
                    })
                    .onMessage(RetryPublish.class, r -> translateAndPublish(null))
                    .onMessage(PublishOutcome.class, o -> Behaviors.same())
                    .build();
        }

        private Behavior<Command> publishing(ActorRef<Done> replyTo) {
            return Behaviors.receive(Command.class)
                    .onMessage(Reconcile.class, r -> {
                        stash.stash(r);
                        return Behaviors.same();
                    })
                    .onMessage(RetryPublish.class, r -> Behaviors.same())
                    .onMessage(PublishOutcome.class, o -> {
                        switch (o.outcome()) {
                            case Publisher.Published p -> {
                                feedback = p.feedback();
                                retryDelay = settings.retryMin();
                            }
                            case Publisher.Failed f -> {
                                ctx.getLog().warn("publishing failed ({}); trying again in {} ms", f.error(),
                                        retryDelay.toMillis());
                                timers.startSingleTimer(RetryPublish.class, new RetryPublish(), retryDelay);
                                Duration doubled = retryDelay.multipliedBy(2);
                                retryDelay = doubled.compareTo(settings.retryMax()) > 0 ? settings.retryMax() : doubled;
                            }
                        }
                        reply(replyTo);
                        return stash.unstashAll(idle());
                    })
                    .build();
        }

        private void apply(Delta delta) {
            for (SourceEvent e : delta.events()) {
                switch (e) {
                    case SourceEvent.Upsert u -> {
                        book.put(u.origin(), u.result());
                        originsBySource.computeIfAbsent(u.source(), s -> new HashSet<>()).add(u.origin());
                    }
                    case SourceEvent.Removed rm -> {
                        book.remove(rm.origin());
                        originsBySource.getOrDefault(rm.source(), new HashSet<>()).remove(rm.origin());
                    }
                    case SourceEvent.Synced s -> {
                        Set<String> known = originsBySource.computeIfAbsent(s.source(), x -> new HashSet<>());
                        for (String gone : Set.copyOf(known)) {
                            if (!s.origins().contains(gone)) {
                                book.remove(gone);
                                known.remove(gone);
                            }
                        }
                        if (synced.add(s.source())) {
                            ctx.getLog().info("source {} synced: {} files", s.source(), s.origins().size());
                        }
                    }
                }
            }
        }

        private Behavior<Command> translateAndPublish(ActorRef<Done> replyTo) {
            List<Resource> resources = book.resources();
            Translation t = translate(resources);
            if (!t.valid()) {
                if (!t.validationErrors().equals(validationErrors)) {
                    t.validationErrors().forEach(err ->
                            ctx.getLog().error("configuration rejected, the last good snapshot keeps serving: {}", err));
                }
                validationErrors = t.validationErrors();
                reportProblems();
                reply(replyTo);
                return Behaviors.same();
            }
            if (!validationErrors.isEmpty()) {
                ctx.getLog().info("configuration valid again");
            }
            validationErrors = List.of();
            reportProblems();
            publisher.tell(new Publisher.Publish(resources, t, feedback, outcomeAdapter));
            return publishing(replyTo);
        }

        private Translation translate(List<Resource> resources) {
            long t0 = System.nanoTime();
            Translation t;
            try {
                t = translator.translate(resources, feedback);
            } catch (RuntimeException e) {
                ctx.getLog().error("translation failed", e);
                t = new Translation(Snapshot.EMPTY, StatusReport.EMPTY, Map.of(),
                        List.of("translation failed: " + e));
            }
            metrics.translated((System.nanoTime() - t0) / 1e9, t.valid());
            return t;
        }

        private void reportProblems() {
            List<dev.ringway.core.parse.ParseProblem> conflicts = book.conflicts();
            if (!conflicts.equals(loggedConflicts)) {
                conflicts.stream().filter(c -> !loggedConflicts.contains(c))
                        .forEach(c -> ctx.getLog().warn("{}", c.describe()));
                loggedConflicts = conflicts;
            }
            store.tell(new StatusStore.Problems(book.problems(), validationErrors));
            metrics.configErrors(book.errorCount() + validationErrors.size());
        }

        private static void reply(ActorRef<Done> replyTo) {
            if (replyTo != null) {
                replyTo.tell(Done.getInstance());
            }
        }
    }
}
