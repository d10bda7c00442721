package dev.ringway.control;

import dev.ringway.core.route.BindAddress;
import dev.ringway.core.route.PortBinding;
import dev.ringway.core.route.Snapshot;
import dev.ringway.io.ApplyResult;
import dev.ringway.io.DataPlane;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** A data plane that records the snapshots applied; binds fail for the addresses in {@link #failing}. */
public final class FakeDataPlane implements DataPlane {
    public final List<Snapshot> applied = new CopyOnWriteArrayList<>();
    public volatile Map<BindAddress, String> failing = Map.of();
    public volatile Duration delay = Duration.ZERO;
    public volatile RuntimeException failure;
    private volatile Snapshot current = Snapshot.EMPTY;

    @Override
    public CompletionStage<ApplyResult> apply(Snapshot snapshot) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw failure;
            }
            Set<BindAddress> bound = new HashSet<>();
            Map<BindAddress, String> failed = new HashMap<>();
            for (PortBinding b : snapshot.bindings()) {
                String err = failing.get(b.address());
                if (err != null) {
                    failed.put(b.address(), err);
                } else {
                    bound.add(b.address());
                }
            }
            current = snapshot;
            applied.add(snapshot);
            return new ApplyResult(snapshot.version(), bound, failed);
        });
    }

    @Override
    public Snapshot current() {
        return current;
    }

    @Override
    public String transport() {
        return "fake";
    }

    @Override
    public void writeMetrics(StringBuilder out) {
        out.append("# TYPE ringway_downstream_connections_active gauge\nringway_downstream_connections_active 0\n");
    }

    @Override
    public CompletionStage<Void> shutdown(Duration drain) {
        return CompletableFuture.completedFuture(null);
    }
}
