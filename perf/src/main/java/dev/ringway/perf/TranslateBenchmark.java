package dev.ringway.perf;

import dev.ringway.core.model.Resource;
import dev.ringway.core.translate.BindFeedback;
import dev.ringway.core.translate.Translation;
import dev.ringway.core.translate.Translator;
import dev.ringway.core.translate.TranslatorOptions;
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

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Whole translation (index, gateways, routes, backends, routing tables, statuses) of 1,000 and
 * 10,000 HTTPRoutes. Target: under 1 s for 10,000 routes on a 2-core machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx2g"})
public class TranslateBenchmark {
    @Param({"1000", "10000"})
    public int routes;

    private List<Resource> resources;
    private Translator translator;

    @Setup(Level.Trial)
    public void setup() {
        resources = RouteFixture.resources(routes, Math.min(routes, 1000));
        translator = Translator.create(TranslatorOptions.defaults());
    }

    @Benchmark
    public Translation translate() {
        return translator.translate(resources, BindFeedback.NONE);
    }
}
