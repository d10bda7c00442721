package dev.ringway.control;

import dev.ringway.core.route.BindAddress;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Control-plane counters and the readiness state, written by the actors and read by the admin API.
 * Lock-free; every method is safe from any thread.
 */
public final class ControlMetrics {
    private static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    /** What the last publish did; {@code publishedAt} null until the first one. */
    public record Published(long version, Instant publishedAt, int bound, Map<BindAddress, String> bindFailures) {
        public Published {
            bindFailures = Map.copyOf(bindFailures);
        }
    }

    private final Clock clock;
    private final LongAdder sourceEvents = new LongAdder();
    private final LongAdder sourceEventsRetried = new LongAdder();
    private final LongAdder reconciles = new LongAdder();
    private final LongAdder translations = new LongAdder();
    private final LongAdder invalidTranslations = new LongAdder();
    private final LongAdder publishFailures = new LongAdder();
    private final AtomicLongArray translationBuckets = new AtomicLongArray(BUCKETS.length + 1);
    private final DoubleAdder translationSeconds = new DoubleAdder();
    private final AtomicLong configErrors = new AtomicLong();
    private final AtomicLong maxDeltaSize = new AtomicLong();
    private final AtomicReference<Published> published = new AtomicReference<>();
    private final java.util.List<java.util.function.Consumer<StringBuilder>> writers =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    public ControlMetrics(Clock clock) {
        this.clock = clock;
    }

    public ControlMetrics() {
        this(Clock.systemUTC());
    }

    public Clock clock() {
        return clock;
    }

    public void sourceEvent() {
        sourceEvents.increment();
    }

    public void sourceEventRetried() {
        sourceEventsRetried.increment();
    }

    public void reconciled(int deltaSize) {
        reconciles.increment();
        maxDeltaSize.accumulateAndGet(deltaSize, Math::max);
    }

    public void translated(double seconds, boolean valid) {
        translations.increment();
        if (!valid) {
            invalidTranslations.increment();
        }
        translationSeconds.add(seconds);
        int i = 0;
        while (i < BUCKETS.length && seconds > BUCKETS[i]) {
            i++;
        }
        translationBuckets.incrementAndGet(i);
    }

    public void configErrors(int n) {
        configErrors.set(n);
    }

    public void publishFailed() {
        publishFailures.increment();
    }

    public void published(Published p) {
        published.set(p);
    }

    /** True once the first snapshot is published (every bind attempted). */
    public boolean ready() {
        return published.get() != null;
    }

    public Published lastPublished() {
        return published.get();
    }

    public long reconciles() {
        return reconciles.sum();
    }

    public long translations() {
        return translations.sum();
    }

    public long invalidTranslations() {
        return invalidTranslations.sum();
    }

    public long sourceEvents() {
        return sourceEvents.sum();
    }

    public long maxDeltaSize() {
        return maxDeltaSize.get();
    }

    public long configErrorCount() {
        return configErrors.get();
    }

    /** Adds metrics written after the control plane's own (a configuration source's). */
    public void addWriter(java.util.function.Consumer<StringBuilder> writer) {
        writers.add(writer);
    }

    /** Appends the control-plane metrics in Prometheus text format. */
    public void writeMetrics(StringBuilder out) {
        Published p = published.get();
        gauge(out, "ringway_ready", "1 once the first snapshot is published and its listeners bound", p == null ? 0 : 1);
        gauge(out, "ringway_snapshot_version", "Version of the snapshot being served", p == null ? 0 : p.version());
        double age = p == null ? 0 : Math.max(0, (clock.millis() - p.publishedAt().toEpochMilli()) / 1000.0);
        gauge(out, "ringway_snapshot_age_seconds", "Seconds since the snapshot being served was published", age);
        gauge(out, "ringway_listener_bind_failures", "Listener sockets of the served snapshot that could not be bound",
                p == null ? 0 : p.bindFailures().size());
        gauge(out, "ringway_config_errors", "Configuration errors now (parse errors plus snapshot validation errors)",
                configErrors.get());
        counter(out, "ringway_source_events_total", "Events received from configuration sources", sourceEvents.sum());
        counter(out, "ringway_source_events_retried_total", "Source events offered again because the intake was full",
                sourceEventsRetried.sum());
        counter(out, "ringway_reconciles_total", "Reconcile batches processed", reconciles.sum());
        counter(out, "ringway_translations_invalid_total", "Translations rejected by snapshot validation",
                invalidTranslations.sum());
        counter(out, "ringway_publish_failures_total", "Snapshots the data plane failed to apply", publishFailures.sum());
        String h = "ringway_translation_duration_seconds";
        out.append("# HELP ").append(h).append(" Time to translate the configuration into a snapshot\n");
        out.append("# TYPE ").append(h).append(" histogram\n");
        long cumulative = 0;
        for (int i = 0; i < BUCKETS.length; i++) {
            cumulative += translationBuckets.get(i);
            out.append(h).append("_bucket{le=\"").append(num(BUCKETS[i])).append("\"} ").append(cumulative).append('\n');
        }
        cumulative += translationBuckets.get(BUCKETS.length);
        out.append(h).append("_bucket{le=\"+Inf\"} ").append(cumulative).append('\n');
        out.append(h).append("_sum ").append(num(translationSeconds.sum())).append('\n');
        out.append(h).append("_count ").append(cumulative).append('\n');
        writers.forEach(w -> w.accept(out));
    }

    public static void gauge(StringBuilder out, String name, String help, double v) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        out.append(name).append(' ').append(num(v)).append('\n');
    }

    public static void counter(StringBuilder out, String name, String help, long v) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        out.append(name).append(' ').append(v).append('\n');
    }

    public static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
