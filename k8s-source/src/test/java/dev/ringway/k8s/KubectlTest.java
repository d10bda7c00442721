package dev.ringway.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ringway.control.cli.DemoPlan;
import dev.ringway.control.cli.EchoBackends;
import dev.ringway.control.cli.ValidateCommand;
import dev.ringway.control.spi.CliExtension;
import dev.ringway.core.model.Resource;
import dev.ringway.core.parse.ManifestParser;
import dev.ringway.core.parse.ParsedObject;
import dev.ringway.k8s.sandbox.SandboxApiServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real {@code kubectl} against the sandbox API server: the seed article's manifests
 * ({@code examples/quickstart}) applied with {@code kubectl apply -f}, Ringway (configured from the
 * same kubeconfig) routes them and writes statuses that {@code kubectl get} shows; the deployment
 * manifests of {@code docker/} pass {@code kubectl apply --dry-run=client}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubectlTest {
    static final Path ROOT = Path.of(System.getProperty("ringway.root", ".."));
    static final Duration WAIT = Duration.ofSeconds(40);

    SandboxApiServer api;
    Path kubeconfig;

    @BeforeAll
    void start(@TempDir Path tmp) throws IOException {
        api = SandboxApiServer.start();
        kubeconfig = tmp.resolve("kubeconfig");
        api.writeKubeconfig(kubeconfig);
    }

    @AfterAll
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    static String kubectlPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, "kubectl");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        assertThat(Path.of("/usr/bin/kubectl")).as("the real kubectl is needed for this test").isExecutable();
        return "/usr/bin/kubectl";
    }

    record Out(int code, String text) {
    }

    Out kubectl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(kubectlPath(), "--kubeconfig", kubeconfig.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        System.out.println("$ kubectl " + String.join(" ", args) + "\n" + out);
        return new Out(p.exitValue(), out);
    }

    @Test
    void applySeedManifestsAndSeeStatuses(@TempDir Path dir) throws Exception {
        // the quickstart as written, except two machine-local details: a free listener port instead of
        // 8080, and backend addresses moved off 127.0.1.x (other tests use those)
        int port = Harness.freePort();
        Path quickstart = ROOT.resolve("examples/quickstart");
        for (Path f : ValidateCommand.manifestFiles(quickstart)) {
            String text = Files.readString(f).replace("port: 8080\n    hostname", "port: " + port + "\n    hostname")
                    .replace("127.0.1.", "127.0.73.");
            Files.writeString(dir.resolve(f.getFileName()), text);
        }
        assertThat(Files.readString(dir.resolve("00-gateway.yaml"))).contains("port: " + port);
        List<Resource> resources = new ArrayList<>();
        ManifestParser parser = ManifestParser.create();
        for (Path f : ValidateCommand.manifestFiles(dir)) {
            parser.parse(f).objects().stream().map(ParsedObject::resource).forEach(resources::add);
        }
        // Ringway configured the way `run --kubernetes --kubeconfig FILE` configures it
        KubernetesSettings settings = KubernetesSettings.from(new CliExtension.KubernetesOptions(kubeconfig, List.of(),
                Harness.CONTROLLER, null, "kubectl-test"));
        try (EchoBackends backends = EchoBackends.start(DemoPlan.from(resources, "127.0.0.1").backends());
             Harness.Replica gw = Harness.gateway(settings, new dev.ringway.core.translate.TranslatorOptions.AddressPolicy
                     .Bind("127.0.0.1"))) {
            Out applied = kubectl("apply", "-f", dir.toString());
            assertThat(applied.code()).isZero();
            assertThat(applied.text()).contains("gateway.gateway.networking.k8s.io/main-gateway created",
                    "httproute.gateway.networking.k8s.io/api-routes created", "namespace/api-team created");

            await().atMost(WAIT).until(() -> Harness.get(port, "api.example.com", "/api/v2/x").status() == 200);
            assertThat(QuickstartReply.backend(Harness.get(port, "api.example.com", "/api/v2/users"))).isIn(
                    "api-stable", "api-canary");

            // statuses as kubectl shows them: the Gateway's printer columns, the routes' conditions
            await().atMost(WAIT).untilAsserted(() -> {
                Out get = kubectl("get", "gateways,httproutes", "-A");
                assertThat(get.code()).isZero();
                assertThat(get.text()).containsPattern("main-gateway\\s+production-gateway\\s+127\\.0\\.0\\.1\\s+True");
                assertThat(get.text()).contains("api-routes", "canary-rollout", "blue-green");
                Out routes = kubectl("get", "httproutes", "-A", "-o",
                        "custom-columns=NAME:.metadata.name,ACCEPTED:.status.parents[*].conditions[?(@.type==\"Accepted\")].status,"
                                + "RESOLVED:.status.parents[*].conditions[?(@.type==\"ResolvedRefs\")].status,"
                                + "CONTROLLER:.status.parents[*].controllerName");
                assertThat(routes.text().lines().skip(1).toList()).hasSize(6)
                        .allMatch(l -> l.matches("\\S+\\s+True\\s+True\\s+ringway.dev/gateway-controller"));
            });
            Out gc = kubectl("get", "gatewayclass");
            assertThat(gc.text()).containsPattern("production-gateway\\s+ringway.dev/gateway-controller\\s+True");
            Out describe = kubectl("describe", "httproute", "api-routes", "-n", "api-team");
            assertThat(describe.code()).isZero();
            assertThat(describe.text()).contains("Controller Name:", "ringway.dev/gateway-controller", "Accepted");
            Out yaml = kubectl("get", "gateway", "main-gateway", "-n", "infrastructure", "-o", "yaml");
            JsonNode gateway = new ObjectMapper(new YAMLFactory()).readTree(yaml.text());
            assertThat(gateway.path("status").path("listeners").get(0).path("attachedRoutes").asInt()).isEqualTo(6);

            // applying again changes nothing; status writes stay put
            long writes = ResilienceTest.settle(api, Duration.ofSeconds(2));
            Out again = kubectl("apply", "-f", dir.toString());
            assertThat(again.code()).isZero();
            assertThat(again.text()).doesNotContain("configured").contains("unchanged");
            Thread.sleep(1500);
            assertThat(api.statusWrites()).isEqualTo(writes);

            // an edited manifest applied again: routed accordingly
            Files.writeString(dir.resolve("10-api-routes.yaml"), Files.readString(dir.resolve("10-api-routes.yaml"))
                    .replace("value: /health", "value: /healthz"));
            assertThat(kubectl("apply", "-f", dir.resolve("10-api-routes.yaml").toString()).text())
                    .contains("api-routes configured");
            await().atMost(WAIT).until(() -> Harness.get(port, "api.example.com", "/healthz").status() == 200);
            await().atMost(WAIT).untilAsserted(() -> assertThat(kubectl("get", "httproute", "api-routes", "-n", "api-team",
                    "-o", "jsonpath={.status.parents[0].conditions[0].observedGeneration}").text().trim()).isEqualTo("2"));

            // deleted with kubectl
            assertThat(kubectl("delete", "-f", dir.resolve("30-query-and-method.yaml").toString()).code()).isZero();
            await().atMost(WAIT).until(() -> Harness.get(port, "query.example.com", "/?version=beta").status() == 404);
        }
    }

    /** The quickstart's backends are named like Deployments: the pod name without its last two parts. */
    static final class QuickstartReply {
        static String backend(Harness.Reply r) {
            String[] parts = r.pod().split("-");
            return parts.length < 3 ? r.pod() : String.join("-", List.of(parts).subList(0, parts.length - 2));
        }
    }

    @Test
    void deploymentManifestsPassDryRunAndAreLeastPrivilege() throws Exception {
        Path docker = ROOT.resolve("docker");
        Out dry = kubectl("apply", "--dry-run=client", "-f", docker.toString());
        assertThat(dry.code()).as(dry.text()).isZero();
        assertThat(dry.text()).contains("namespace/ringway-system created (dry run)",
                "clusterrole.rbac.authorization.k8s.io/ringway created (dry run)",
                "gatewayclass.gateway.networking.k8s.io/ringway created (dry run)",
                "deployment.apps/ringway created (dry run)", "daemonset.apps/ringway-edge created (dry run)");

        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<JsonNode> docs = new ArrayList<>();
        try (var files = Files.list(docker)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (var it = yaml.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(f))) {
                    while (it.hasNext()) {
                        docs.add(it.next());
                    }
                }
            }
        }
        JsonNode role = docs.stream().filter(d -> d.path("kind").asText().equals("ClusterRole")).findFirst().orElseThrow();
        Set<String> readable = new HashSet<>();
        Set<String> writable = new HashSet<>();
        for (JsonNode rule : role.path("rules")) {
            List<String> verbs = new ArrayList<>();
            rule.path("verbs").forEach(v -> verbs.add(v.asText()));
            for (JsonNode group : rule.path("apiGroups")) {
                for (JsonNode res : rule.path("resources")) {
                    String key = group.asText() + "/" + res.asText();
                    if (verbs.containsAll(List.of("get", "list", "watch"))) {
                        readable.add(key);
                    }
                    if (verbs.stream().anyMatch(v -> !List.of("get", "list", "watch").contains(v))) {
                        writable.add(key);
                    }
                }
            }
        }
        for (ApiKind k : ApiKinds.ALL) {
            assertThat(readable).as("read " + k.kind()).contains(k.group() + "/" + k.plural());
            if (k.statusSubresource()) {
                assertThat(writable).as("write " + k.kind() + " status").contains(k.group() + "/" + k.plural() + "/status");
            }
        }
        assertThat(writable).as("only status subresources are written").allMatch(r -> r.endsWith("/status"));
        JsonNode leaseRole = docs.stream().filter(d -> d.path("kind").asText().equals("Role")).findFirst().orElseThrow();
        assertThat(leaseRole.path("rules")).hasSize(1);
        assertThat(leaseRole.path("rules").get(0).path("resources").get(0).asText()).isEqualTo("leases");

        JsonNode ds = docs.stream().filter(d -> d.path("kind").asText().equals("DaemonSet")).findFirst().orElseThrow();
        JsonNode pod = ds.path("spec").path("template").path("spec");
        assertThat(pod.path("hostNetwork").asBoolean()).isTrue();
        assertThat(pod.path("nodeSelector").size()).isPositive();
        JsonNode caps = pod.path("containers").get(0).path("securityContext").path("capabilities");
        assertThat(caps.path("drop").get(0).asText()).isEqualTo("ALL");
        assertThat(caps.path("add").get(0).asText()).isEqualTo("NET_BIND_SERVICE");
        // the containers' arguments are a valid Ringway command line
        for (JsonNode d : docs) {
            if (d.path("kind").asText().equals("Deployment") || d.path("kind").asText().equals("DaemonSet")) {
                List<String> args = new ArrayList<>();
                d.path("spec").path("template").path("spec").path("containers").get(0).path("args")
                        .forEach(a -> args.add(a.asText()));
                assertThat(args).startsWith("run", "--kubernetes");
                dev.ringway.control.Main.commandLine().parseArgs(args.toArray(String[]::new));
            }
        }
    }
}
