package dev.ringway.control.source;

import dev.ringway.core.model.Resource;
import dev.ringway.core.model.ResourceKey;
import dev.ringway.core.parse.ManifestParser;
import dev.ringway.core.parse.ParseProblem;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class ManifestBookTest {
    private final ManifestParser parser = ManifestParser.create();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-03-01T10:00:00.750Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final ManifestBook book = new ManifestBook(clock);

    private static final ResourceKey ROUTE = ResourceKey.of("HTTPRoute", "default", "r");
    private static final ResourceKey NS = ResourceKey.of("Namespace", "", "team");

    private static String route(String path, String labels) {
        return """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata:
                  name: r
                  labels: {%s}
                spec:
                  parentRefs: [{name: gw}]
                  rules:
                  - matches: [{path: {type: PathPrefix, value: %s}}]
                """.formatted(labels, path);
    }

    private void put(String file, String yaml) {
        book.put(file, parser.parse(file, yaml));
    }

    private Resource get(ResourceKey k) {
        return book.resources().stream().filter(r -> r.key().equals(k)).findFirst().orElse(null);
    }

    @Test
    void generationStartsAtOneAndBumpsOnlyOnSpecChange() {
        put("a.yaml", route("/a", ""));
        assertThat(get(ROUTE).metadata().generation()).isEqualTo(1L);
        assertThat(get(ROUTE).metadata().creationTimestamp()).isEqualTo("2025-03-01T10:00:00Z");

        now.set(Instant.parse("2025-03-01T10:05:00Z"));
        put("a.yaml", route("/a", "team: x")); // labels only
        assertThat(get(ROUTE).metadata().generation()).isEqualTo(1L);
        assertThat(get(ROUTE).metadata().labels()).containsEntry("team", "x");

        put("a.yaml", route("/b", "team: x")); // spec change
        assertThat(get(ROUTE).metadata().generation()).isEqualTo(2L);
        put("a.yaml", route("/b", "team: x")); // same content again
        assertThat(get(ROUTE).metadata().generation()).isEqualTo(2L);
        put("a.yaml", route("/c", ""));
        assertThat(get(ROUTE).metadata().generation()).isEqualTo(3L);
        assertThat(get(ROUTE).metadata().creationTimestamp()).as("creation time kept").isEqualTo("2025-03-01T10:00:00Z");
    }

    @Test
    void apiVersionChangeIsNotASpecChange() {
        put("a.yaml", route("/a", ""));
        put("a.yaml", route("/a", "").replace("gateway.networking.k8s.io/v1", "gateway.networking.k8s.io/v1beta1"));
        assertThat(get(ROUTE).metadata().generation()).isEqualTo(1L);
        assertThat(get(ROUTE).apiVersion()).isEqualTo("gateway.networking.k8s.io/v1beta1");
    }

    @Test
    void namespaceLabelsDoNotBumpGeneration() {
        put("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: team, labels: {a: b}}\n");
        put("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: team, labels: {a: c}}\n");
        assertThat(get(NS).metadata().generation()).isEqualTo(1L);
        assertThat(get(NS).metadata().labels()).containsEntry("a", "c");
    }

    @Test
    void manifestValuesWin() {
        String withMeta = route("/a", "").replace("  name: r\n",
                "  name: r\n  generation: 7\n  creationTimestamp: \"2020-01-02T03:04:05Z\"\n");
        put("a.yaml", withMeta);
        assertThat(get(ROUTE).metadata().generation()).isEqualTo(7L);
        assertThat(get(ROUTE).metadata().creationTimestamp()).isEqualTo("2020-01-02T03:04:05Z");
        // without them again: continue from the last generation, keep the creation time
        put("a.yaml", route("/b", ""));
        assertThat(get(ROUTE).metadata().generation()).isEqualTo(8L);
        assertThat(get(ROUTE).metadata().creationTimestamp()).isEqualTo("2020-01-02T03:04:05Z");
    }

    @Test
    void deletionForgetsTheObject() {
        put("a.yaml", route("/a", ""));
        assertThat(get(ROUTE).metadata().generation()).isEqualTo(1L);
        put("a.yaml", route("/b", ""));
        assertThat(get(ROUTE).metadata().generation()).isEqualTo(2L);
        book.remove("a.yaml");
        assertThat(book.resources()).isEmpty();
        now.set(Instant.parse("2025-03-01T11:00:00Z"));
        put("a.yaml", route("/b", ""));
        assertThat(get(ROUTE).metadata().generation()).isEqualTo(1L);
        assertThat(get(ROUTE).metadata().creationTimestamp()).isEqualTo("2025-03-01T11:00:00Z");
    }

    @Test
    void sameObjectInTwoFilesLastWriterWinsWithWarning() {
        put("a.yaml", route("/a", ""));
        put("b.yaml", route("/b", ""));
        assertThat(book.origins().get(ROUTE)).isEqualTo("b.yaml");
        assertThat(book.problems()).singleElement().satisfies(p -> {
            assertThat(p.severity()).isEqualTo(ParseProblem.Severity.WARNING);
            assertThat(p.message()).contains("a.yaml").contains("b.yaml");
        });
        put("a.yaml", route("/a2", ""));
        assertThat(book.origins().get(ROUTE)).isEqualTo("a.yaml");
        book.remove("a.yaml");
        assertThat(book.origins().get(ROUTE)).isEqualTo("b.yaml");
        assertThat(book.problems()).isEmpty();
    }

    @Test
    void brokenFileKeepsLastGoodObjects() {
        put("a.yaml", route("/a", "") + "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n");
        put("a.yaml", "kind: [unclosed\n");
        assertThat(book.resources()).extracting(Resource::key).containsExactlyInAnyOrder(ROUTE, NS);
        assertThat(book.errorCount()).isEqualTo(1);
        assertThat(book.problems()).anySatisfy(p -> assertThat(p.source()).isEqualTo("a.yaml"));

        // a field error names the object: only that object's last good version is kept
        put("a.yaml", route("/a", "").replace("parentRefs: [{name: gw}]", "parentRefs: 5"));
        assertThat(book.resources()).extracting(Resource::key).containsExactly(ROUTE);
        assertThat(book.problems()).anySatisfy(p -> {
            assertThat(p.severity()).isEqualTo(ParseProblem.Severity.ERROR);
            assertThat(p.field()).startsWith("spec.parentRefs");
        });

        put("a.yaml", route("/a", ""));
        assertThat(book.problems()).isEmpty();
    }

    @Test
    void firstVersionBrokenHasNothingToKeep() {
        put("a.yaml", "kind: [unclosed\n");
        assertThat(book.resources()).isEmpty();
        assertThat(book.errorCount()).isEqualTo(1);
    }
}
