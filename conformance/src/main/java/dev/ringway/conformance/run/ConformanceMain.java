package dev.ringway.conformance.run;

import java.nio.file.Path;

/**
 * Runs the suite outside JUnit (same settings as {@code ConformanceSuiteTest}: system properties
 * {@code ringway.shared}, {@code ringway.root}, {@code ringway.conformance.*}); exits 1 when a case failed.
 */
public final class ConformanceMain {
    private ConformanceMain() {}

    public static void main(String[] args) throws Exception {
        SharedData.Location data = SharedData.locate();
        if (!data.present()) {
            System.err.println(data.problem());
            System.exit(2);
        }
        ConformanceSuite.Result r = ConformanceSuite.run(Settings.fromSystemProperties(), data,
                Path.of(System.getProperty("java.io.tmpdir"), "ringway-conformance"), Echoes.available(),
                ConformanceSuite.GatewayLauncher.SUBPROCESS, cr -> System.out.println(cr.name() + ": "
                        + cr.outcome().label()));
        System.out.print(ReportWriter.console(r));
        ReportWriter.write(SharedData.repoRoot(), r, System.getProperty("ringway.version", "0.1.0-SNAPSHOT"));
        System.exit(r.results().stream().anyMatch(x -> x.outcome() == Outcome.FAILED) ? 1 : 0);
    }
}
