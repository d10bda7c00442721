package dev.ringway.conformance.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringway.conformance.model.ConformanceCase;
import dev.ringway.conformance.model.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes the run's results: {@code docs/conformance/report.yaml} shaped like upstream's ConformanceReport,
 * {@code docs/conformance/README.md} with the per-test table and wall time, and a console table.
 */
public final class ReportWriter {
    public static final String GATEWAY_API_VERSION = "v1.6.1";

    private ReportWriter() {}

    /** Per profile: core features (of its core-level cases) and extended features (the others of its cases). */
    record Profile(String name, Set<String> core, Set<String> extended) {}

    static List<Profile> profiles(List<ConformanceCase> cases) {
        Map<String, Set<String>> core = new LinkedHashMap<>();
        Map<String, Set<String>> all = new LinkedHashMap<>();
        for (ConformanceCase c : cases) {
            for (String p : c.profiles()) {
                all.computeIfAbsent(p, k -> new TreeSet<>()).addAll(c.features());
                if (c.core()) {
                    core.computeIfAbsent(p, k -> new TreeSet<>()).addAll(c.features());
                }
            }
        }
        List<Profile> out = new ArrayList<>();
        for (String p : new TreeSet<>(all.keySet())) {
            Set<String> coreF = core.getOrDefault(p, new TreeSet<>());
            Set<String> ext = new TreeSet<>(all.get(p));
            ext.removeAll(coreF);
            out.add(new Profile(p, coreF, ext));
        }
        return out;
    }

    private static boolean unclaimedSkip(CaseResult r) {
        return r.outcome() == Outcome.SKIPPED && r.message() != null && r.message().startsWith("feature not claimed");
    }

    public static ObjectNode report(ConformanceSuite.Result run, String version) {
        List<ConformanceCase> cases = run.results().stream().map(CaseResult::testCase).toList();
        ObjectNode r = Json.object();
        r.put("apiVersion", "gateway.networking.k8s.io/v1");
        r.put("kind", "ConformanceReport");
        r.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        r.put("gatewayAPIVersion", GATEWAY_API_VERSION);
        r.put("gatewayAPIChannel", "standard");
        r.put("mode", "default");
        ObjectNode impl = r.putObject("implementation");
        impl.put("organization", "ringway");
        impl.put("project", "ringway");
        impl.put("url", "https://ringway.dev");
        impl.put("version", version);
        impl.putArray("contact").add("ringway maintainers");
        ArrayNode profiles = r.putArray("profiles");
        Set<String> claimed = run.claimed().features();
        for (Profile p : profiles(cases)) {
            if (!claimed.containsAll(p.core())) {
                continue; // upstream reports only the profiles an implementation runs
            }
            ObjectNode po = profiles.addObject();
            po.put("name", p.name());
            ObjectNode core = po.putObject("core");
            String coreSummary = stats(core, run.results(), p.name(), true);
            ObjectNode ext = po.putObject("extended");
            String extSummary = stats(ext, run.results(), p.name(), false);
            ArrayNode sup = ext.putArray("supportedFeatures");
            ArrayNode unsup = ext.putArray("unsupportedFeatures");
            for (String f : p.extended()) {
                (claimed.contains(f) ? sup : unsup).add(f);
            }
            po.put("summary", "Core tests " + coreSummary + ". Extended tests " + extSummary + ".");
        }
        ArrayNode prov = r.putArray("succeededProvisionalTests");
        run.results().stream().filter(x -> x.testCase().provisional() && x.outcome() == Outcome.PASSED)
                .forEach(x -> prov.add(x.name()));
        return r;
    }

    private static String stats(ObjectNode node, List<CaseResult> results, String profile, boolean core) {
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        List<String> skippedTests = new ArrayList<>();
        List<String> failedTests = new ArrayList<>();
        for (CaseResult r : results) {
            ConformanceCase c = r.testCase();
            if (!c.profiles().contains(profile) || c.core() != core || unclaimedSkip(r)) {
                continue;
            }
            switch (r.outcome()) {
                case PASSED -> passed++;
                case FAILED -> {
                    failed++;
                    failedTests.add(c.name());
                }
                default -> {
                    skipped++;
                    skippedTests.add(c.name());
                }
            }
        }
        String result = failed > 0 ? "failure" : skipped > 0 ? "partial" : "success";
        node.put("result", result);
        ObjectNode st = node.putObject("statistics");
        st.put("Failed", failed);
        st.put("Passed", passed);
        st.put("Skipped", skipped);
        if (!skippedTests.isEmpty()) {
            ArrayNode a = node.putArray("skippedTests");
            skippedTests.forEach(a::add);
        }
        if (!failedTests.isEmpty()) {
            ArrayNode a = node.putArray("failedTests");
            failedTests.forEach(a::add);
        }
        return switch (result) {
            case "success" -> "succeeded";
            case "partial" -> "partially succeeded with " + skipped + " test skips";
            default -> "failed with " + failed + " test failures";
        };
    }

    public static String readme(ConformanceSuite.Result run) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Gateway API conformance\n\n");
        sb.append("Generated by the conformance runner (`ConformanceSuiteTest`, module `conformance`); do not edit by hand.\n\n");
        sb.append("- Gateway API ").append(GATEWAY_API_VERSION).append(", ").append(run.results().size())
                .append(" cases restated as data\n");
        sb.append("- Claimed features: ").append(String.join(", ", run.claimed().features())).append("\n");
        sb.append(String.format(Locale.ROOT, "- Suite wall time: %.1f s with %d shard(s) (time scale %s)%n",
                run.wallMillis() / 1000.0, run.shards(), run.settings().timeScale()));
        Map<Outcome, Integer> counts = new LinkedHashMap<>();
        for (Outcome o : Outcome.values()) {
            counts.put(o, 0);
        }
        run.results().forEach(r -> counts.merge(r.outcome(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        counts.forEach((o, n) -> parts.add(n + " " + o.label()));
        sb.append("- Results: ").append(String.join(", ", parts)).append("\n\n");
        sb.append("| test | profiles | level | result | first failing step | duration |\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (CaseResult r : run.results()) {
            ConformanceCase c = r.testCase();
            String step = r.outcome() == Outcome.FAILED ? (r.firstFailingStep() + ": " + shorten(r.message(), 160))
                    : r.outcome() == Outcome.PASSED ? "" : shorten(r.message(), 120);
            sb.append("| ").append(c.name()).append(" | ")
                    .append(c.profiles().isEmpty() ? "-" : String.join(", ", c.profiles())).append(" | ")
                    .append(c.level()).append(c.provisional() ? " (provisional)" : "").append(" | ")
                    .append(r.outcome().label()).append(" | ")
                    .append(cell(step)).append(" | ")
                    .append(r.durationMillis() == 0 ? "-" : String.format(Locale.ROOT, "%.1f s", r.durationMillis() / 1000.0))
                    .append(" |\n");
        }
        return sb.toString();
    }

    private static String shorten(String s, int n) {
        if (s == null) {
            return "";
        }
        return s.length() <= n ? s : s.substring(0, n) + "...";
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    public static String console(ConformanceSuite.Result run) {
        StringBuilder sb = new StringBuilder();
        int w = run.results().stream().mapToInt(r -> r.name().length()).max().orElse(10);
        for (CaseResult r : run.results()) {
            sb.append(String.format(Locale.ROOT, "%-" + w + "s  %-8s %7s  %s%n", r.name(), r.outcome().label(),
                    r.durationMillis() == 0 ? "" : String.format(Locale.ROOT, "%.1fs", r.durationMillis() / 1000.0),
                    r.outcome() == Outcome.PASSED ? "" : shorten((r.firstFailingStep().isEmpty() ? ""
                            : r.firstFailingStep() + ": ") + r.message(), 200).replace("\n", " ")));
        }
        sb.append(String.format(Locale.ROOT, "wall time %.1f s, %d shard(s)%n", run.wallMillis() / 1000.0, run.shards()));
        return sb.toString();
    }

    /** Writes report.yaml and README.md under {@code root/docs/conformance}. */
    public static void write(Path root, ConformanceSuite.Result run, String version) throws IOException {
        Path dir = root.resolve("docs/conformance");
        Files.createDirectories(dir);
        atomic(dir.resolve("report.yaml"), Json.writeYaml(report(run, version)));
        atomic(dir.resolve("README.md"), readme(run));
    }

    private static void atomic(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
