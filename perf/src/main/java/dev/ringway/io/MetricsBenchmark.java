package dev.ringway.io;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What recording one response costs an event loop: {@code recorded} is the hot path (the series
 * kept from the previous request: one status-class counter and one histogram bucket plus the sum,
 * single-writer opaque stores); {@code lookedUp} adds the per-loop series lookup by label, taken
 * when a connection's labels change; {@code scrape} renders 100 series as Prometheus text.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class MetricsBenchmark {
    private final MetricsRegistry registry = new MetricsRegistry();
    private LoopMetrics metrics;
    private LoopMetrics.ListenerSeries listener;
    private LoopMetrics.RequestSeries series;
    private final String l = "bench/gw/http";
    private final String r = "httproute/bench/route-7/rule/0";
    private final String b = "bench/svc-7:8080";
    private long nanos = 180_000;

    @Setup
    public void setup() {
        metrics = registry.newLoop();
        listener = metrics.listener(l);
        series = metrics.request(l, r, b);
        for (int i = 0; i < 100; i++) {
            metrics.request(l, "httproute/bench/route-" + i + "/rule/0", "bench/svc-" + i + ":8080").record(1000L * i);
        }
    }

    @Benchmark
    public void recorded() {
        listener.status(200);
        series.record(nanos);
        nanos = (nanos * 7 + 13) & 0xFFFFFFF; // durations spread over the buckets
    }

    @Benchmark
    public void lookedUp() {
        metrics.listener(l).status(200);
        metrics.request(l, r, b).record(nanos);
        nanos = (nanos * 7 + 13) & 0xFFFFFFF;
    }

    @Benchmark
    public int scrape() {
        StringBuilder sb = new StringBuilder(64 * 1024);
        registry.write(sb);
        return sb.length();
    }
}
