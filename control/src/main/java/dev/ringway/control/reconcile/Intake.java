package dev.ringway.control.reconcile;

import dev.ringway.control.ControlMetrics;
import dev.ringway.control.source.EventSink;
import dev.ringway.control.source.SourceEvent;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.Supervision;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The Pekko Streams pipeline through which every source event reaches the reconciler:
 *
 * <pre>
 *   Source.queue(capacity)                       bounded; offer() never blocks, says false when full
 *     .via(Debounce(Delta::of, Delta::add,       conflate: events merge into one Delta (last per origin),
 *                   quiet, maxDelay))            emitted after {@code quiet} without events, or at most
 *                                                {@code maxDelay} after its first event
 *     .mapAsync(1, reconcile)                    one reconcile at a time; the next waits for it
 * </pre>
 *
 * A slow reconcile backpressures {@code mapAsync}, and the debounce stage keeps merging into one
 * {@link Delta} whose size is bounded by the number of origins (files), whatever the number of
 * events: memory does not grow with the event rate, the queue keeps draining, and a burst of
 * thousands of changes becomes a few translations. The pipeline never fails on a reconcile error (it is logged and the next batch
 * goes on).
 */
public final class Intake implements EventSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Intake.class);

    /**
     * @param capacity queue size (events waiting for the debounce stage, which drains it continuously)
     * @param quiet    a batch is reconciled once no event came for this long...
     * @param maxDelay ...or once its first event is this old, even while events keep coming
     */
    public record Settings(int capacity, Duration quiet, Duration maxDelay) {
        public static Settings defaults() {
            return new Settings(8192, Duration.ofMillis(75), Duration.ofMillis(400));
        }
    }

    private final BoundedSourceQueue<SourceEvent> queue;
    private final CompletionStage<Done> done;
    private final ControlMetrics metrics;

    private Intake(BoundedSourceQueue<SourceEvent> queue, CompletionStage<Done> done, ControlMetrics metrics) {
        this.queue = queue;
        this.done = done;
        this.metrics = metrics;
    }

    /** Materializes the pipeline; {@code reconcile} is called with one merged delta at a time. */
    public static Intake start(ActorSystem<?> system, Settings settings, ControlMetrics metrics,
                               Function<Delta, CompletionStage<Done>> reconcile) {
        var pair = Source.<SourceEvent>queue(settings.capacity())
                .via(new Debounce<SourceEvent, Delta>(e -> new Delta().add(e), Delta::add, settings.quiet(),
                        settings.maxDelay()))
                .mapAsync(1, delta -> safely(reconcile, delta))
                .withAttributes(ActorAttributes.withSupervisionStrategy(Supervision.getResumingDecider()))
                .toMat(Sink.ignore(), Keep.both())
                .run(system);
        return new Intake(pair.first(), pair.second(), metrics);
    }

    private static CompletionStage<Done> safely(Function<Delta, CompletionStage<Done>> reconcile, Delta delta) {
        CompletionStage<Done> stage;
        try {
            stage = reconcile.apply(delta);
        } catch (Exception e) {
            log.error("reconcile of {} failed", delta, e);
            return CompletableFuture.completedFuture(Done.getInstance());
        }
        return stage.exceptionally(t -> {
            log.error("reconcile of {} failed: {}", delta, t.toString());
            return Done.getInstance();
        });
    }

    @Override
    public boolean offer(SourceEvent event) {
        QueueOfferResult r = queue.offer(event);
        if (r == QueueOfferResult.enqueued()) {
            metrics.sourceEvent();
            return true;
        }
        if (r == QueueOfferResult.dropped()) {
            metrics.sourceEventRetried();
            return false;
        }
        // closed or failed: the gateway is shutting down; nothing will read the event
        return true;
    }

    /** Events waiting in the queue (bounded by the capacity). */
    public int queued() {
        return queue.size();
    }

    public CompletionStage<Done> completion() {
        return done;
    }

    @Override
    public void close() {
        queue.complete();
    }
}
