package dev.ringway.io;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.ThreadAwareExecutor;

/**
 * An event loop's I/O handler, timed: for every turn that handled I/O, how long the loop was busy
 * before it could wait again (handling the turn's completions, as the transport reports it, plus
 * running the tasks that followed: gathered HTTP/2 flushes, timeouts). A request that arrives
 * during a busy stretch waits for its end, so this is the queueing a request's own duration does
 * not show. Exported as {@code ringway_event_loop_busy_seconds}; like Envoy's
 * {@code dispatcher.loop_duration_us}. Cost: two clock reads per turn.
 */
final class TimedIoHandler implements IoHandler {
    /** Upper bounds in seconds: turns are microseconds when idle, milliseconds in a burst. */
    static final double[] BUCKETS = {0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
            0.025, 0.05, 0.1};
    private static final long[] BUCKET_NANOS = LoopMetrics.nanos(BUCKETS);

    private final IoHandler delegate;
    /** [0..B] bucket counts (B = +Inf), [B+1] sum in nanoseconds, [B+2] I/O events handled. */
    private final long[] cells;
    private final Context context = new Context();
    /** The previous turn's active I/O time (-1: it handled none) and when its run ended. */
    private long lastActive = -1;
    private long lastEnd;

    private TimedIoHandler(IoHandler delegate, long[] cells) {
        this.delegate = delegate;
        this.cells = cells;
    }

    static long[] newCells() {
        return new long[BUCKETS.length + 3];
    }

    /** Wraps a transport's handler factory; each loop's cells come from {@code registry}. */
    static IoHandlerFactory wrap(IoHandlerFactory factory, MetricsRegistry registry) {
        return new IoHandlerFactory() {
            @Override
            public IoHandler newHandler(ThreadAwareExecutor executor) {
                return new TimedIoHandler(factory.newHandler(executor), registry.newLoopTurns());
            }

            @Override
            public boolean isChangingThreadSupported() {
                return factory.isChangingThreadSupported();
            }
        };
    }

    @Override
    public int run(IoHandlerContext outer) {
        long start = System.nanoTime();
        if (lastActive >= 0) {
            // The previous turn's busy stretch: its completions, then the tasks run since.
            LoopMetrics.observe(cells, BUCKET_NANOS, lastActive + (start - lastEnd));
        }
        Context c = context;
        c.outer = outer;
        c.active = -1;
        int handled = delegate.run(c);
        lastEnd = System.nanoTime();
        lastActive = handled > 0 ? Math.max(0, c.active) : -1;
        if (handled > 0) {
            LoopMetrics.inc(cells, BUCKETS.length + 2, handled);
        }
        return handled;
    }

    @Override
    public void initialize() {
        delegate.initialize();
    }

    @Override
    public void prepareToDestroy() {
        delegate.prepareToDestroy();
    }

    @Override
    public void destroy() {
        delegate.destroy();
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        return delegate.register(handle);
    }

    @Override
    public void wakeup() {
        delegate.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return delegate.isCompatible(handleType);
    }

    /** Passes the loop's context through and keeps the active I/O time the transport reports. */
    private static final class Context implements IoHandlerContext {
        IoHandlerContext outer;
        long active;

        @Override
        public boolean canBlock() {
            return outer.canBlock();
        }

        @Override
        public long delayNanos(long currentTimeNanos) {
            return outer.delayNanos(currentTimeNanos);
        }

        @Override
        public long deadlineNanos() {
            return outer.deadlineNanos();
        }

        @Override
        public boolean shouldReportActiveIoTime() {
            return true;
        }

        @Override
        public void reportActiveIoTime(long activeNanos) {
            active = activeNanos;
            if (outer.shouldReportActiveIoTime()) {
                outer.reportActiveIoTime(activeNanos);
            }
        }
    }
}
