package dev.ringway.control.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringway.control.ControlPlane;
import dev.ringway.control.FakeDataPlane;
import dev.ringway.control.reconcile.Intake;
import dev.ringway.control.reconcile.TranslateFn;
import dev.ringway.control.source.FileSource;
import dev.ringway.core.dump.Dumps;
import dev.ringway.core.model.ResourceKey;
import dev.ringway.core.status.StatusReport;
import dev.ringway.core.translate.Translator;
import dev.ringway.core.translate.TranslatorOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AdminServerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();
    final FakeDataPlane dataPlane = new FakeDataPlane();

    @TempDir
    Path dir;
    ControlPlane cp;
    AdminServer admin;

    @AfterEach
    void stop() {
        if (admin != null) {
            admin.close();
        }
        if (cp != null) {
            cp.close();
        }
    }

    void copy(String resource) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/manifests/" + resource)) {
            Files.copy(in, dir.resolve(resource));
        }
    }

    void start() throws IOException {
        TranslateFn translator = TranslateFn.of(Translator.create(TranslatorOptions.defaults()));
        FileSource.Settings files = new FileSource.Settings(List.of(dir), Duration.ofMillis(100), Duration.ofMillis(25),
                Duration.ofSeconds(1), 1 << 20);
        cp = ControlPlane.start(files, Intake.Settings.defaults(), translator, dataPlane, Clock.systemUTC());
        admin = AdminServer.start(new InetSocketAddress("127.0.0.1", 0), cp::status, cp.metrics(), dataPlane);
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.address().getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readyzGoesFrom503To200() throws Exception {
        copy("gateway.yaml");
        dataPlane.delay = Duration.ofMillis(800);
        start();
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        HttpResponse<String> r = get("/readyz");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("not ready");
        await().atMost(Duration.ofSeconds(5)).until(() -> get("/readyz").statusCode() == 200);
        assertThat(get("/readyz").body()).startsWith("ready: snapshot 1");
    }

    @Test
    void statusIsAKubernetesListWithStampedConditions() throws Exception {
        copy("gateway.yaml");
        copy("cert.yaml");
        Instant before = Instant.now().minusSeconds(1);
        start();
        await().atMost(Duration.ofSeconds(5)).until(() -> JSON.readTree(get("/status").body()).path("items").size() == 3);
        HttpResponse<String> r = get("/status");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode root = JSON.readTree(r.body());
        assertThat(root.path("kind").asText()).isEqualTo("List");
        assertThat(root.path("apiVersion").asText()).isEqualTo("v1");
        List<String> kinds = new ArrayList<>();
        for (JsonNode item : root.path("items")) {
            kinds.add(item.path("kind").asText());
            assertThat(item.path("apiVersion").asText()).isEqualTo("gateway.networking.k8s.io/v1");
            JsonNode meta = item.path("metadata");
            assertThat(meta.path("generation").asLong()).isEqualTo(1);
            assertThat(meta.has("namespace")).isEqualTo(!item.path("kind").asText().equals("GatewayClass"));
            List<JsonNode> conditions = item.path("status").findValues("conditions");
            assertThat(conditions).isNotEmpty();
            for (JsonNode list : conditions) {
                for (JsonNode c : list) {
                    assertThat(c.path("observedGeneration").asLong()).isEqualTo(1);
                    Instant t = Instant.parse(c.path("lastTransitionTime").asText());
                    assertThat(c.path("lastTransitionTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
                    assertThat(t).isAfter(before);
                    assertThat(c.has("type") && c.has("status") && c.has("reason")).isTrue();
                }
            }
        }
        assertThat(kinds).containsExactly("Gateway", "GatewayClass", "HTTPRoute");
        JsonNode gw = root.path("items").get(0);
        assertThat(gw.path("metadata").path("namespace").asText()).isEqualTo("default");
        assertThat(gw.path("status").path("listeners")).hasSize(2);
        assertThat(gw.path("status").path("conditions").findValuesAsText("type")).contains("Accepted", "Programmed");
        JsonNode route = root.path("items").get(2);
        JsonNode parent = route.path("status").path("parents").get(0);
        assertThat(parent.path("parentRef").path("name").asText()).isEqualTo("gw");
        assertThat(parent.path("controllerName").asText()).isEqualTo(TranslatorOptions.DEFAULT_CONTROLLER_NAME);

        // the same shape as the golden-file renderer, plus lastTransitionTime
        var view = cp.status().toCompletableFuture().get();
        for (var e : view.report().entries().entrySet()) {
            JsonNode golden = Dumps.statusItem(e.getKey(), e.getValue(), null);
            JsonNode ours = dev.ringway.control.status.StatusJson.item(e.getKey(), e.getValue(), view.transitionTimes());
            ours.findParents("lastTransitionTime").forEach(n -> ((com.fasterxml.jackson.databind.node.ObjectNode) n)
                    .remove("lastTransitionTime"));
            assertThat(ours).isEqualTo(golden);
        }
    }

    @Test
    void transitionTimesAreKeptWhileConditionsDoNotChange() throws Exception {
        copy("gateway.yaml");
        copy("cert.yaml");
        start();
        await().atMost(Duration.ofSeconds(5)).until(() -> JSON.readTree(get("/status").body()).path("items").size() == 3);
        String before = JSON.readTree(get("/status").body()).path("items").get(1).path("status").path("conditions")
                .get(0).path("lastTransitionTime").asText();
        Thread.sleep(1100);
        // a change to the route bumps its generation; the GatewayClass's condition keeps its time
        Path f = dir.resolve("gateway.yaml");
        Files.writeString(f, Files.readString(f).replace("value: /}", "value: /v2}"));
        await().atMost(Duration.ofSeconds(5)).until(() -> JSON.readTree(get("/status").body()).path("items").get(2)
                .path("metadata").path("generation").asLong() == 2);
        JsonNode items = JSON.readTree(get("/status").body()).path("items");
        assertThat(items.get(1).path("status").path("conditions").get(0).path("lastTransitionTime").asText())
                .isEqualTo(before);
        assertThat(items.get(2).path("status").path("parents").get(0).path("conditions").get(0)
                .path("observedGeneration").asLong()).isEqualTo(2);
    }

    @Test
    void metricsHaveDataPlaneAndControlPlaneFamilies() throws Exception {
        copy("gateway.yaml");
        start();
        await().atMost(Duration.ofSeconds(5)).until(() -> cp.metrics().ready());
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain; version=0.0.4");
        assertThat(r.body())
                .contains("ringway_downstream_connections_active 0")
                .contains("ringway_snapshot_version 1\n")
                .contains("ringway_ready 1\n")
                .contains("# TYPE ringway_snapshot_age_seconds gauge")
                .contains("ringway_reconciles_total ")
                .contains("ringway_config_errors 0\n")
                .contains("ringway_translation_duration_seconds_bucket{le=\"+Inf\"} ")
                .contains("ringway_translation_duration_seconds_count ");
        for (String line : r.body().split("\n")) {
            assertThat(line).matches("(# (HELP|TYPE) .*|[a-z_]+(\\{[^}]*\\})? -?[0-9.eE+-]+|)");
        }
    }

    @Test
    void configDumpShowsTheSnapshotWithoutPrivateKeys() throws Exception {
        copy("gateway.yaml");
        copy("cert.yaml");
        start();
        await().atMost(Duration.ofSeconds(5)).until(() -> cp.metrics().ready());
        HttpResponse<String> r = get("/config_dump");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode dump = JSON.readTree(r.body());
        assertThat(dump.path("version").asLong()).isEqualTo(1);
        assertThat(Instant.parse(dump.path("publishedAt").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(dump.path("transport").asText()).isEqualTo("fake");
        assertThat(dump.path("bindings")).hasSize(2);
        assertThat(r.body()).contains("127.0.0.1:3000").contains("default/example-cert")
                .doesNotContain("PRIVATE KEY").doesNotContain("MIIE");
        assertThat(dump.path("backends").get(0).path("name").asText()).contains("default/echo");
    }

    @Test
    void problemsNameFileAndField() throws Exception {
        copy("gateway.yaml");
        Files.writeString(dir.resolve("bad.yaml"), """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: bad, namespace: default}
                spec:
                  parentRefs: [{name: gw, port: "eighty"}]
                """);
        start();
        await().atMost(Duration.ofSeconds(5)).until(() -> JSON.readTree(get("/problems").body()).path("errors").asInt() == 1);
        JsonNode p = JSON.readTree(get("/problems").body()).path("problems").get(0);
        assertThat(p.path("file").asText()).isEqualTo(dir.resolve("bad.yaml").toString());
        assertThat(p.path("field").asText()).isEqualTo("spec.parentRefs[0].port");
        assertThat(p.path("kind").asText()).isEqualTo("HTTPRoute");
        assertThat(p.path("name").asText()).isEqualTo("bad");
        assertThat(get("/metrics").body()).contains("ringway_config_errors 1\n");
        assertThat(get("/nope").statusCode()).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.address().getPort() + "/status"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(405);
        assertThat(StatusReport.EMPTY.entries()).isEmpty();
        assertThat(ResourceKey.of("a", "b", "c")).isNotNull();
    }
}
