package dev.ringway.core.translate;

import dev.ringway.core.model.Resource;
import dev.ringway.core.parse.ManifestParser;
import dev.ringway.core.parse.ParsedObject;
import dev.ringway.core.route.CompiledMatch;
import dev.ringway.core.route.PortBinding;
import dev.ringway.core.route.RouteSetGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TranslatorTest {
    static List<Resource> parse(String yaml) {
        var r = ManifestParser.create().parse("t.yaml", yaml);
        assertThat(r.problems()).isEmpty();
        return new ArrayList<>(r.objects().stream().map(ParsedObject::resource).toList());
    }

    static final String CLASS = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: GatewayClass
            metadata: {name: c}
            spec: {controllerName: ringway.dev/gateway-controller}
            """;

    static String gateway(String name) {
        return """
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: %s, namespace: ns}
                spec:
                  gatewayClassName: c
                  listeners: [{name: http, port: 80, protocol: HTTP}]
                """.formatted(name);
    }

    @Test
    void poolAddressesStayWithTheirGatewayWhenOthersAreAdded() {
        Translator t = Translator.create(new TranslatorOptions(TranslatorOptions.DEFAULT_CONTROLLER_NAME,
                new TranslatorOptions.AddressPolicy.Pool("127.30.0.0/24")));
        Translation first = t.translate(parse(CLASS + gateway("m") + gateway("z")), BindFeedback.NONE);
        assertThat(first.gatewayAddresses()).containsEntry("ns/m", "127.30.0.1").containsEntry("ns/z", "127.30.0.2");
        // "a" sorts first but must not move m and z; it takes the lowest free address.
        Translation second = t.translate(parse(CLASS + gateway("a") + gateway("m") + gateway("z")),
                BindFeedback.NONE.withAddresses(first.gatewayAddresses()));
        assertThat(second.gatewayAddresses()).containsEntry("ns/m", "127.30.0.1").containsEntry("ns/z", "127.30.0.2")
                .containsEntry("ns/a", "127.30.0.3");
        // From scratch, the order is namespace/name.
        Translation fresh = t.translate(parse(CLASS + gateway("a") + gateway("m") + gateway("z")), BindFeedback.NONE);
        assertThat(fresh.gatewayAddresses()).containsEntry("ns/a", "127.30.0.1");
    }

    @Test
    void routesAreServedThroughTheSnapshot() {
        List<Resource> rs = parse(CLASS + gateway("gw") + """
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: r, namespace: ns}
                spec:
                  parentRefs: [{name: gw}]
                  hostnames: [app.example.com]
                  rules:
                  - matches: [{path: {type: PathPrefix, value: /api}, headers: [{name: X-User-Tier, type: RegularExpression, value: "^(premium|enterprise)$"}]}]
                    backendRefs: [{name: svc, port: 80}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: svc, namespace: ns}
                spec: {ports: [{port: 80}]}
                """);
        Translation tr = Translator.create(TranslatorOptions.defaults()).translate(rs, BindFeedback.NONE);
        assertThat(tr.valid()).isTrue();
        PortBinding b = tr.snapshot().bindings().get(0);
        var req = new RouteSetGenerator.TestRequest("app.example.com", "GET", "/api/x", null, Map.of("x-user-tier", "premium"));
        CompiledMatch m = b.http().route(req);
        assertThat(m).isNotNull();
        assertThat(m.rule().backends().backends().get(0).backend().name()).isEqualTo("ns/svc:80");
        assertThat(b.http().route(new RouteSetGenerator.TestRequest("app.example.com", "GET", "/api/x", null,
                Map.of("x-user-tier", "free")))).isNull();
        assertThat(b.http().route(new RouteSetGenerator.TestRequest("other.example.com", "GET", "/api/x", null,
                Map.of("x-user-tier", "premium")))).isNull();
    }

    @Test
    void translationIsDeterministicAndDoesNotThrowOnGarbage() {
        List<Resource> rs = parse(CLASS + gateway("gw") + """
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: r, namespace: ns}
                spec:
                  parentRefs: [{name: gw}, {name: gw, kind: Service}, {group: example.com, kind: Thing, name: x}]
                  hostnames: ["*"]
                  rules: [{matches: [{path: {type: Exact, value: "no-slash"}}]}]
                """);
        Translator t = Translator.create(TranslatorOptions.defaults());
        Translation a = t.translate(rs, BindFeedback.NONE);
        Translation b = t.translate(rs.reversed(), BindFeedback.NONE);
        assertThat(a.statuses()).isEqualTo(b.statuses());
        var st = (dev.ringway.core.status.ObjectStatus.RouteStatus) a.statuses().get(rs.get(2).key());
        assertThat(st.parents()).hasSize(1);
        assertThat(st.parents().get(0).conditions().get(0).reason()).isEqualTo("UnsupportedValue");
    }
}
