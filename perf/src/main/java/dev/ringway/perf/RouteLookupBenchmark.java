package dev.ringway.perf;

import dev.ringway.core.route.CompiledMatch;
import dev.ringway.core.route.HttpRouter;
import dev.ringway.core.route.RouteSetGenerator;
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
 * Route lookup: host -> listener -> virtual host -> rule table, for 10, 1,000 and 10,000 HTTPRoutes
 * over 1,000 hostnames (4 rules each: exact, prefix+header, prefix+regex header, prefix), with a
 * request mix of hits on every kind and misses. SampleTime mode gives the latency percentiles
 * (target: p99 under 1 us at 10,000 routes).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class RouteLookupBenchmark {
    @Param({"10", "1000", "10000"})
    public int routes;

    private HttpRouter router;
    private RouteSetGenerator.TestRequest[] requests;
    private int next;

    @Setup(Level.Trial)
    public void setup() {
        int hostnames = Math.min(routes, 1000);
        Translation t = Translator.create(TranslatorOptions.defaults())
                .translate(RouteFixture.resources(routes, hostnames), BindFeedback.NONE);
        if (!t.valid()) {
            throw new IllegalStateException(t.validationErrors().toString());
        }
        router = t.snapshot().bindings().get(0).http();
        List<RouteSetGenerator.TestRequest> rs = RouteFixture.requests(routes, hostnames, 4096, 7);
        requests = rs.toArray(RouteSetGenerator.TestRequest[]::new);
        int hits = 0;
        for (RouteSetGenerator.TestRequest r : requests) {
            if (router.route(r) != null) {
                hits++;
            }
        }
        if (hits < requests.length / 2) {
            throw new IllegalStateException("fixture broken: only " + hits + " hits");
        }
    }

    @Benchmark
    public CompiledMatch lookup() {
        RouteSetGenerator.TestRequest r = requests[next++ & 4095];
        return router.route(r);
    }
}
