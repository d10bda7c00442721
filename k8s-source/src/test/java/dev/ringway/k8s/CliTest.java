package dev.ringway.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringway.control.Main;
import dev.ringway.k8s.sandbox.SandboxApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code ringway run --kubernetes} and {@code ringway sandbox-api} through the CLI, found by the ServiceLoader. */
class CliTest {
    static int run(StringWriter err, String... args) {
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }

    @Test
    void usageErrors() {
        StringWriter err = new StringWriter();
        assertThat(run(err, "run")).isEqualTo(2);
        assertThat(err.toString()).contains("--config PATH", "--kubernetes");
        assertThat(run(err = new StringWriter(), "run", "--kubeconfig", "/nonexistent")).isEqualTo(2);
        assertThat(err.toString()).contains("need --kubernetes");
        assertThat(run(err = new StringWriter(), "run", "--kubernetes", "--kubeconfig", "/nonexistent")).isEqualTo(2);
        assertThat(err.toString()).contains("--kubeconfig /nonexistent");
        assertThat(run(err = new StringWriter(), "run", "--kubernetes", "--config", ".")).isEqualTo(2);
        assertThat(err.toString()).contains("cannot be used together");
        StringWriter out = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.execute("--help");
        assertThat(out.toString()).contains("sandbox-api");
    }

    @Test
    void runKubernetesAsAProcess(@TempDir Path tmp) throws Exception {
        try (SandboxApiServer api = SandboxApiServer.start(); KubernetesClient c = api.client();
             Harness.Echoes echoes = new Harness.Echoes()) {
            Path kubeconfig = tmp.resolve("kubeconfig");
            api.writeKubeconfig(kubeconfig);
            int port = Harness.freePort();
            Harness.apply(c, ResilienceTest.setup(port, echoes.start("echo-a", "apps")));
            int admin = Harness.freePort();
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                    "-cp", System.getProperty("java.class.path"), "dev.ringway.control.Main",
                    "run", "--kubernetes", "--kubeconfig", kubeconfig.toString(), "--namespace", "apps",
                    "--admin", "127.0.0.1:" + admin, "--bind", "127.0.0.1", "--transport", "nio")
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("gateway.log").toFile()).start();
            try {
                HttpClient http = HttpClient.newHttpClient();
                await().atMost(Duration.ofSeconds(60)).until(() -> http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + admin + "/readyz")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
                await().atMost(Duration.ofSeconds(30)).until(() -> Harness.get(port, "x", "/").pod().equals("echo-a"));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    JsonNode g = Harness.get(c, "Gateway", "gateways", "apps", "gw");
                    assertThat(Harness.condition(g.path("status").path("conditions"), "Programmed"))
                            .isEqualTo("True/Programmed");
                });
                String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/metrics"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).contains("ringway_kubernetes_synced 1", "ringway_kubernetes_leader 1",
                        "ringway_config_age_seconds 0");
            } finally {
                p.destroy();
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
                System.out.println(java.nio.file.Files.readString(tmp.resolve("gateway.log")));
            }
        }
    }
}
