package dev.ringway.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import dev.ringway.conformance.model.ConformanceCase;
import dev.ringway.conformance.run.CaseResult;
import dev.ringway.conformance.run.ClaimedFeatures;
import dev.ringway.conformance.run.ConformanceSuite;
import dev.ringway.conformance.run.Echoes;
import dev.ringway.conformance.run.Outcome;
import dev.ringway.conformance.run.ReportWriter;
import dev.ringway.conformance.run.Settings;
import dev.ringway.conformance.run.SharedData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The upstream Gateway API conformance suite (as data) against {@code ringway run}: one dynamic test per case.
 * Runs by default; {@code -Dringway.conformance=false} (or env {@code RINGWAY_CONFORMANCE=false}) turns it off. A case whose features
 * are all claimed must pass; other cases are reported skipped. Writes docs/conformance/report.yaml and README.md.
 */
class ConformanceSuiteTest {
    static boolean enabled() {
        String p = System.getProperty("ringway.conformance");
        if (p == null || p.isBlank()) {
            p = System.getenv("RINGWAY_CONFORMANCE");
        }
        return !"false".equalsIgnoreCase(p);
    }

    @TestFactory
    Stream<DynamicTest> conformance() throws Exception {
        Assumptions.assumeTrue(enabled(), "conformance suite disabled (-Dringway.conformance=false)");
        Path shared = TestData.shared();
        SharedData.Location data = SharedData.locate();
        List<ConformanceCase> cases = ConformanceSuite.loadCases(data);
        ClaimedFeatures claimed = ClaimedFeatures.load();
        Map<String, CompletableFuture<CaseResult>> futures = new ConcurrentHashMap<>();
        cases.forEach(c -> futures.put(c.name(), new CompletableFuture<>()));
        CompletableFuture<ConformanceSuite.Result> suite = new CompletableFuture<>();
        Settings settings = Settings.fromSystemProperties();
        Path root = SharedData.repoRoot();
        Thread.ofPlatform().name("conformance-suite").start(() -> {
            try {
                ConformanceSuite.Result r = ConformanceSuite.run(settings, data, Path.of("target/conformance-run"),
                        Echoes.available(), ConformanceSuite.GatewayLauncher.SUBPROCESS,
                        cr -> futures.get(cr.name()).complete(cr));
                System.out.println(ReportWriter.console(r));
                ReportWriter.write(root, r, System.getProperty("ringway.version", "0.1.0-SNAPSHOT"));
                suite.complete(r);
            } catch (Throwable t) {
                suite.completeExceptionally(t);
                futures.values().forEach(f -> f.completeExceptionally(t));
            }
        });
        System.out.println("conformance data: " + shared);
        List<DynamicTest> tests = new ArrayList<>();
        for (ConformanceCase c : cases) {
            boolean mustPass = claimed.skipReason(c) == null;
            tests.add(DynamicTest.dynamicTest(c.name(), () -> {
                CaseResult r = futures.get(c.name()).get(60, TimeUnit.MINUTES);
                switch (r.outcome()) {
                    case PASSED -> { }
                    case FAILED -> fail(c.name() + " failed at " + r.firstFailingStep() + ": " + r.message());
                    case NOT_RUN -> {
                        if (mustPass) {
                            fail(c.name() + " has all its features claimed but was not run: " + r.message());
                        }
                        Assumptions.abort("not run: " + r.message());
                    }
                    case SKIPPED -> Assumptions.abort("skipped: " + r.message());
                    case MANUAL -> Assumptions.abort("manual: " + r.message());
                }
            }));
        }
        tests.add(DynamicTest.dynamicTest("report", () -> {
            ConformanceSuite.Result r = suite.get(60, TimeUnit.MINUTES);
            long bad = r.results().stream().filter(x -> x.outcome() == Outcome.FAILED).count();
            System.out.println("conformance: " + bad + " failed; report written to docs/conformance/");
        }));
        return tests.stream();
    }
}
