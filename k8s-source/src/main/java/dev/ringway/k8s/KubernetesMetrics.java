package dev.ringway.k8s;

import dev.ringway.control.ControlMetrics;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the Kubernetes source and status writer report on {@code /metrics}, lock-free. The config age is
 * how stale the configuration being served may be: 0 while every watch is connected, otherwise the
 * seconds since the source was last known to be current (a watch broke, the API server went away).
 */
public final class KubernetesMetrics {
    private final Clock clock;
    private final AtomicReference<Instant> staleSince = new AtomicReference<>();
    private final AtomicBoolean synced = new AtomicBoolean();
    private final AtomicBoolean leader = new AtomicBoolean();
    private final LongAdder restarts = new LongAdder();
    private final LongAdder objectEvents = new LongAdder();
    private final LongAdder statusWrites = new LongAdder();
    private final LongAdder statusConflicts = new LongAdder();
    private final LongAdder statusFailures = new LongAdder();
    private final LongAdder statusUnchanged = new LongAdder();
    private final LongAdder leaderTransitions = new LongAdder();

    public KubernetesMetrics(Clock clock) {
        this.clock = clock;
    }

    public Clock clock() {
        return clock;
    }

    /** The source is current: every watch connected after a full list. */
    public void current() {
        staleSince.set(null);
    }

    /** The source may be behind from now on (kept at the first moment while it stays stale). */
    public void stale() {
        staleSince.compareAndSet(null, clock.instant());
    }

    public void synced() {
        synced.set(true);
    }

    public boolean isSynced() {
        return synced.get();
    }

    public double configAgeSeconds() {
        Instant s = staleSince.get();
        return s == null ? 0 : Math.max(0, (clock.millis() - s.toEpochMilli()) / 1000.0);
    }

    public void restarted() {
        restarts.increment();
    }

    public long restarts() {
        return restarts.sum();
    }

    public void objectEvent() {
        objectEvents.increment();
    }

    public void statusWritten() {
        statusWrites.increment();
    }

    public long statusWrites() {
        return statusWrites.sum();
    }

    public void statusConflict() {
        statusConflicts.increment();
    }

    public long statusConflicts() {
        return statusConflicts.sum();
    }

    public void statusFailed() {
        statusFailures.increment();
    }

    public void statusUnchanged() {
        statusUnchanged.increment();
    }

    public long statusUnchangedCount() {
        return statusUnchanged.sum();
    }

    public void leader(boolean isLeader) {
        if (leader.getAndSet(isLeader) != isLeader) {
            leaderTransitions.increment();
        }
    }

    public boolean isLeader() {
        return leader.get();
    }

    public void writeMetrics(StringBuilder out) {
        ControlMetrics.gauge(out, "ringway_config_age_seconds",
                "Seconds since the configuration source was last known to be current (0 while every watch is connected)",
                configAgeSeconds());
        ControlMetrics.gauge(out, "ringway_kubernetes_synced", "1 once every informer has listed its objects",
                synced.get() ? 1 : 0);
        ControlMetrics.counter(out, "ringway_kubernetes_source_restarts_total",
                "Restarts of the Kubernetes source after a watch or list failure", restarts.sum());
        ControlMetrics.counter(out, "ringway_kubernetes_object_events_total",
                "Object changes received from the API server", objectEvents.sum());
        ControlMetrics.gauge(out, "ringway_kubernetes_leader", "1 while this replica holds the status-writer Lease",
                leader.get() ? 1 : 0);
        ControlMetrics.counter(out, "ringway_kubernetes_leader_transitions_total",
                "Times this replica gained or lost the status-writer Lease", leaderTransitions.sum());
        ControlMetrics.counter(out, "ringway_status_writes_total", "Status subresource writes", statusWrites.sum());
        ControlMetrics.counter(out, "ringway_status_write_conflicts_total",
                "Status writes retried after a conflict (the object changed meanwhile)", statusConflicts.sum());
        ControlMetrics.counter(out, "ringway_status_write_failures_total", "Status writes that failed",
                statusFailures.sum());
        ControlMetrics.counter(out, "ringway_status_writes_skipped_total",
                "Status writes skipped because the stored status was already right", statusUnchanged.sum());
    }
}
