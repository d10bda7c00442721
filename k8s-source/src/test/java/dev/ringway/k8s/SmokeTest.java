package dev.ringway.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringway.io.echo.HttpEchoServer;
import dev.ringway.k8s.sandbox.SandboxApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SmokeTest {
    @Test
    void routesAndWritesStatus() throws Exception {
        try (SandboxApiServer api = SandboxApiServer.start(); KubernetesClient c = api.client();
             Harness.Echoes echoes = new Harness.Echoes()) {
            HttpEchoServer a = echoes.start("echo-a", "apps");
            int port = Harness.freePort();
            Harness.apply(c, """
                    apiVersion: v1
                    kind: Namespace
                    metadata: {name: apps}
                    ---
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: GatewayClass
                    metadata: {name: ringway}
                    spec: {controllerName: %s}
                    ---
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: Gateway
                    metadata: {name: gw, namespace: apps}
                    spec:
                      gatewayClassName: ringway
                      listeners: [{name: http, protocol: HTTP, port: %d}]
                    ---
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: HTTPRoute
                    metadata: {name: web, namespace: apps}
                    spec:
                      parentRefs: [{name: gw}]
                      rules: [{backendRefs: [{name: web, port: 80}]}]
                    """.formatted(Harness.CONTROLLER, port) + "---\n" + Harness.backend("apps", "web", 80, a));
            try (Harness.Replica gw = Harness.gateway(api, "replica-1")) {
                await().atMost(Duration.ofSeconds(20)).until(() -> Harness.get(port, "x", "/").status() == 200);
                assertThat(Harness.get(port, "x", "/").pod()).isEqualTo("echo-a");
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    JsonNode g = Harness.get(c, "Gateway", "gateways", "apps", "gw");
                    assertThat(Harness.condition(g.path("status").path("conditions"), "Programmed")).isEqualTo("True/Programmed");
                    JsonNode r = Harness.get(c, "HTTPRoute", "httproutes", "apps", "web");
                    assertThat(Harness.ourParent(r)).isNotNull();
                    assertThat(Harness.condition(Harness.ourParent(r).path("conditions"), "Accepted")).isEqualTo("True/Accepted");
                });
                System.out.println(Harness.get(c, "Gateway", "gateways", "apps", "gw").toPrettyString());
                System.out.println("status writes: " + api.statusWrites());
            }
        }
    }
}
