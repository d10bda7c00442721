package dev.ringway.core.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ringway.core.dump.Dumps;
import dev.ringway.core.model.Resource;
import dev.ringway.core.parse.ManifestParser;
import dev.ringway.core.parse.ParseProblem;
import dev.ringway.core.parse.ParseResult;
import dev.ringway.core.parse.ParsedObject;
import dev.ringway.core.route.BindAddress;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden files: {@code src/test/resources/translate/NAME.in.yaml} is translated and the statuses
 * plus a readable dump of the routing tables are compared with {@code NAME.out.yaml}. Regenerate
 * with {@code ./ringway test -pl core -Dtest=GoldenTest -Dringway.golden.update=true} and review the
 * diff. An input may start with a {@code kind: GoldenOptions} document:
 * <pre>
 * kind: GoldenOptions
 * controllerName: ...            # default ringway.dev/gateway-controller
 * addressPool: 127.10.0.0/16     # or bind: 10.0.0.1 (default 0.0.0.0)
 * bindFailures: {"127.10.0.1:80": "address in use"}
 * include: [base/manifests.yaml] # upstream manifests from ../shared/gateway-api, placeholders substituted;
 *                                # ./x.yaml is a fixture beside the inputs, repo:path a repository file
 * shuffle: true                  # also check the output does not depend on input order
 * </pre>
 */
class GoldenTest {
    static final Path DIR = Path.of("src/test/resources/translate");
    static final boolean UPDATE = Boolean.getBoolean("ringway.golden.update");
    static final YAMLMapper YAML = YAMLMapper.builder(new YAMLFactory()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR))
            .build();

    @TestFactory
    Stream<DynamicTest> golden() throws IOException {
        List<Path> inputs;
        try (Stream<Path> s = Files.list(DIR)) {
            inputs = s.filter(p -> p.getFileName().toString().endsWith(".in.yaml")).sorted().toList();
        }
        assertThat(inputs).isNotEmpty();
        return inputs.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(p)));
    }

    static Path sharedDir() {
        String s = System.getProperty("ringway.shared", "../../shared");
        return Path.of(s, "gateway-api");
    }

    private void check(Path in) throws IOException {
        String name = in.getFileName().toString().replace(".in.yaml", "");
        Path out = in.resolveSibling(name + ".out.yaml");
        String text = Files.readString(in, StandardCharsets.UTF_8);
        ObjectNode options = JsonNodeFactory.instance.objectNode();
        StringBuilder manifests = new StringBuilder();
        for (String doc : text.split("(?m)^---\\s*$")) {
            JsonNode n = YAML.readTree(doc);
            if (n != null && "GoldenOptions".equals(n.path("kind").asText())) {
                options = (ObjectNode) n;
            } else {
                manifests.append(doc).append("\n---\n");
            }
        }
        ManifestParser parser = ManifestParser.create();
        List<ParseProblem> problems = new ArrayList<>();
        List<Resource> resources = new ArrayList<>();
        for (JsonNode inc : options.path("include")) {
            // "./name.yaml" is a fixture beside the inputs (not a case: it does not end in .in.yaml)
            // "repo:path" is a file of this repository (e.g. the bundled examples)
            String spec = inc.asText();
            Path f = spec.startsWith("./") ? DIR.resolve(spec.substring(2))
                    : spec.startsWith("repo:") ? Path.of(System.getProperty("ringway.root", "..")).resolve(spec.substring(5))
                    : sharedDir().resolve(spec);
            Assumptions.assumeTrue(Files.exists(f), "shared data missing: " + f);
            String content = Files.readString(f).replace("{GATEWAY_CLASS_NAME}", "gateway-conformance")
                    .replace("{GATEWAY_CONTROLLER_NAME}", "ringway.dev/gateway-controller");
            ParseResult r = parser.parse(inc.asText(), content);
            r.objects().forEach(o -> resources.add(o.resource()));
            problems.addAll(r.problems());
        }
        ParseResult r = parser.parse(in.getFileName().toString(), manifests.toString());
        r.objects().forEach(o -> resources.add(o.resource()));
        problems.addAll(r.problems());

        // Sources stamp metadata.generation (standalone mode starts at 1); do the same here.
        resources.replaceAll(res -> res.metadata().generation() == null
                ? res.withMetadata(res.metadata().withGeneration(1)) : res);
        TranslatorOptions.AddressPolicy policy = options.has("addressPool")
                ? new TranslatorOptions.AddressPolicy.Pool(options.get("addressPool").asText())
                : new TranslatorOptions.AddressPolicy.Bind(options.path("bind").asText("0.0.0.0"));
        Translator t = Translator.create(new TranslatorOptions(
                options.path("controllerName").asText(TranslatorOptions.DEFAULT_CONTROLLER_NAME), policy));
        Map<BindAddress, String> failures = new HashMap<>();
        options.path("bindFailures").fields().forEachRemaining(e -> {
            String[] hp = e.getKey().split(":");
            failures.put(new BindAddress(hp[0], Integer.parseInt(hp[1]), BindAddress.Transport.TCP), e.getValue().asText());
        });
        Translation tr = t.translate(resources, new BindFeedback(failures, Map.of()));
        String actual = render(tr, problems);

        if (options.path("shuffle").asBoolean(false)) {
            List<Resource> shuffled = new ArrayList<>(resources);
            Collections.shuffle(shuffled, new java.util.Random(42));
            Collections.reverse(shuffled);
            String again = render(t.translate(shuffled, new BindFeedback(failures, Map.of())), problems);
            assertThat(again).as("translation must not depend on input order").isEqualTo(actual);
        }
        if (UPDATE || !Files.exists(out)) {
            Files.writeString(out, actual, StandardCharsets.UTF_8);
            if (!UPDATE) {
                throw new AssertionError("golden file " + out + " was missing and has been written; review and commit it");
            }
            return;
        }
        String expected = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(actual).as("golden output of " + in + " (regenerate with -Dringway.golden.update=true)").isEqualTo(expected);
    }

    static String render(Translation tr, List<ParseProblem> problems) throws IOException {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode pp = root.putArray("parseProblems");
        problems.forEach(p -> pp.add(p.describe()));
        ArrayNode ve = root.putArray("validationErrors");
        tr.validationErrors().forEach(ve::add);
        ObjectNode addrs = root.putObject("gatewayAddresses");
        new java.util.TreeMap<>(tr.gatewayAddresses()).forEach(addrs::put);
        root.set("statuses", Dumps.statusList(tr.statuses(), null).get("items"));
        root.set("snapshot", Dumps.snapshot(tr.snapshot()));
        return "# Generated by GoldenTest from the .in.yaml beside it; regenerate with -Dringway.golden.update=true\n"
                + YAML.writeValueAsString(root);
    }

    static ObjectMapper yaml() {
        return YAML;
    }

    static List<Resource> objects(ParseResult r) {
        return r.objects().stream().map(ParsedObject::resource).toList();
    }
}
