package dev.ringway.control.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringway.control.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every example under {@code examples/filters/} and {@code examples/https/} passes {@code ringway validate}
 * (the CLI's code, run in-process) with every condition as the guides say (all True but
 * {@code Conflicted=False}), and has its guide page in {@code docs/guides/}, listed in the index.
 */
class ExamplesValidateE2eTest {
    static Stream<String> examples() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(ExampleGateway.EXAMPLES.resolve("filters"))) {
            dirs.filter(Files::isDirectory).sorted().forEach(d -> out.add("filters/" + d.getFileName()));
        }
        out.add("https");
        return out.stream();
    }

    record Result(int exit, String out, String err) {
    }

    static Result validate(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("validate"));
        all.addAll(List.of(args));
        int exit = cl.execute(all.toArray(String[]::new));
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void everyFilterHasAnExample() throws IOException {
        assertThat(examples().toList()).containsExactly(
                "filters/cors", "filters/request-header-modifier", "filters/request-mirror", "filters/request-redirect",
                "filters/response-header-modifier", "filters/retry", "filters/timeouts", "filters/traffic-splitting",
                "filters/url-rewrite", "https");
    }

    @ParameterizedTest
    @MethodSource("examples")
    void validates(String example, @TempDir Path tmp) throws Exception {
        Path dir = ExampleGateway.EXAMPLES.resolve(example);
        if (example.equals("https")) {
            // the Secrets are generated, as the guide says
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    if (f.getFileName().toString().endsWith(".yaml") || f.getFileName().toString().endsWith(".sh")) {
                        Files.copy(f, tmp.resolve(f.getFileName()));
                    }
                }
            }
            Result without = validate(tmp.toString());
            assertThat(without.exit()).isEqualTo(1);
            assertThat(without.out()).contains("ResolvedRefs=False InvalidCertificateRef: tls.certificateRefs[0]: Secret default/api-cert not found");
            OpenSsl.genSecrets(tmp);
            dir = tmp;
        }
        Result text = validate(dir.toString());
        assertThat(text.exit()).as(text.out() + text.err()).isZero();
        assertThat(text.err()).as("no warnings").isEmpty();

        Result json = validate("-o", "json", dir.toString());
        assertThat(json.exit()).isZero();
        JsonNode root = ExampleGateway.JSON.readTree(json.out());
        assertThat(root.path("valid").asBoolean()).isTrue();
        List<String> conditions = new ArrayList<>();
        for (JsonNode c : root.path("status").findValues("conditions")) {
            c.forEach(x -> conditions.add(x.path("type").asText() + "=" + x.path("status").asText()));
        }
        assertThat(conditions).isNotEmpty().allMatch(c -> c.equals("Conflicted=False") || c.endsWith("=True"));
    }

    @ParameterizedTest
    @MethodSource("examples")
    void hasAGuide(String example) throws IOException {
        String page = example.equals("https") ? "https" : example.substring("filters/".length());
        Path guide = ExampleGateway.ROOT.resolve("docs/guides/" + page + ".md");
        assertThat(guide).exists();
        assertThat(Files.readString(guide)).contains("examples/" + example);
        assertThat(Files.readString(ExampleGateway.ROOT.resolve("docs/guides/README.md"))).contains("(" + page + ".md)");
    }
}
