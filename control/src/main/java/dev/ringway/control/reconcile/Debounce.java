package dev.ringway.control.reconcile;

import org.apache.pekko.japi.function.Function;
import org.apache.pekko.japi.function.Function2;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;

import java.time.Duration;

/**
 * Conflate with a debounce: every element is merged into one aggregate (upstream is always pulled,
 * so it is never held back), and the aggregate is emitted once no element has arrived for
 * {@code quiet}, or once it is {@code maxDelay} old even if elements keep coming, and only when
 * downstream asks. While downstream is busy the aggregate keeps growing by merging, so its size is
 * whatever {@code aggregate} bounds it to (for {@link Delta}: the number of origins).
 */
public final class Debounce<In, S> extends GraphStage<FlowShape<In, S>> {
    private final Inlet<In> in = Inlet.create("Debounce.in");
    private final Outlet<S> out = Outlet.create("Debounce.out");
    private final FlowShape<In, S> shape = FlowShape.of(in, out);
    private final Function<In, S> seed;
    private final Function2<S, In, S> aggregate;
    private final long quietNanos;
    private final long maxDelayNanos;

    public Debounce(Function<In, S> seed, Function2<S, In, S> aggregate, Duration quiet, Duration maxDelay) {
        this.seed = seed;
        this.aggregate = aggregate;
        this.quietNanos = quiet.toNanos();
        this.maxDelayNanos = Math.max(quiet.toNanos(), maxDelay.toNanos());
    }

    @Override
    public FlowShape<In, S> shape() {
        return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attrs) {
        return new TimerGraphStageLogic(shape) {
            private S agg;
            private long firstAt;
            private long lastAt;
            private boolean due;

            {
                setHandler(in, new AbstractInHandler() {
                    @Override
                    public void onPush() throws Exception {
                        In e = grab(in);
                        long now = System.nanoTime();
                        if (agg == null) {
                            agg = seed.apply(e);
                            firstAt = now;
                        } else {
                            agg = aggregate.apply(agg, e);
                        }
                        lastAt = now;
                        due = now - firstAt >= maxDelayNanos;
                        if (due) {
                            tryPush();
                        } else {
                            schedule(now);
                        }
                        pull(in);
                    }

                    @Override
                    public void onUpstreamFinish() {
                        if (agg != null) {
                            emit(out, agg);
                            agg = null;
                        }
                        completeStage();
                    }
                });
                setHandler(out, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        tryPush();
                    }
                });
            }

            @Override
            public void preStart() {
                pull(in);
            }

            private void schedule(long now) {
                long untilQuiet = lastAt + quietNanos - now;
                long untilMax = firstAt + maxDelayNanos - now;
                scheduleOnce("debounce", Duration.ofNanos(Math.max(0, Math.min(untilQuiet, untilMax))));
            }

            @Override
            public void onTimer(Object key) {
                if (agg == null) {
                    return;
                }
                long now = System.nanoTime();
                if (now - lastAt >= quietNanos || now - firstAt >= maxDelayNanos) {
                    due = true;
                    tryPush();
                } else {
                    schedule(now);
                }
            }

            private void tryPush() {
                if (due && agg != null && isAvailable(out)) {
                    push(out, agg);
                    agg = null;
                    due = false;
                }
            }
        };
    }
}
