package dev.ringway.io;

import dev.ringway.core.route.Snapshot;
import dev.ringway.core.translate.BindFeedback;
import dev.ringway.core.translate.Translator;
import dev.ringway.core.translate.TranslatorOptions;
import dev.ringway.perf.RouteFixture;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Publishing a translated snapshot to the data plane at 1,000 and 10,000 HTTPRoutes: what
 * {@code NettyDataPlane.apply} does before the sockets are touched (derive the serving state: bindings,
 * upstream targets per backend, TLS contexts) and the volatile store the event loops read.
 * Translation itself is {@code TranslateBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx2g"})
public class PublishBenchmark {
    @Param({"1000", "10000"})
    public int routes;

    private Snapshot snapshot;
    private final SnapshotHolder holder = new SnapshotHolder();
    private TlsContexts tls;
    private BackendTlsContexts backendTls;

    @Setup(Level.Trial)
    public void setup() {
        snapshot = Translator.create(TranslatorOptions.defaults())
                .translate(RouteFixture.resources(routes, Math.min(routes, 1000)), BindFeedback.NONE).snapshot();
        tls = new TlsContexts();
        backendTls = new BackendTlsContexts(tls.provider());
    }

    @Benchmark
    public ServingState publish() {
        ServingState st = ServingState.of(snapshot, tls, backendTls);
        holder.set(st);
        return st;
    }
}
