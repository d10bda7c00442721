package dev.ringway.conformance.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringway.conformance.cluster.ObjectKey;
import dev.ringway.conformance.fake.FakeGateway;
import dev.ringway.conformance.fake.FakeHttpEcho;
import dev.ringway.conformance.model.CaseParser;
import dev.ringway.conformance.model.ConformanceCase;
import dev.ringway.conformance.model.Json;
import dev.ringway.conformance.pods.EchoPod;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner against a fake gateway and echo pods: passes a case when the fake behaves, fails it (with what was
 * seen) when the fake misbehaves.
 */
class CaseRunnerTest {
    static final int PORT = 8080;

    @TempDir
    static Path tmp;

    static Shard shard;
    static FakeGateway gateway;
    static String port = String.valueOf(PORT);

    static final String BASE = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: infra}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gw, namespace: infra}
            spec:
              gatewayClassName: "{GATEWAY_CLASS_NAME}"
              listeners: [{name: http, port: 80, protocol: HTTP}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: backend-v1, namespace: infra}
            spec: {selector: {app: backend-v1}, ports: [{port: 8080, targetPort: 3000}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: backend-v2, namespace: infra}
            spec: {selector: {app: backend-v2}, ports: [{port: 8080, targetPort: 3000}]}
            ---
            %s
            ---
            %s
            """.formatted(deployment("backend-v1", 2), deployment("backend-v2", 1));

    static String deployment(String name, int replicas) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %1$s, namespace: infra}
                spec:
                  replicas: %2$d
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata: {labels: {app: %1$s}}
                    spec:
                      containers:
                        - name: %1$s
                          env:
                            - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
                            - {name: NAMESPACE, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
                """.formatted(name, replicas);
    }

    static final String ROUTE = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: route, namespace: infra}
            spec:
              parentRefs: [{name: gw}]
              rules: [{backendRefs: [{name: backend-v1, port: 8080}]}]
            """;

    static final String HEADER = """
            name: %s
            description: "runner test"
            profiles: [GATEWAY-HTTP]
            features: [Gateway, HTTPRoute]
            level: core
            provisional: false
            manifests: [tests/route.yaml]
            """;

    // the fake's data-plane behaviour, switched per test
    static volatile boolean wrongBackend;
    static volatile boolean dropSetHeader;
    static volatile boolean keepRemovedHeader;
    static volatile String redirectPort = "";
    static volatile double weightV1 = 0.7;
    static volatile boolean okInsteadOfFailure;
    static volatile boolean noMirror;
    static final AtomicInteger rr = new AtomicInteger();

    @BeforeAll
    static void setUp() throws Exception {
        Path api = tmp.resolve("gateway-api");
        Files.createDirectories(api.resolve("base"));
        Files.createDirectories(api.resolve("tests"));
        Files.writeString(api.resolve("base/manifests.yaml"), BASE);
        Files.writeString(api.resolve("tests/route.yaml"), ROUTE);
        int n = ThreadLocalRandom.current().nextInt(1, 250);
        Shard.Addresses addrs = new Shard.Addresses("127.10.250.0/24", 150 + ThreadLocalRandom.current().nextInt(50),
                "127.200.250.1", "192.0.2.250");
        Settings settings = Settings.defaults().withTiming(0.05, Duration.ofMillis(50), Duration.ofMillis(50));
        shard = Shard.create(0, settings, api, tmp.resolve("work"), new FakeHttpEcho(), addrs, List.of());
        gateway = new FakeGateway(shard.store().dir(), InetAddress.getByName("127.77." + n + ".1"), PORT);
        shard.attach(new AdminClient(gateway.adminUri()));
    }

    @AfterAll
    static void tearDown() {
        if (gateway != null) {
            gateway.close();
        }
        if (shard != null) {
            shard.close();
        }
    }

    static EchoPod pick(String deployment) {
        List<EchoPod> pods = shard.pods().pods("infra", deployment);
        return pods.get(Math.floorMod(rr.getAndIncrement(), pods.size()));
    }

    static FakeGateway.Action proxy(String deployment, Map<String, String> set) {
        EchoPod p = pick(deployment);
        return new FakeGateway.Proxy(p.spec().address(), 3000, set);
    }

    @BeforeEach
    void wellBehaved() {
        wrongBackend = false;
        dropSetHeader = false;
        keepRemovedHeader = false;
        redirectPort = "";
        weightV1 = 0.7;
        okInsteadOfFailure = false;
        noMirror = false;
        gateway.statusMutator = UnaryOperator.identity();
        gateway.router = req -> {
            String t = req.target();
            if (t.startsWith("/v2")) {
                return proxy("backend-v2", Map.of());
            }
            if (t.startsWith("/set")) {
                return proxy("backend-v1", dropSetHeader ? Map.of() : Map.of("X-Header-Set", "set-value"));
            }
            if (t.startsWith("/remove")) {
                Map<String, String> m = new HashMap<>();
                if (!keepRemovedHeader) {
                    m.put("X-Header-Remove", null);
                }
                return proxy("backend-v1", m);
            }
            if (t.startsWith("/redirect")) {
                String path = t.startsWith("/redirect-port") ? "/redirect-port" : "/redirect";
                String p = t.startsWith("/redirect-port") ? (redirectPort.isEmpty() ? ":8080" : redirectPort) : redirectPort;
                return new FakeGateway.Respond(302, Map.of("Location", "http://example.org" + p + path), "");
            }
            if (t.startsWith("/fail")) {
                return okInsteadOfFailure ? proxy("backend-v1", Map.of()) : new FakeGateway.Respond(500, Map.of(), "");
            }
            if (t.startsWith("/weighted")) {
                return proxy(ThreadLocalRandom.current().nextDouble() < weightV1 ? "backend-v1" : "backend-v2", Map.of());
            }
            if (t.startsWith("/mirror")) {
                if (!noMirror) {
                    EchoPod m = pick("backend-v2");
                    Thread.startVirtualThread(() -> {
                        try {
                            dev.ringway.conformance.client.Http1Client.send(new dev.ringway.conformance.client.HttpCall(
                                    dev.ringway.conformance.model.Protocol.HTTP, m.spec().address(), 3000, "GET",
                                    "mirror", t, List.of(), null, null, Duration.ofSeconds(2)));
                        } catch (Exception e) {
                            // ignore
                        }
                    });
                }
                return proxy("backend-v1", Map.of());
            }
            return proxy(wrongBackend ? "backend-v2" : "backend-v1", Map.of());
        };
    }

    static CaseResult run(String name, String steps) {
        ConformanceCase c = CaseParser.parse(Path.of(name + ".yaml"), HEADER.formatted(name) + steps.replace("PORT", port));
        return new CaseRunner(shard).run(c);
    }

    static final String ROUTE_STATUS = """
              - status:
                  - kind: Gateway
                    namespace: infra
                    name: gw
                    hasAddress: true
                    conditions: [{type: Accepted, status: "True"}]
                    listeners: [{name: http, attachedRoutes: 1, supportedKinds: [{kind: HTTPRoute}], conditions: [{type: Programmed, status: "True"}]}]
                  - kind: HTTPRoute
                    namespace: infra
                    name: route
                    latestObservedGeneration: true
                    parents:
                      - parentRef: {group: gateway.networking.k8s.io, kind: Gateway, name: gw, namespace: infra}
                        controllerName: "{GATEWAY_CONTROLLER_NAME}"
                        conditions: [{type: Accepted, status: "True", reason: Accepted}, {type: ResolvedRefs, status: "True"}]
            """;

    static final String REQUESTS = """
              - requests:
                  gateway: infra/gw
                  port: PORT
                  protocol: http
                  cases:
                    - request: {path: /}
                      expect: {status: 200, backend: backend-v1, namespace: infra, backendRequest: {method: GET, path: /}}
                    - request: {path: /v2/x, host: v2.example, headers: {X-A: a}}
                      expect: {backend: backend-v2, namespace: infra}
                    - request: {path: /set, headers: {X-Header-Set: original}}
                      expect: {backend: backend-v1, namespace: infra, backendRequest: {path: /set, headers: {X-Header-Set: set-value}}}
                    - request: {path: /remove, headers: {X-Header-Remove: x}}
                      expect: {backend: backend-v1, namespace: infra, backendRequest: {path: /remove, absentHeaders: [X-Header-Remove]}}
                    - request: {path: /redirect}
                      expect: {status: 302, redirect: {scheme: http, host: example.org, path: /redirect}}
                    - request: {path: /redirect-port}
                      expect: {status: 302, redirect: {scheme: http, host: example.org, port: 8080, path: /redirect-port}}
                    - request: {path: /fail}
                      expect: {httpFailure: true}
                    - request: {path: /echo, echoSetResponseHeaders: {X-Resp: v1}}
                      expect: {namespace: infra, responseHeaders: {X-Resp: v1}, absentResponseHeaders: [X-Other]}
                    - request: {path: "/mirror?id={uuid}"}
                      expect: {backend: backend-v1, namespace: infra, mirroredTo: [{backend: backend-v2, namespace: infra}]}
            """;

    static final String WEIGHTS = """
              - weights:
                  gateway: infra/gw
                  port: PORT
                  protocol: http
                  request: {path: /weighted}
                  expect: {namespace: infra}
                  jitter: {name: X-Jitter, probability: 0.5, values: 0-9999}
                  samples: 300
                  concurrency: 10
                  attempts: 3
                  expected: {backend-v1: 0.7, backend-v2: 0.3}
                  tolerance: 0.08
            """;

    @Test
    void passesWhenTheGatewayBehaves() {
        CaseResult r = run("Good", "steps:\n  - namespacesReady: [infra]\n" + ROUTE_STATUS + REQUESTS + WEIGHTS + """
                  - patch: {kind: HTTPRoute, namespace: infra, name: route, mergePatch: {spec: {hostnames: [a.example]}}}
                  - status:
                      - kind: HTTPRoute
                        namespace: infra
                        name: route
                        latestObservedGeneration: true
                        generationChanged: true
                        parents: [{parentRef: {name: gw, namespace: infra}, conditions: [{type: Accepted, status: "True"}]}]
                """);
        assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.PASSED);
    }

    private static void assertFails(CaseResult r, int step, String... fragments) {
        assertThat(r.outcome()).as("outcome").isEqualTo(Outcome.FAILED);
        assertThat(r.failedStep()).as(r.message()).isEqualTo(step);
        for (String f : fragments) {
            assertThat(r.message()).contains(f);
        }
    }

    @Test
    void failsOnWrongBackend() {
        wrongBackend = true;
        assertFails(run("WrongBackend", "steps:\n" + REQUESTS), 1, "case 1", "expected backend backend-v1",
                "answered by pod backend-v2-");
    }

    @Test
    void failsOnMissingHeader() {
        dropSetHeader = true;
        assertFails(run("MissingHeader", "steps:\n" + REQUESTS), 1, "case 3", "header X-Header-Set expected 'set-value'",
                "echoed 'original'");
    }

    @Test
    void failsOnExtraHeader() {
        keepRemovedHeader = true;
        assertFails(run("ExtraHeader", "steps:\n" + REQUESTS), 1, "case 4", "X-Header-Remove must be absent");
    }

    @Test
    void failsOnRedirectPort() {
        redirectPort = ":8081";
        assertFails(run("RedirectPort", "steps:\n" + REQUESTS), 1, "case 5",
                "no port (or the scheme's default) expected, Location http://example.org:8081/redirect");
        redirectPort = ":80";
        CaseResult r = run("RedirectDefaultPort", "steps:\n" + REQUESTS);
        assertFails(r, 1, "case 6", "port expected 8080, Location http://example.org:80/redirect-port");
    }

    @Test
    void failsWhenFailureExpectedButOk() {
        okInsteadOfFailure = true;
        assertFails(run("NoFailure", "steps:\n" + REQUESTS), 1, "case 7", "expected a failure, got 200");
    }

    @Test
    void failsWithoutMirror() {
        noMirror = true;
        assertFails(run("NoMirror", "steps:\n" + REQUESTS), 1, "case 9", "mirroredTo: no request to /mirror?id=");
    }

    @Test
    void failsOnWrongWeights() {
        weightV1 = 0.5;
        assertFails(run("Weights", "steps:\n" + WEIGHTS), 1, "no run within tolerance", "backend-v1 got 0.");
        weightV1 = 1.0;
        assertFails(run("WeightsOne", "steps:\n" + WEIGHTS), 1, "1 backends received traffic");
    }

    @Test
    void failsOnWrongConditionReason() {
        gateway.statusMutator = item -> {
            if ("HTTPRoute".equals(Json.text(item, "kind"))) {
                ((ObjectNode) item.at("/status/parents/0/conditions/0")).put("reason", "Pending");
            }
            return item;
        };
        assertFails(run("WrongReason", "steps:\n" + ROUTE_STATUS), 1, "HTTPRoute infra/route",
                "expected Accepted=True/Accepted, got [Accepted=True/Pending, ResolvedRefs=True/ResolvedRefs]");
    }

    @Test
    void failsOnStaleObservedGeneration() {
        gateway.statusMutator = item -> {
            long gen = item.at("/metadata/generation").asLong();
            if ("HTTPRoute".equals(Json.text(item, "kind")) && gen > 1) {
                item.at("/status/parents/0/conditions").forEach(c -> ((ObjectNode) c).put("observedGeneration", gen - 1));
            }
            return item;
        };
        CaseResult r = run("Stale", "steps:\n" + ROUTE_STATUS + """
                  - patch: {kind: HTTPRoute, namespace: infra, name: route, mergePatch: {spec: {hostnames: [b.example]}}}
                  - status:
                      - kind: HTTPRoute
                        namespace: infra
                        name: route
                        latestObservedGeneration: true
                        generationChanged: true
                """);
        assertFails(r, 3, "stale status", "observedGeneration 1, object generation is 2");
    }

    @Test
    void failsWhenStatusReportsAnOldGeneration() {
        gateway.statusMutator = item -> {
            if ("Gateway".equals(Json.text(item, "kind"))) {
                ((ObjectNode) item.get("metadata")).put("generation", 1);
                item.at("/status/conditions").forEach(c -> ((ObjectNode) c).put("observedGeneration", 1));
            }
            return item;
        };
        CaseResult r = run("OldGen", """
                steps:
                  - patch: {kind: Gateway, namespace: infra, name: gw, mergePatch: {spec: {listeners: [{name: http, port: 80, protocol: HTTP, hostname: x.example}]}}}
                  - status: [{kind: Gateway, namespace: infra, name: gw, latestObservedGeneration: true}]
                """);
        assertFails(r, 2, "listed at generation 1, the runner wrote generation");
        // the base Gateway was restored: its spec is the manifest's again
        JsonNode gw = shard.cluster().get(new ObjectKey("Gateway", "infra", "gw"));
        assertThat(gw.at("/spec/listeners/0/hostname").isMissingNode()).isTrue();
    }

    @Test
    void failsOnAttachedRoutesAndMissingListener() {
        gateway.statusMutator = item -> {
            if ("Gateway".equals(Json.text(item, "kind"))) {
                ((ObjectNode) item.at("/status/listeners/0")).put("attachedRoutes", 0);
            }
            return item;
        };
        assertFails(run("Attached", "steps:\n" + ROUTE_STATUS), 1, "listener http: attachedRoutes expected 1, got 0");
    }

    @Test
    void noAcceptedParentsAndZeroRoutes() {
        gateway.statusMutator = item -> {
            if ("HTTPRoute".equals(Json.text(item, "kind"))) {
                ObjectNode c = (ObjectNode) item.at("/status/parents/0/conditions/0");
                c.put("status", "False").put("reason", "NotAllowedByListeners");
            }
            if ("Gateway".equals(Json.text(item, "kind"))) {
                ((ObjectNode) item.at("/status/listeners/0")).put("attachedRoutes", 0);
            }
            return item;
        };
        String steps = """
                steps:
                  - status:
                      - kind: HTTPRoute
                        namespace: infra
                        name: route
                        noAcceptedParents: true
                        parents: [{parentRef: {name: gw, namespace: infra}, conditions: [{type: Accepted, status: "False", reason: NotAllowedByListeners}]}]
                      - {kind: Gateway, namespace: infra, name: gw, zeroRoutes: true}
                """;
        CaseResult r = run("NoAccepted", steps);
        assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.PASSED);
        gateway.statusMutator = UnaryOperator.identity();
        assertFails(run("NoAccepted2", steps), 1, "noAcceptedParents");
    }

    @Test
    void cleanupDeletesCreatedObjectsAndRestoresPatchedOnes() throws Exception {
        JsonNode before = shard.cluster().get(new ObjectKey("Gateway", "infra", "gw"));
        CaseResult r = run("Cleanup", """
                steps:
                  - create: {apiVersion: v1, kind: ConfigMap, metadata: {name: made, namespace: infra}, data: {a: b}}
                  - create:
                      apiVersion: v1
                      kind: ConfigMap
                      metadata: {name: copy, namespace: infra}
                      data: {a: {valueFrom: {configMap: infra/made, key: a}}}
                  - patch: {kind: Gateway, namespace: infra, name: gw, mergePatch: {spec: {listeners: [{name: other, port: 81, protocol: HTTP}]}}}
                  - delete: {kind: Service, namespace: infra, name: backend-v2}
                  - note: "a manual check"
                """);
        assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.MANUAL);
        assertThat(shard.cluster().exists(new ObjectKey("ConfigMap", "infra", "made"))).isFalse();
        assertThat(shard.cluster().exists(new ObjectKey("HTTPRoute", "infra", "route"))).isFalse();
        assertThat(Files.exists(shard.store().fileOf(new ObjectKey("HTTPRoute", "infra", "route")))).isFalse();
        assertThat(shard.cluster().get(new ObjectKey("Gateway", "infra", "gw")).get("spec")).isEqualTo(before.get("spec"));
        assertThat(shard.cluster().exists(new ObjectKey("Service", "infra", "backend-v2"))).isTrue();
        assertThat(shard.cluster().list("EndpointSlice", "infra")).hasSize(2);
    }

    @Test
    void createdObjectsResolveValueFrom() {
        CaseResult r = run("ValueFrom", """
                steps:
                  - create: {apiVersion: v1, kind: ConfigMap, metadata: {name: made, namespace: infra}, data: {a: b}}
                  - create:
                      apiVersion: v1
                      kind: ConfigMap
                      metadata: {name: copy, namespace: infra}
                      data: {a: {valueFrom: {configMap: infra/made, key: a}}}
                  - status: [{kind: GatewayClass, name: "{GATEWAY_CLASS_NAME}", conditions: [{type: Accepted, status: "True"}]}]
                """);
        assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.PASSED);
    }

    @Test
    void notRunWhenAnEchoKindIsMissing() {
        CaseResult r = run("Grpc", """
                steps:
                  - requests:
                      gateway: infra/gw
                      port: 80
                      protocol: grpc
                      cases: [{request: {grpcService: s, grpcMethod: m}, expect: {grpcCode: OK}}]
                """);
        assertThat(r.outcome()).isEqualTo(Outcome.NOT_RUN);
        assertThat(r.message()).contains("GRPC");
    }

    @Test
    void repeatFailsAtOnceOnAWrongAnswer() {
        wrongBackend = true;
        CaseResult r = run("Repeat", """
                steps:
                  - requests:
                      gateway: infra/gw
                      port: PORT
                      protocol: http
                      cases: [{request: {path: /}, expect: {backend: backend-v1, namespace: infra}, repeat: 5, eventually: false}]
                """);
        assertFails(r, 1, "request 1 of 5", "expected backend backend-v1");
        assertThat(r.durationMillis()).isLessThan(5000);
    }

    @Test
    void connectionErrorExpectation() {
        CaseResult r = run("ConnErr", """
                steps:
                  - requests:
                      gateway: infra/gw
                      port: PORT
                      protocol: http
                      cases: [{request: {path: /}, expect: {connectionError: true}, eventually: false}]
                """);
        assertFails(r, 1, "expected a connection error, got HTTP 200");
    }
}
