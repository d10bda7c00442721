package dev.ringway.io;

import dev.ringway.core.route.BalancerState;
import io.netty.channel.EventLoop;

import java.util.HashMap;

/**
 * Everything one event loop owns: its balancing counters, its upstream pool and its metrics. Only
 * that loop's thread touches it, so none of it needs a lock or an atomic.
 */
final class LoopState {
    final EventLoop loop;
    final BalancerState balancer;
    final UpstreamPool pool;
    final LoopMetrics metrics;
    /** RequestMirror copies this loop may have in flight to one backend ({@link DataPlaneOptions.Upstream#maxMirrorsInFlight}). */
    final int maxMirrorsInFlight;
    /** Per mirror backend name: its copies started on this loop and not finished yet. Keyed by configuration, so bounded by it. */
    private final HashMap<String, MirrorsInFlight> mirrorsInFlight = new HashMap<>();

    /**
     * The in-flight count of one mirror backend on this loop. Per backend, like a cluster's circuit
     * breaker in Envoy, so that one hanging mirror does not starve the mirroring to the others.
     */
    static final class MirrorsInFlight {
        int count;
    }

    LoopState(EventLoop loop, Transport transport, DataPlaneOptions options, LoopMetrics metrics, long seed) {
        this.loop = loop;
        this.maxMirrorsInFlight = options.upstream().maxMirrorsInFlight();
        this.balancer = new BalancerState(64, seed);
        this.metrics = metrics;
        this.pool = new UpstreamPool(loop, transport, options, metrics);
    }

    MirrorsInFlight mirrorsInFlight(String backend) {
        MirrorsInFlight m = mirrorsInFlight.get(backend);
        if (m == null) {
            m = new MirrorsInFlight();
            mirrorsInFlight.put(backend, m);
        }
        return m;
    }
}
