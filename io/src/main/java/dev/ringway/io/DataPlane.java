package dev.ringway.io;

import dev.ringway.core.route.Snapshot;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The Netty data plane as the control plane sees it. Thread-safe; {@link #apply} may be called
 * from any thread, calls are serialised internally.
 */
public interface DataPlane extends AutoCloseable {

    /**
     * Publishes a snapshot (new requests and connections read it; in-flight ones finish on theirs)
     * and binds/unbinds listener sockets to match its bindings: an address+port that did not change
     * keeps its socket and connections. Completes when every bind has been attempted.
     */
    CompletionStage<ApplyResult> apply(Snapshot snapshot);

    /** The snapshot currently served. */
    Snapshot current();

    /** The transport in use ({@code io_uring}, {@code epoll} or {@code nio}). */
    String transport();

    /** Appends the data plane's metrics in Prometheus text exposition format (version 0.0.4). */
    void writeMetrics(StringBuilder out);

    /** Stops accepting, lets in-flight requests finish within {@code drain}, then closes everything. */
    CompletionStage<Void> shutdown(Duration drain);

    @Override
    default void close() {
        shutdown(Duration.ofSeconds(5)).toCompletableFuture().join();
    }
}
