package dev.ringway.control.spi;

import dev.ringway.control.source.EventSink;
import dev.ringway.control.status.StatusView;
import org.apache.pekko.actor.typed.Behavior;

/**
 * A configuration source other than manifest files (the Kubernetes API: module {@code k8s-source}),
 * with what goes with it. The control plane spawns {@link #behavior} as one actor under the guardian,
 * supervised with a jittered restart backoff: a failure (API server gone, a watch that closed with an
 * error) stops and restarts it while the data plane keeps serving the last published snapshot. The
 * reconciler waits until this source has sent {@link dev.ringway.control.source.SourceEvent.Synced}
 * (under {@link #name}) before the first translation.
 *
 * <p>The control module knows nothing about Kubernetes: implementations are found at run time
 * ({@link CliExtension}) or passed in directly ({@link dev.ringway.control.RingwayServer.Config}).
 */
public interface ConfigSource extends AutoCloseable {

    /** The source name its events carry ({@link dev.ringway.control.source.SourceEvent#source()}). */
    String name();

    /**
     * The source actor; it offers its events to {@code sink}. Built with {@code Behaviors.setup}, so a
     * restart after a failure sets it up anew (and it reports everything again, then {@code Synced}).
     */
    Behavior<?> behavior(EventSink sink);

    /**
     * An actor subscribed to the status store (it receives the current view, then every change), or
     * null when this source writes no statuses anywhere.
     */
    default Behavior<StatusView> statusWriter() {
        return null;
    }

    /** Appends this source's metrics (Prometheus text) to the admin API's {@code /metrics}. */
    default void writeMetrics(StringBuilder out) {
    }

    /** Releases what the source holds (API clients, leases); called after the control plane stopped. */
    @Override
    default void close() {
    }
}
