package dev.ringway.k8s.status;

import dev.ringway.k8s.KubernetesMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Which replica writes statuses: fabric8's {@code LeaderElector} on a {@code coordination.k8s.io/v1}
 * Lease. Every replica serves traffic; only the holder of the Lease writes. When leadership is lost
 * (the Lease could not be renewed in time, e.g. the API server is unreachable) this replica stops
 * writing and campaigns again; the Lease is released on close so another replica takes over at once.
 */
public final class Leadership implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Leadership.class);

    /**
     * @param namespace     the Lease's namespace
     * @param name          the Lease's name
     * @param identity      this replica's name in the Lease
     * @param leaseDuration how long a Lease is valid without renewal
     * @param renewDeadline how long the leader keeps trying to renew before it gives up leading
     * @param retryPeriod   how often candidates try to acquire, and the leader renews
     */
    public record Settings(String namespace, String name, String identity, Duration leaseDuration,
                           Duration renewDeadline, Duration retryPeriod) {
    }

    private final KubernetesClient client;
    private final Settings settings;
    private final KubernetesMetrics metrics;
    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean leader = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile CompletableFuture<?> running;
    private volatile String currentLeader;

    public Leadership(KubernetesClient client, Settings settings, KubernetesMetrics metrics) {
        this.client = client;
        this.settings = settings;
        this.metrics = metrics;
    }

    public Settings settings() {
        return settings;
    }

    /** Starts campaigning (idempotent). */
    public synchronized void start() {
        if (running != null || closed.get()) {
            return;
        }
        campaign();
    }

    private synchronized void campaign() {
        if (closed.get()) {
            return;
        }
        var config = new LeaderElectionConfigBuilder()
                .withName("ringway-status-writer")
                .withLock(new LeaseLock(settings.namespace(), settings.name(), settings.identity()))
                .withLeaseDuration(settings.leaseDuration())
                .withRenewDeadline(settings.renewDeadline())
                .withRetryPeriod(settings.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(() -> changed(true), () -> changed(false), id -> {
                    if (!id.equals(currentLeader)) {
                        currentLeader = id;
                        log.info("status writer: the leader is now {}{}", id,
                                id.equals(settings.identity()) ? " (this replica)" : "");
                    }
                }))
                .build();
        CompletableFuture<?> f = client.leaderElector().withConfig(config).build().start();
        running = f;
        f.whenComplete((v, t) -> {
            changed(false);
            if (!closed.get()) {
                if (t != null && !(t instanceof java.util.concurrent.CancellationException)) {
                    log.warn("leader election ended: {}; campaigning again", t.toString());
                }
                CompletableFuture.runAsync(this::campaign, CompletableFuture.delayedExecutor(
                        settings.retryPeriod().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
            }
        });
    }

    private void changed(boolean isLeader) {
        if (leader.getAndSet(isLeader) != isLeader) {
            log.info("status writer: this replica ({}) {} the Lease {}/{}", settings.identity(),
                    isLeader ? "holds" : "no longer holds", settings.namespace(), settings.name());
            metrics.leader(isLeader);
            listeners.forEach(l -> l.accept(isLeader));
        }
    }

    public boolean isLeader() {
        return leader.get();
    }

    /** Called with true when this replica becomes the leader, false when it stops being it. */
    public void listen(Consumer<Boolean> listener) {
        listeners.add(listener);
    }

    public void unlisten(Consumer<Boolean> listener) {
        listeners.remove(listener);
    }

    /** Stops campaigning; a held Lease is released. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            CompletableFuture<?> f = running;
            if (f != null) {
                f.cancel(true);
            }
            changed(false);
        }
    }
}
