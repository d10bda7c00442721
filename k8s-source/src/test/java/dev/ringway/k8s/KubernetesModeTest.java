package dev.ringway.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringway.io.echo.HttpEchoServer;
import dev.ringway.k8s.sandbox.SandboxApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import static dev.ringway.k8s.Harness.condition;
import static dev.ringway.k8s.Harness.ourParent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kubernetes mode against the sandbox API server (fabric8's mock in CRUD mode with the Gateway API CRDs
 * registered): every kind is created, updated and deleted through the API; the gateway routes real HTTP
 * traffic to echo backends accordingly and writes the expected statuses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubernetesModeTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    SandboxApiServer api;
    KubernetesClient c;
    Harness.Echoes echoes;
    HttpEchoServer echoA;
    HttpEchoServer echoB;
    Harness.Replica gateway;

    @BeforeAll
    void start() throws Exception {
        api = SandboxApiServer.start();
        c = api.client();
        echoes = new Harness.Echoes();
        echoA = echoes.start("echo-a", "apps");
        echoB = echoes.start("echo-b", "apps");
        Harness.apply(c, """
                apiVersion: gateway.networking.k8s.io/v1
                kind: GatewayClass
                metadata: {name: ringway}
                spec: {controllerName: %s}
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: GatewayClass
                metadata: {name: someone-else}
                spec: {controllerName: example.com/other-controller}
                """.formatted(Harness.CONTROLLER));
        gateway = Harness.gateway(api, "replica-1");
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (echoes != null) {
            echoes.close();
        }
        if (c != null) {
            c.close();
        }
        if (api != null) {
            api.close();
        }
    }

    JsonNode gw(String kind, String plural, String ns, String name) {
        return Harness.get(c, kind, plural, ns, name);
    }

    static String gatewayYaml(String ns, String name, String listeners) {
        return """
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: %s, namespace: %s}
                spec:
                  gatewayClassName: ringway
                  listeners:
                %s""".formatted(name, ns, listeners.indent(2));
    }

    @Test
    void gatewayRouteNamespaceServiceAndSliceLifecycle() throws Exception {
        int port = Harness.freePort();
        int port2 = Harness.freePort();
        Harness.apply(c, """
                apiVersion: v1
                kind: Namespace
                metadata: {name: web, labels: {gateway-access: "true"}}
                """ + "---\n" + gatewayYaml("web", "gw", """
                - name: http
                  protocol: HTTP
                  port: %d
                  allowedRoutes:
                    namespaces:
                      from: Selector
                      selector: {matchLabels: {gateway-access: "true"}}
                """.formatted(port)) + "---\n" + """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: web, namespace: web}
                spec:
                  parentRefs: [{name: gw}]
                  hostnames: [web.example.com]
                  rules:
                  - backendRefs: [{name: svc-a, port: 80}]
                """ + "---\n" + Harness.backend("web", "svc-a", 80, echoA)
                + "---\n" + Harness.backend("web", "svc-b", 80, echoB));

        // created: traffic flows, statuses written
        await().atMost(WAIT).until(() -> Harness.get(port, "web.example.com", "/").pod().equals("echo-a"));
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode cls = gw("GatewayClass", "gatewayclasses", null, "ringway");
            assertThat(condition(cls.path("status").path("conditions"), "Accepted")).isEqualTo("True/Accepted");
            JsonNode g = gw("Gateway", "gateways", "web", "gw");
            assertThat(condition(g.path("status").path("conditions"), "Programmed")).isEqualTo("True/Programmed");
            assertThat(g.path("status").path("listeners").get(0).path("attachedRoutes").asInt()).isEqualTo(1);
            JsonNode p = ourParent(gw("HTTPRoute", "httproutes", "web", "web"));
            assertThat(p).isNotNull();
            assertThat(condition(p.path("conditions"), "Accepted")).isEqualTo("True/Accepted");
            assertThat(condition(p.path("conditions"), "ResolvedRefs")).isEqualTo("True/ResolvedRefs");
            assertThat(p.path("conditions").get(0).path("observedGeneration").asLong()).isEqualTo(1);
        });

        // HTTPRoute updated: a second rule to svc-b; observedGeneration follows the generation
        Harness.apply(c, """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: web, namespace: web}
                spec:
                  parentRefs: [{name: gw}]
                  hostnames: [web.example.com]
                  rules:
                  - matches: [{path: {type: PathPrefix, value: /b}}]
                    backendRefs: [{name: svc-b, port: 80}]
                  - backendRefs: [{name: svc-a, port: 80}]
                """);
        await().atMost(WAIT).until(() -> Harness.get(port, "web.example.com", "/b/x").pod().equals("echo-b"));
        assertThat(Harness.get(port, "web.example.com", "/").pod()).isEqualTo("echo-a");
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode r = gw("HTTPRoute", "httproutes", "web", "web");
            assertThat(r.path("metadata").path("generation").asLong()).isEqualTo(2);
            assertThat(ourParent(r).path("conditions").get(0).path("observedGeneration").asLong()).isEqualTo(2);
        });

        // EndpointSlice updated: svc-a's endpoint moves to echo-b
        Harness.apply(c, """
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: svc-a-0
                  namespace: web
                  labels: {kubernetes.io/service-name: svc-a}
                addressType: IPv4
                ports: [{name: http, port: %d}]
                endpoints:
                - addresses: ["127.0.0.1"]
                  conditions: {ready: true}
                """.formatted(echoB.httpAddress().getPort()));
        await().atMost(WAIT).until(() -> Harness.get(port, "web.example.com", "/").pod().equals("echo-b"));

        // Namespace updated: the label the listener selects is gone, the route is not allowed any more
        Harness.apply(c, """
                apiVersion: v1
                kind: Namespace
                metadata: {name: web, labels: {gateway-access: "no"}}
                """);
        await().atMost(WAIT).until(() -> Harness.get(port, "web.example.com", "/").status() == 404);
        await().atMost(WAIT).untilAsserted(() -> assertThat(condition(
                ourParent(gw("HTTPRoute", "httproutes", "web", "web")).path("conditions"), "Accepted"))
                .isEqualTo("False/NotAllowedByListeners"));
        Harness.apply(c, """
                apiVersion: v1
                kind: Namespace
                metadata: {name: web, labels: {gateway-access: "true"}}
                """);
        await().atMost(WAIT).until(() -> Harness.get(port, "web.example.com", "/").status() == 200);

        // Gateway updated: the listener moves to another port
        Harness.apply(c, gatewayYaml("web", "gw", """
                - name: http
                  protocol: HTTP
                  port: %d
                  allowedRoutes:
                    namespaces:
                      from: Selector
                      selector: {matchLabels: {gateway-access: "true"}}
                """.formatted(port2)));
        await().atMost(WAIT).until(() -> Harness.get(port2, "web.example.com", "/").status() == 200);
        await().atMost(WAIT).until(() -> Harness.get(port, "web.example.com", "/").status() == -1);
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode g = gw("Gateway", "gateways", "web", "gw");
            assertThat(g.path("metadata").path("generation").asLong()).isEqualTo(2);
            assertThat(g.path("status").path("conditions").get(0).path("observedGeneration").asLong()).isEqualTo(2);
        });

        // EndpointSlice deleted: no endpoint left for svc-a
        c.resources(io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice.class).inNamespace("web")
                .withName("svc-a-0").delete();
        await().atMost(WAIT).until(() -> Harness.get(port2, "web.example.com", "/").status() >= 500);
        // Service deleted: the backend is not found
        c.services().inNamespace("web").withName("svc-a").delete();
        await().atMost(WAIT).untilAsserted(() -> assertThat(condition(
                ourParent(gw("HTTPRoute", "httproutes", "web", "web")).path("conditions"), "ResolvedRefs"))
                .isEqualTo("False/BackendNotFound"));
        assertThat(Harness.get(port2, "web.example.com", "/b").pod()).isEqualTo("echo-b");

        // HTTPRoute deleted: nothing matches; Gateway deleted: nothing listens
        c.genericKubernetesResources(Harness.gatewayApi("HTTPRoute", "httproutes")).inNamespace("web").withName("web")
                .delete();
        await().atMost(WAIT).until(() -> Harness.get(port2, "web.example.com", "/b").status() == 404);
        await().atMost(WAIT).untilAsserted(() -> assertThat(gw("Gateway", "gateways", "web", "gw").path("status")
                .path("listeners").get(0).path("attachedRoutes").asInt()).isZero());
        c.genericKubernetesResources(Harness.gatewayApi("Gateway", "gateways")).inNamespace("web").withName("gw")
                .delete();
        await().atMost(WAIT).until(() -> Harness.get(port2, "web.example.com", "/").status() == -1);
    }

    @Test
    void referenceGrantLifecycle() {
        int port = Harness.freePort0();
        Harness.apply(c, """
                apiVersion: v1
                kind: Namespace
                metadata: {name: front}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: back}
                """ + "---\n" + gatewayYaml("front", "gw", """
                - {name: http, protocol: HTTP, port: %d}
                """.formatted(port)) + "---\n" + """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: cross, namespace: front}
                spec:
                  parentRefs: [{name: gw}]
                  rules: [{backendRefs: [{name: svc, namespace: back, port: 80}]}]
                """ + "---\n" + Harness.backend("back", "svc", 80, echoA));
        await().atMost(WAIT).untilAsserted(() -> assertThat(condition(
                ourParent(gw("HTTPRoute", "httproutes", "front", "cross")).path("conditions"), "ResolvedRefs"))
                .isEqualTo("False/RefNotPermitted"));
        assertThat(Harness.get(port, "x", "/").status()).isGreaterThanOrEqualTo(500);

        String grant = """
                apiVersion: gateway.networking.k8s.io/v1
                kind: ReferenceGrant
                metadata: {name: allow-front, namespace: back}
                spec:
                  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: front}]
                  to: [{group: "", kind: %s}]
                """;
        Harness.apply(c, grant.formatted("Service"));
        await().atMost(WAIT).until(() -> Harness.get(port, "x", "/").pod().equals("echo-a"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(condition(
                ourParent(gw("HTTPRoute", "httproutes", "front", "cross")).path("conditions"), "ResolvedRefs"))
                .isEqualTo("True/ResolvedRefs"));

        Harness.apply(c, grant.formatted("Secret")); // updated: grants something else
        await().atMost(WAIT).until(() -> Harness.get(port, "x", "/").status() >= 500);

        Harness.apply(c, grant.formatted("Service"));
        await().atMost(WAIT).until(() -> Harness.get(port, "x", "/").pod().equals("echo-a"));
        c.genericKubernetesResources(Harness.gatewayApi("ReferenceGrant", "referencegrants")).inNamespace("back")
                .withName("allow-front").delete();
        await().atMost(WAIT).untilAsserted(() -> assertThat(condition(
                ourParent(gw("HTTPRoute", "httproutes", "front", "cross")).path("conditions"), "ResolvedRefs"))
                .isEqualTo("False/RefNotPermitted"));
    }

    @Test
    void secretsAndConfigMapsAreReadWhenReferenced() throws Exception {
        int port = Harness.freePort0();
        TestCerts.Pem one = TestCerts.selfSigned("secure.example.com");
        TestCerts.Pem two = TestCerts.selfSigned("secure.example.com");
        Harness.apply(c, """
                apiVersion: v1
                kind: Namespace
                metadata: {name: tls}
                """ + "---\n" + gatewayYaml("tls", "gw", """
                - name: https
                  protocol: HTTPS
                  port: %d
                  hostname: secure.example.com
                  tls: {mode: Terminate, certificateRefs: [{name: cert}]}
                """.formatted(port)) + "---\n" + """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: web, namespace: tls}
                spec:
                  parentRefs: [{name: gw}]
                  rules: [{backendRefs: [{name: svc, port: 80}]}]
                """ + "---\n" + Harness.backend("tls", "svc", 80, echoA) + """
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: unreferenced, namespace: tls}
                type: Opaque
                data: {k: dmFsdWU=}
                """);
        // the Secret is missing
        await().atMost(WAIT).untilAsserted(() -> assertThat(condition(gw("Gateway", "gateways", "tls", "gw")
                .path("status").path("listeners").get(0).path("conditions"), "ResolvedRefs"))
                .isEqualTo("False/InvalidCertificateRef"));
        String secret = """
                apiVersion: v1
                kind: Secret
                metadata: {name: cert, namespace: tls}
                type: kubernetes.io/tls
                data:
                  tls.crt: %s
                  tls.key: %s
                """;
        Harness.apply(c, secret.formatted(one.certB64(), one.keyB64()));
        await().atMost(WAIT).untilAsserted(() -> assertThat(condition(gw("Gateway", "gateways", "tls", "gw")
                .path("status").path("listeners").get(0).path("conditions"), "ResolvedRefs"))
                .isEqualTo("True/ResolvedRefs"));
        await().atMost(WAIT).until(() -> one.cert().equals(https(port, "secure.example.com").cert()));
        assertThat(https(port, "secure.example.com").body()).contains("echo-a");
        // only the referenced Secret is held: the other one never reached the gateway
        assertThat(originsKnown()).contains("Secret/tls/cert").doesNotContain("Secret/tls/unreferenced");

        // Secret updated: the new certificate is served
        Harness.apply(c, secret.formatted(two.certB64(), two.keyB64()));
        await().atMost(WAIT).until(() -> two.cert().equals(https(port, "secure.example.com").cert()));

        // Secret deleted
        c.secrets().inNamespace("tls").withName("cert").delete();
        await().atMost(WAIT).untilAsserted(() -> assertThat(condition(gw("Gateway", "gateways", "tls", "gw")
                .path("status").path("listeners").get(0).path("conditions"), "ResolvedRefs"))
                .isEqualTo("False/InvalidCertificateRef"));

        // BackendTLSPolicy with a CA ConfigMap: missing, created, updated, policy deleted
        String policy = """
                apiVersion: gateway.networking.k8s.io/v1
                kind: BackendTLSPolicy
                metadata: {name: svc-tls, namespace: tls}
                spec:
                  targetRefs: [{group: "", kind: Service, name: svc}]
                  validation:
                    caCertificateRefs: [{group: "", kind: ConfigMap, name: %s}]
                    hostname: svc.tls.example.com
                """;
        Harness.apply(c, policy.formatted("ca"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(ancestorCondition("svc-tls", "ResolvedRefs"))
                .isEqualTo("False/InvalidCACertificateRef"));
        String cm = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: ca, namespace: tls}
                data:
                  ca.crt: |
                %s""".formatted(one.cert().indent(4));
        Harness.apply(c, cm);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(ancestorCondition("svc-tls", "ResolvedRefs")).isEqualTo("True/ResolvedRefs");
            assertThat(ancestorCondition("svc-tls", "Accepted")).isEqualTo("True/Accepted");
        });
        assertThat(originsKnown()).contains("ConfigMap/tls/ca");
        Harness.apply(c, policy.formatted("other-ca")); // updated: refers to a ConfigMap that does not exist
        await().atMost(WAIT).untilAsserted(() -> assertThat(ancestorCondition("svc-tls", "ResolvedRefs"))
                .isEqualTo("False/InvalidCACertificateRef"));
        await().atMost(WAIT).until(() -> !originsKnown().contains("ConfigMap/tls/ca")); // no longer referenced
        c.genericKubernetesResources(Harness.gatewayApi("BackendTLSPolicy", "backendtlspolicies")).inNamespace("tls")
                .withName("svc-tls").delete();
        c.configMaps().inNamespace("tls").withName("ca").delete();
        await().atMost(WAIT).until(() -> gw("BackendTLSPolicy", "backendtlspolicies", "tls", "svc-tls") == null);
    }

    String ancestorCondition(String policy, String type) {
        JsonNode p = gw("BackendTLSPolicy", "backendtlspolicies", "tls", policy);
        for (JsonNode a : p.path("status").path("ancestors")) {
            if (Harness.CONTROLLER.equals(a.path("controllerName").asText())) {
                return condition(a.path("conditions"), type);
            }
        }
        return "";
    }

    /** Origins of every object the gateway's Kubernetes source has reported and not removed. */
    java.util.Set<String> originsKnown() {
        return gateway.source().origins();
    }

    record TlsReply(String cert, String body) {
    }

    static TlsReply https(int port, String sni) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[]{new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                s.setSoTimeout(5000);
                SSLParameters p = s.getSSLParameters();
                p.setServerNames(List.of(new SNIHostName(sni)));
                s.setSSLParameters(p);
                s.startHandshake();
                X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
                String pem = "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes())
                        .encodeToString(peer.getEncoded()) + "\n-----END CERTIFICATE-----\n";
                s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + sni + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                return new TlsReply(pem, new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (Exception e) {
            return new TlsReply("", e.toString());
        }
    }

    @Test
    void otherRouteKindsAndListenerSets() throws Exception {
        int http = Harness.freePort0();
        int tcp = Harness.freePort0();
        int udp = Harness.freePort0();
        int tlsPort = Harness.freePort0();
        int lsPort = Harness.freePort0();
        Harness.apply(c, """
                apiVersion: v1
                kind: Namespace
                metadata: {name: kinds}
                """ + "---\n" + gatewayYaml("kinds", "gw", """
                - {name: http, protocol: HTTP, port: %d}
                - {name: tcp, protocol: TCP, port: %d}
                - {name: udp, protocol: UDP, port: %d}
                - {name: tls, protocol: TLS, port: %d, hostname: pass.example.com, tls: {mode: Passthrough}}
                """.formatted(http, tcp, udp, tlsPort)).replace("spec:\n", "spec:\n  allowedListeners: {namespaces: {from: Same}}\n")
                + "---\n" + Harness.backend("kinds", "svc", 80, echoA));
        String routes = """
                apiVersion: gateway.networking.k8s.io/v1
                kind: GRPCRoute
                metadata: {name: grpc, namespace: kinds}
                spec:
                  parentRefs: [{name: gw, sectionName: http}]
                  hostnames: [%1$s]
                  rules: [{backendRefs: [{name: svc, port: 80}]}]
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: TCPRoute
                metadata: {name: tcp, namespace: kinds}
                spec:
                  parentRefs: [{name: gw, sectionName: tcp}]
                  rules: [{backendRefs: [{name: svc, port: 80}]}]
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: UDPRoute
                metadata: {name: udp, namespace: kinds}
                spec:
                  parentRefs: [{name: gw, sectionName: udp}]
                  rules: [{backendRefs: [{name: svc, port: 80}]}]
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: TLSRoute
                metadata: {name: tls, namespace: kinds}
                spec:
                  parentRefs: [{name: gw, sectionName: tls}]
                  hostnames: [pass.example.com]
                  rules: [{backendRefs: [{name: svc, port: 80}]}]
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: ListenerSet
                metadata: {name: extra, namespace: kinds}
                spec:
                  parentRef: {name: gw}
                  listeners: [{name: extra, protocol: HTTP, port: %2$d}]
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: via-set, namespace: kinds}
                spec:
                  parentRefs: [{group: gateway.networking.k8s.io, kind: ListenerSet, name: extra}]
                  rules: [{backendRefs: [{name: svc, port: 80}]}]
                """;
        Harness.apply(c, routes.formatted("grpc.example.com", lsPort));
        List<String[]> kinds = List.of(new String[]{"GRPCRoute", "grpcroutes", "grpc"},
                new String[]{"TCPRoute", "tcproutes", "tcp"}, new String[]{"UDPRoute", "udproutes", "udp"},
                new String[]{"TLSRoute", "tlsroutes", "tls"}, new String[]{"HTTPRoute", "httproutes", "via-set"});
        await().atMost(WAIT).untilAsserted(() -> {
            for (String[] k : kinds) {
                JsonNode p = ourParent(gw(k[0], k[1], "kinds", k[2]));
                assertThat(p).as(k[0]).isNotNull();
                assertThat(condition(p.path("conditions"), "Accepted")).as(k[0]).isEqualTo("True/Accepted");
            }
            JsonNode ls = gw("ListenerSet", "listenersets", "kinds", "extra");
            assertThat(condition(ls.path("status").path("conditions"), "Accepted")).isEqualTo("True/Accepted");
            assertThat(condition(ls.path("status").path("conditions"), "Programmed")).isEqualTo("True/Programmed");
        });
        // a TCPRoute relays bytes: an HTTP request through it reaches the echo server
        assertThat(Harness.get(tcp, "anything", "/").pod()).isEqualTo("echo-a");
        // a route attached to the ListenerSet's listener
        await().atMost(WAIT).until(() -> Harness.get(lsPort, "x", "/").pod().equals("echo-a"));

        // updated: observedGeneration 2 everywhere
        int lsPort2 = Harness.freePort0();
        Harness.apply(c, routes.formatted("grpc2.example.com", lsPort2).replace("rules: [{backendRefs",
                "rules: [{name: r1, backendRefs"));
        await().atMost(WAIT).untilAsserted(() -> {
            for (String[] k : kinds) {
                JsonNode p = ourParent(gw(k[0], k[1], "kinds", k[2]));
                assertThat(p.path("conditions").get(0).path("observedGeneration").asLong()).as(k[0]).isEqualTo(2);
            }
            JsonNode ls = gw("ListenerSet", "listenersets", "kinds", "extra");
            assertThat(ls.path("status").path("conditions").get(0).path("observedGeneration").asLong()).isEqualTo(2);
        });
        await().atMost(WAIT).until(() -> Harness.get(lsPort2, "x", "/").pod().equals("echo-a"));

        // deleted
        Harness.delete(c, routes.formatted("grpc2.example.com", lsPort2));
        await().atMost(WAIT).until(() -> Harness.get(tcp, "anything", "/").status() == -1);
        await().atMost(WAIT).until(() -> Harness.get(lsPort2, "x", "/").status() == -1);
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode listeners = gw("Gateway", "gateways", "kinds", "gw").path("status").path("listeners");
            for (JsonNode l : listeners) {
                assertThat(l.path("attachedRoutes").asInt()).as(l.path("name").asText()).isZero();
            }
        });
    }

    @Test
    void otherControllersObjectsAndEntriesAreNotTouched() throws Exception {
        int port = Harness.freePort0();
        int foreignPort = Harness.freePort0();
        Harness.apply(c, """
                apiVersion: v1
                kind: Namespace
                metadata: {name: shared}
                """ + "---\n" + gatewayYaml("shared", "ours", """
                - {name: http, protocol: HTTP, port: %d}
                """.formatted(port)) + "---\n" + gatewayYaml("shared", "theirs", """
                - {name: http, protocol: HTTP, port: %d}
                """.formatted(foreignPort)).replace("gatewayClassName: ringway", "gatewayClassName: someone-else")
                + "---\n" + Harness.backend("shared", "svc", 80, echoA));
        // the other controller has written its status entry first
        Harness.apply(c, """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: both, namespace: shared}
                spec:
                  parentRefs: [{name: ours}, {name: theirs}]
                  rules: [{backendRefs: [{name: svc, port: 80}]}]
                """);
        String foreign = """
                {"status":{"parents":[{"parentRef":{"group":"gateway.networking.k8s.io","kind":"Gateway","name":"theirs"},
                  "controllerName":"example.com/other-controller",
                  "conditions":[{"type":"Accepted","status":"True","reason":"Accepted","message":"theirs",
                                 "observedGeneration":1,"lastTransitionTime":"2020-01-01T00:00:00Z"}]}]}}""";
        c.genericKubernetesResources(Harness.gatewayApi("HTTPRoute", "httproutes")).inNamespace("shared")
                .withName("both").status().patch(PatchContext.of(PatchType.JSON_MERGE), foreign);
        await().atMost(WAIT).until(() -> Harness.get(port, "x", "/").pod().equals("echo-a"));
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode r = gw("HTTPRoute", "httproutes", "shared", "both");
            assertThat(ourParent(r)).isNotNull();
            assertThat(r.path("status").path("parents")).hasSize(2);
            JsonNode theirs = r.path("status").path("parents").get(0);
            assertThat(theirs.path("controllerName").asText()).isEqualTo("example.com/other-controller");
            assertThat(theirs.path("conditions").get(0).path("message").asText()).isEqualTo("theirs");
            assertThat(theirs.path("conditions").get(0).path("lastTransitionTime").asText()).isEqualTo("2020-01-01T00:00:00Z");
        });
        // the other controller's Gateway and GatewayClass get no status from Ringway; nothing listens for it
        assertThat(gw("Gateway", "gateways", "shared", "theirs").path("status").path("conditions").isMissingNode()
                || gw("Gateway", "gateways", "shared", "theirs").path("status").path("conditions").isEmpty()).isTrue();
        assertThat(gw("GatewayClass", "gatewayclasses", null, "someone-else").path("status").path("conditions")
                .isEmpty()).isTrue();
        assertThat(Harness.get(foreignPort, "x", "/").status()).isEqualTo(-1);

        // the other controller updates its entry; Ringway's route change keeps it
        ObjectNode updated = (ObjectNode) Harness.JSON.readTree(foreign.replace("\"theirs\",", "\"theirs-2\","));
        GenericKubernetesResource cur = c.genericKubernetesResources(Harness.gatewayApi("HTTPRoute", "httproutes"))
                .inNamespace("shared").withName("both").get();
        JsonNode curTree = Harness.JSON.readTree(io.fabric8.kubernetes.client.utils.Serialization.asJson(cur));
        var parents = (com.fasterxml.jackson.databind.node.ArrayNode) updated.path("status").path("parents");
        parents.add(ourParent(curTree));
        c.genericKubernetesResources(Harness.gatewayApi("HTTPRoute", "httproutes")).inNamespace("shared")
                .withName("both").status().patch(PatchContext.of(PatchType.JSON_MERGE), updated.toString());
        Harness.apply(c, """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: both, namespace: shared}
                spec:
                  parentRefs: [{name: ours}, {name: theirs}]
                  hostnames: [changed.example.com]
                  rules: [{backendRefs: [{name: svc, port: 80}]}]
                """);
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode r = gw("HTTPRoute", "httproutes", "shared", "both");
            assertThat(ourParent(r).path("conditions").get(0).path("observedGeneration").asLong()).isEqualTo(2);
            JsonNode theirs = r.path("status").path("parents").get(0);
            assertThat(theirs.path("conditions").get(0).path("message").asText()).isEqualTo("theirs-2");
        });
    }
}
