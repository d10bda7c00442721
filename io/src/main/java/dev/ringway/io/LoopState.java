package dev.ringway.io;

import dev.ringway.core.route.BalancerState;
import io.netty.channel.EventLoop;

/**
 * Everything one event loop owns: its balancing counters, its upstream pool and its metrics. Only
 * that loop's thread touches it, so none of it needs a lock or an atomic.
 */
final class LoopState {
    final EventLoop loop;
    final BalancerState balancer;
    final UpstreamPool pool;
    final LoopMetrics metrics;
    /**
     * RequestMirror copies this loop may have in flight to one backend
     * ({@link DataPlaneOptions.Upstream#maxMirrorsInFlight}); the count is the backend's
     * {@link LoopMetrics.BackendSeries#MIRRORS_IN_FLIGHT} cell.
     */
    final int maxMirrorsInFlight;

    LoopState(EventLoop loop, Transport transport, DataPlaneOptions options, LoopMetrics metrics, long seed) {
        this.loop = loop;
        this.maxMirrorsInFlight = options.upstream().maxMirrorsInFlight();
        this.balancer = new BalancerState(64, seed);
        this.metrics = metrics;
        this.pool = new UpstreamPool(loop, transport, options, metrics);
    }
}
