package dev.ringway.core.parse;

import dev.ringway.core.model.Gateway;
import dev.ringway.core.model.GatewayClass;
import dev.ringway.core.model.HttpRoute;
import dev.ringway.core.model.ListenerSet;
import dev.ringway.core.model.Secret;
import dev.ringway.core.model.Service;
import dev.ringway.core.model.TcpRoute;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ManifestParserTest {
    final ManifestParser parser = ManifestParser.create();

    @Test
    void multiDocumentYamlWithDefaults() {
        ParseResult r = parser.parse("routes.yaml", """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: r}
                spec:
                  parentRefs: [{name: gw}]
                ---
                # a comment-only document is skipped
                ---
                apiVersion: gateway.networking.k8s.io/v1beta1
                kind: GatewayClass
                metadata: {name: c, namespace: ignored}
                spec: {controllerName: x}
                """);
        assertThat(r.problems()).isEmpty();
        assertThat(r.objects()).hasSize(2);
        HttpRoute route = (HttpRoute) r.objects().get(0).resource();
        assertThat(route.namespace()).isEqualTo("default");
        assertThat(route.spec().parentRefs().get(0).group()).isEqualTo("gateway.networking.k8s.io");
        assertThat(route.spec().parentRefs().get(0).kind()).isEqualTo("Gateway");
        // CRD defaults: one rule matching PathPrefix /
        assertThat(route.spec().rules()).hasSize(1);
        assertThat(route.spec().rules().get(0).matches().get(0).path().type()).isEqualTo("PathPrefix");
        assertThat(route.spec().rules().get(0).matches().get(0).path().value()).isEqualTo("/");
        GatewayClass gc = (GatewayClass) r.objects().get(1).resource();
        assertThat(gc.namespace()).isEmpty();
        assertThat(r.objects().get(1).document()).isEqualTo(3);
    }

    @Test
    void oldApiVersionsAreAccepted() {
        ParseResult r = parser.parse("seed.yaml", """
                apiVersion: gateway.networking.k8s.io/v1alpha2
                kind: TCPRoute
                metadata: {name: database-route}
                spec:
                  parentRefs: [{name: tcp-gateway, sectionName: postgres}]
                  rules: [{backendRefs: [{name: postgres-primary, port: 5432}]}]
                """);
        assertThat(r.problems()).isEmpty();
        TcpRoute t = (TcpRoute) r.objects().get(0).resource();
        assertThat(t.spec().rules().get(0).backendRefs().get(0).weight()).isEqualTo(1);
    }

    @Test
    void badFieldIsAPerObjectErrorNamingFileObjectAndField() {
        ParseResult r = parser.parse("gw.yaml", """
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: broken, namespace: infra}
                spec:
                  gatewayClassName: c
                  listeners:
                  - {name: http, port: eighty, protocol: HTTP}
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: fine, namespace: infra}
                spec:
                  gatewayClassName: c
                  listeners: [{name: http, port: 80, protocol: HTTP}]
                """);
        assertThat(r.objects()).hasSize(1);
        assertThat(((Gateway) r.objects().get(0).resource()).name()).isEqualTo("fine");
        assertThat(r.problems()).hasSize(1);
        ParseProblem p = r.problems().get(0);
        assertThat(p.severity()).isEqualTo(ParseProblem.Severity.ERROR);
        assertThat(p.field()).isEqualTo("spec.listeners[0].port");
        assertThat(p.describe()).contains("gw.yaml", "Gateway infra/broken", "spec.listeners[0].port");
    }

    @Test
    void unknownFieldsOfGatewayApiKindsAreWarnings() {
        ParseResult r = parser.parse("r.yaml", """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: r, namespace: a, managedFields: [], uid: x}
                spec:
                  parentRefs: [{name: gw}]
                  rules:
                  - matches: [{path: {type: Exact, value: /x, caseInsensitive: true}}]
                status: {parents: []}
                """);
        assertThat(r.objects()).hasSize(1);
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.severity()).isEqualTo(ParseProblem.Severity.WARNING);
            assertThat(p.field()).isEqualTo("spec.rules[0].matches[0].path.caseInsensitive");
        });
    }

    @Test
    void invalidYamlReportsTheFileAndKeepsEarlierDocuments() {
        ParseResult r = parser.parse("bad.yaml", """
                apiVersion: v1
                kind: Namespace
                metadata: {name: ok}
                ---
                kind: [unclosed
                """);
        assertThat(r.objects()).hasSize(1);
        assertThat(r.hasErrors()).isTrue();
        assertThat(r.problems().get(0).describe()).contains("bad.yaml").contains("invalid YAML");
    }

    @Test
    void otherKindsAreSkippedAndJsonAndListsWork() {
        ParseResult r = parser.parse("all.json", """
                {"apiVersion": "v1", "kind": "List", "items": [
                  {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}},
                  {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s", "namespace": "n"},
                   "spec": {"ports": [{"name": "http", "port": 80, "targetPort": "web", "appProtocol": "kubernetes.io/h2c"}]}},
                  {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "t", "namespace": "n"}, "type": "kubernetes.io/tls",
                   "data": {"tls.crt": "aGVsbG8="}, "stringData": {"tls.key": "k"}}
                ]}
                """);
        assertThat(r.problems()).isEmpty();
        assertThat(r.skipped()).singleElement().asString().contains("Deployment");
        Service s = (Service) r.objects().get(0).resource();
        assertThat(s.spec().ports().get(0).targetPort().strValue()).isEqualTo("web");
        Secret secret = (Secret) r.objects().get(1).resource();
        assertThat(new String(secret.value("tls.crt"), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(new String(secret.value("tls.key"), StandardCharsets.UTF_8)).isEqualTo("k");
    }

    @Test
    void unservedApiVersionIsAnError() {
        ParseResult r = parser.parse("x.yaml", """
                apiVersion: gateway.networking.k8s.io/v9
                kind: Gateway
                metadata: {name: g}
                """);
        assertThat(r.objects()).isEmpty();
        assertThat(r.problems().get(0).field()).isEqualTo("apiVersion");
    }

    @Test
    void experimentalListenerSetName() {
        ParseResult r = parser.parse("ls.yaml", """
                apiVersion: gateway.networking.x-k8s.io/v1alpha1
                kind: XListenerSet
                metadata: {name: ls, namespace: n}
                spec:
                  parentRef: {name: gw}
                  listeners: [{name: a, port: 80, protocol: HTTP}]
                """);
        assertThat(r.problems()).isEmpty();
        assertThat(r.objects().get(0).resource()).isInstanceOf(ListenerSet.class);
    }
}
