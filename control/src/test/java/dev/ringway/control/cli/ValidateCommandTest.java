package dev.ringway.control.cli;

import dev.ringway.control.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ValidateCommandTest {
    @TempDir
    Path dir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    void copy(String resource) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/manifests/" + resource)) {
            Files.copy(in, dir.resolve(resource));
        }
    }

    @Test
    void goodManifestsPassAndPrintConditions() throws IOException {
        copy("gateway.yaml");
        copy("cert.yaml");
        Files.writeString(dir.resolve("notes.txt"), "not a manifest");
        Files.writeString(dir.resolve("deployment.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: echo}
                """);
        assertThat(run("validate", dir.toString())).isZero();
        assertThat(out.toString())
                .contains("Gateway default/gw  (" + dir.resolve("gateway.yaml"))
                .contains("listener https (1 routes):")
                .contains("HTTPRoute default/web")
                .contains("Accepted=True Accepted")
                .contains("OK: 3 files");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void invalidYamlNamesTheFile() throws IOException {
        copy("gateway.yaml");
        Files.writeString(dir.resolve("broken.yaml"), "kind: [unclosed\n");
        assertThat(run("validate", dir.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("error: " + dir.resolve("broken.yaml")).contains("invalid YAML")
                .contains("FAILED:").contains("1 parse errors");
    }

    @Test
    void invalidFieldNamesFileObjectAndField() throws IOException {
        Files.writeString(dir.resolve("route.yaml"), """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: web}
                spec:
                  parentRefs: [{name: gw}]
                  rules:
                  - backendRefs: [{name: echo, port: eighty}]
                """);
        assertThat(run("validate", dir.resolve("route.yaml").toString())).isEqualTo(1);
        assertThat(err.toString()).contains(dir.resolve("route.yaml").toString())
                .contains("HTTPRoute web")
                .contains("field spec.rules[0].backendRefs[0].port");
    }

    @Test
    void objectNotAcceptedFailsNamingFileAndReason() throws IOException {
        copy("gateway.yaml");
        copy("cert.yaml");
        Files.writeString(dir.resolve("orphan.yaml"), """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: orphan}
                spec:
                  parentRefs: [{name: gw, sectionName: nope}]
                """);
        assertThat(run("validate", dir.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("error: " + dir.resolve("orphan.yaml") + ": HTTPRoute default/orphan: "
                + "not accepted by Gateway default/gw section nope").contains("1 not accepted");
    }

    @Test
    void unresolvedReferencesAreWarningsAndFailWithStrict() throws IOException {
        copy("gateway.yaml"); // without cert.yaml: the https listener's certificate is missing
        Files.writeString(dir.resolve("route.yaml"), """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: broken, namespace: default}
                spec:
                  parentRefs: [{name: gw, sectionName: http}]
                  rules:
                  - backendRefs: [{name: nosuch, port: 80}]
                """);
        assertThat(run("validate", dir.toString())).isZero();
        assertThat(err.toString())
                .contains("warning: " + dir.resolve("route.yaml") + ": HTTPRoute default/broken: for Gateway default/gw "
                        + "section http: ResolvedRefs=False BackendNotFound: spec.rules[0].backendRefs[0]: "
                        + "Service default/nosuch not found")
                .contains("warning: " + dir.resolve("gateway.yaml") + ": Gateway default/gw: listener https: "
                        + "ResolvedRefs=False InvalidCertificateRef: tls.certificateRefs[0]")
                .contains("warning: " + dir.resolve("gateway.yaml") + ": Gateway default/gw: listener https: Programmed=False")
                .doesNotContain("listener http:");
        assertThat(out.toString()).contains("OK: 2 files, 6 objects, 4 with status: 0 parse errors, 0 not accepted, 3 warnings");

        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertThat(run("validate", "--strict", dir.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("FAILED: 2 files").contains("3 warnings");
    }

    @Test
    void jsonOutputCarriesStatusListAndProblems() throws IOException {
        copy("gateway.yaml");
        copy("cert.yaml");
        assertThat(run("validate", "-o", "json", dir.toString())).isZero();
        var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
        assertThat(root.path("valid").asBoolean()).isTrue();
        assertThat(root.path("status").path("kind").asText()).isEqualTo("List");
        assertThat(root.path("status").path("items")).hasSize(3);
    }

    @Test
    void usageErrorsExitTwoWithAOneLiner() {
        assertThat(run("validate", dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("ringway: " + dir.resolve("missing") + ": no such file or directory");
        err.getBuffer().setLength(0);
        assertThat(run("validate", "--address-pool", "10.0.0.0/33", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("ringway: --address-pool 10.0.0.0/33: expected an IPv4 CIDR");
        err.getBuffer().setLength(0);
        assertThat(run("run")).isEqualTo(2);
        assertThat(err.toString()).startsWith("ringway: give --config PATH (manifest files) or --kubernetes");
        err.getBuffer().setLength(0);
        assertThat(run("run", "--config", dir.toString(), "--transport", "carrier-pigeon")).isEqualTo(2);
        assertThat(err.toString()).startsWith("ringway: --transport carrier-pigeon: expected auto, io_uring, epoll or nio");
        err.getBuffer().setLength(0);
        assertThat(run("run", "--config", dir.toString(), "--admin", "localhost")).isEqualTo(2);
        assertThat(err.toString()).contains("expected HOST:PORT");
    }
}
