package dev.ringway.io;

import dev.ringway.core.model.Resource;
import dev.ringway.core.parse.ManifestParser;
import dev.ringway.core.parse.ParsedObject;
import dev.ringway.core.translate.BindFeedback;
import dev.ringway.core.translate.Translation;
import dev.ringway.core.translate.Translator;
import dev.ringway.core.translate.TranslatorOptions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Manifests through the lead's Translator into the data plane: the two halves agree. */
class TranslatorDrivenTest {

    @Test
    void manifestsAreServed() throws Exception {
        try (TestBackend v1 = new TestBackend("infra-backend-v1")) {
            int port = TestSupport.freePort();
            String yaml = """
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: GatewayClass
                    metadata: {name: c}
                    spec: {controllerName: ringway.dev/gateway-controller}
                    ---
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: Gateway
                    metadata: {name: gw, namespace: ns}
                    spec:
                      gatewayClassName: c
                      listeners: [{name: http, port: %d, protocol: HTTP}]
                    ---
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: HTTPRoute
                    metadata: {name: r, namespace: ns}
                    spec:
                      parentRefs: [{name: gw}]
                      rules:
                      - matches: [{path: {type: PathPrefix, value: /prefix/one}}]
                        filters:
                        - type: URLRewrite
                          urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /one}}
                        - type: RequestHeaderModifier
                          requestHeaderModifier:
                            set: [{name: X-Header-Set, value: set-overwrites-values}]
                            add: [{name: X-Header-Add, value: header-val-1}]
                            remove: [X-Header-Remove]
                        backendRefs: [{name: svc, port: 8080}]
                      - matches: [{path: {type: PathPrefix, value: /redirect}}]
                        filters:
                        - type: RequestRedirect
                          requestRedirect: {scheme: https, hostname: example.org, statusCode: 301}
                      - matches: [{path: {type: PathPrefix, value: /missing}}]
                        backendRefs: [{name: does-not-exist, port: 8080}]
                    ---
                    apiVersion: v1
                    kind: Service
                    metadata: {name: svc, namespace: ns}
                    spec:
                      selector: {app: v1}
                      ports: [{name: http, port: 8080, targetPort: %d}]
                    ---
                    apiVersion: discovery.k8s.io/v1
                    kind: EndpointSlice
                    metadata:
                      name: svc-abc
                      namespace: ns
                      labels: {kubernetes.io/service-name: svc}
                    addressType: IPv4
                    ports: [{name: http, port: %d, protocol: TCP}]
                    endpoints: [{addresses: [127.0.0.1], conditions: {ready: true}}]
                    """.formatted(port, v1.port, v1.port);
            var parsed = ManifestParser.create().parse("t.yaml", yaml);
            assertThat(parsed.problems()).isEmpty();
            List<Resource> rs = parsed.objects().stream().map(ParsedObject::resource).toList();
            Translation tr = Translator.create(new TranslatorOptions(TranslatorOptions.DEFAULT_CONTROLLER_NAME,
                    new TranslatorOptions.AddressPolicy.Bind("127.0.0.1"))).translate(rs, BindFeedback.NONE);
            assertThat(tr.valid()).isTrue();
            try (NettyDataPlane dp = NettyDataPlane.create(DataPlaneOptions.defaults().withEventLoops(1))) {
                ApplyResult ar = dp.apply(tr.snapshot()).toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertThat(ar.failed()).isEmpty();
                try (RawHttp c = new RawHttp(port)) {
                    c.send("GET /prefix/one/two HTTP/1.1\r\nHost: h\r\nX-Header-Remove: x\r\n\r\n");
                    RawHttp.Response r = c.read(false);
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.echo()).containsEntry("server", "infra-backend-v1").containsEntry("uri", "/one/two")
                            .containsEntry("h:x-header-set", "set-overwrites-values")
                            .containsEntry("h:x-header-add", "header-val-1").doesNotContainKey("h:x-header-remove");
                    RawHttp.Response red = c.get("/redirect", "h");
                    assertThat(red.status()).isEqualTo(301);
                    assertThat(red.header("location")).isEqualTo("https://example.org/redirect");
                    assertThat(c.get("/missing", "h").status()).isEqualTo(500);
                    assertThat(c.get("/elsewhere", "h").status()).isEqualTo(404);
                }
            }
        }
    }
}
