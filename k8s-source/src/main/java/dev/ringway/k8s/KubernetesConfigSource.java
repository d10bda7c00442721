package dev.ringway.k8s;

import dev.ringway.control.source.EventSink;
import dev.ringway.control.spi.ConfigSource;
import dev.ringway.control.status.StatusView;
import dev.ringway.k8s.source.KubernetesSource;
import dev.ringway.k8s.status.Leadership;
import dev.ringway.k8s.status.StatusWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.apache.pekko.actor.typed.Behavior;

import java.time.Clock;

/**
 * Ringway's Kubernetes mode as a {@link ConfigSource}: one fabric8 client shared by the source actor
 * ({@link KubernetesSource}: informers → source events) and the status writer ({@link StatusWriter},
 * writing only while this replica holds the Lease of {@link Leadership}).
 */
public final class KubernetesConfigSource implements ConfigSource {
    private final KubernetesSettings settings;
    private final KubernetesClient client;
    private final KubernetesMetrics metrics;
    private final KubernetesSource.Book book = new KubernetesSource.Book();
    private final Leadership leadership;

    private KubernetesConfigSource(KubernetesSettings settings, KubernetesClient client, KubernetesMetrics metrics) {
        this.settings = settings;
        this.client = client;
        this.metrics = metrics;
        this.leadership = new Leadership(client, new Leadership.Settings(settings.leaseNamespace(), settings.leaseName(),
                settings.identity(), settings.leaseDuration(), settings.renewDeadline(), settings.retryPeriod()), metrics);
    }

    /** Creates the client (no request is made yet: connecting happens in the source, with retries). */
    public static KubernetesConfigSource create(KubernetesSettings settings) {
        KubernetesClient client = new KubernetesClientBuilder().withConfig(settings.client()).build();
        return new KubernetesConfigSource(settings, client, new KubernetesMetrics(Clock.systemUTC()));
    }

    @Override
    public String name() {
        return KubernetesSource.SOURCE;
    }

    @Override
    public Behavior<?> behavior(EventSink sink) {
        return KubernetesSource.create(client, KubernetesSource.Settings.of(settings.namespaces()), sink, metrics, book);
    }

    @Override
    public Behavior<StatusView> statusWriter() {
        if (!settings.writeStatus()) {
            return null;
        }
        StatusWriter.Settings ws = new StatusWriter.Settings(settings.controllerName(), settings.statusResync(),
                java.time.Duration.ofMillis(500), java.time.Duration.ofSeconds(30));
        return StatusWriter.create(client, ws, leadership, metrics);
    }

    @Override
    public void writeMetrics(StringBuilder out) {
        metrics.writeMetrics(out);
    }

    /** The origins ({@code Kind/namespace/name}) of every object reported and not removed. */
    public java.util.Set<String> origins() {
        return book.origins();
    }

    public KubernetesMetrics metrics() {
        return metrics;
    }

    public Leadership leadership() {
        return leadership;
    }

    public KubernetesSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        leadership.close();
        client.close();
    }
}
