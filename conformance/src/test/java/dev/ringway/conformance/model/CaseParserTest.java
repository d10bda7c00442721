package dev.ringway.conformance.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringway.conformance.TestData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CaseParserTest {
    private static final String HEADER = """
            name: X
            description: "d"
            profiles: [GATEWAY-HTTP]
            features: [Gateway, HTTPRoute]
            level: core
            provisional: false
            manifests: []
            """;

    private static ConformanceCase parse(String steps) {
        return CaseParser.parse(Path.of("X.yaml"), HEADER + steps);
    }

    @Test
    void everyCaseFileParses() throws Exception {
        Path dir = TestData.shared().resolve("conformance/cases");
        List<ConformanceCase> cases = CaseParser.parseDirectory(dir);
        assertThat(cases).hasSize(100);
        // spot checks of the model
        ConformanceCase weight = cases.stream().filter(c -> c.name().equals("HTTPRouteWeight")).findFirst().orElseThrow();
        Step.Weights w = (Step.Weights) weight.steps().get(2);
        assertThat(w.expected()).containsEntry("infra-backend-v1", 0.7);
        assertThat(w.jitter()).isEqualTo(new Step.Jitter("X-Jitter", 0.5, 0, 9999));
        long core = cases.stream().filter(c -> c.core() && c.profiles().contains("GATEWAY-HTTP")).count();
        assertThat(core).isEqualTo(28);
    }

    @Test
    void rejectsUnknownTopLevelKey() {
        assertThatThrownBy(() -> parse("bogus: 1\nsteps: [{sleep: 1s}]\n"))
                .isInstanceOf(CaseFormatException.class).hasMessageContaining("X.yaml").hasMessageContaining("'bogus'");
    }

    @Test
    void rejectsUnknownNestedKeyWithPath() {
        assertThatThrownBy(() -> parse("""
                steps:
                  - requests:
                      gateway: ns/gw
                      port: 80
                      protocol: http
                      cases:
                        - request: {path: /}
                          expect: {status: 200, bakend: x}
                """)).isInstanceOf(CaseFormatException.class)
                .hasMessageContaining("X.yaml: steps[0].requests.cases[0].expect: unknown key 'bakend'");
        assertThatThrownBy(() -> parse("""
                steps:
                  - status:
                      - kind: Gateway
                        namespace: ns
                        name: gw
                        listeners: [{name: http, conditions: [{type: Accepted, stauts: "True"}]}]
                """)).hasMessageContaining("steps[0].status[0].listeners[0].conditions[0]: unknown key 'stauts'");
    }

    @Test
    void rejectsKeyOfAnotherProtocolAndBadValues() {
        assertThatThrownBy(() -> parse("""
                steps:
                  - requests: {gateway: ns/gw, port: 80, protocol: http, cases: [{request: {send: [PING]}, expect: {}}]}
                """)).hasMessageContaining("key 'send' is not valid for protocol http");
        assertThatThrownBy(() -> parse("""
                steps:
                  - status: [{kind: Gateway, namespace: ns, name: gw, conditions: [{type: Accepted, status: true}]}]
                """)).hasMessageContaining("must be a string");
        assertThatThrownBy(() -> parse("steps: [{sleep: 1s, note: x}]\n")).hasMessageContaining("exactly one key");
        assertThatThrownBy(() -> parse("steps: []\n")).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> CaseParser.parse(Path.of("Y.yaml"), HEADER + "steps: [{sleep: 1s}]\n"))
                .hasMessageContaining("does not equal the file name");
        assertThatThrownBy(() -> parse("steps: [{patch: {kind: Gateway, name: g, mergePatch: {}, extra: 1}}]\n"))
                .hasMessageContaining("unknown key 'extra'");
        assertThatThrownBy(() -> parse("steps: [{status: [{kind: Gateway, namespace: n, name: g, foo: true}]}]\n"))
                .hasMessageContaining("unknown key 'foo'");
        assertThatThrownBy(() -> parse("steps: [{create: {kind: ConfigMap, metadata: {name: a}}}, {bogusStep: 1}]\n"))
                .hasMessageContaining("steps[1]: unknown step key 'bogusStep'");
        assertThatThrownBy(() -> parse("steps: [{status: [{kind: Gateway, namespace: n, name: g, eventually: false}]}]\nextra: 1\n"))
                .hasMessageContaining("'extra'");
    }

    @Test
    void readsRequestsAndDefaults() {
        ConformanceCase c = parse("""
                steps:
                  - requests:
                      gateway: ns/gw
                      port: 80
                      protocol: http
                      cases:
                        - request: {path: /a, headers: {X-A: "1"}}
                          expect: {backend: b, namespace: ns, redirect: {scheme: http, port: 8080, path: /x}}
                          within: 2s
                        - request: {path: /b}
                          expect: {status: [408, 504]}
                          repeat: 3
                          eventually: false
                  - sleep: 1500ms
                """);
        Step.Requests r = (Step.Requests) c.steps().get(0);
        assertThat(r.protocol()).isEqualTo(Protocol.HTTP);
        assertThat(r.cases().get(0).expect().statusOrDefault()).containsExactly(200);
        assertThat(r.cases().get(0).within()).isEqualTo(Duration.ofSeconds(2));
        assertThat(r.cases().get(0).eventually()).isTrue();
        assertThat(r.cases().get(0).request().headers()).isEqualTo(Map.of("X-A", "1"));
        assertThat(r.cases().get(0).expect().redirect().port()).isEqualTo(8080);
        assertThat(r.cases().get(1).expect().status()).containsExactly(408, 504);
        assertThat(r.cases().get(1).repeat()).isEqualTo(3);
        assertThat(r.cases().get(1).eventually()).isFalse();
        assertThat(((Step.Sleep) c.steps().get(1)).duration()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void resolveSubstitutesPlaceholdersAndInputs() {
        ConformanceCase c = CaseParser.parse(Path.of("X.yaml"), HEADER.replace("manifests: []", "manifests: []\ninputs: [USABLE_ADDRESS]") + """
                steps:
                  - status:
                      - kind: HTTPRoute
                        namespace: ns
                        name: r
                        parents:
                          - parentRef: {name: g, namespace: ns}
                            controllerName: "{GATEWAY_CONTROLLER_NAME}"
                            conditions: [{type: Accepted}]
                  - patch: {kind: Gateway, namespace: ns, name: g, mergePatch: {spec: {addresses: [{value: "${USABLE_ADDRESS}"}]}}}
                  - requests:
                      gateway: ns/g
                      port: 80
                      protocol: websocket
                      cases: [{request: {path: "/ws?id={uuid}", origin: "ws://gateway/{testName}"}, expect: {messages: [{send: {text: hi}, receive: {binary: [104, 105]}}]}}]
                """);
        ConformanceCase r = CaseParser.resolve(c, Map.of("USABLE_ADDRESS", "127.0.0.9"), "ctl/x", "cls");
        assertThat(((Step.Status) r.steps().get(0)).entries().get(0).parents().get(0).controllerName()).isEqualTo("ctl/x");
        assertThat(((Step.Patch) r.steps().get(1)).mergePatch().at("/spec/addresses/0/value").asText()).isEqualTo("127.0.0.9");
        Step.RequestCase ws = ((Step.Requests) r.steps().get(2)).cases().get(0);
        assertThat(ws.request().origin()).isEqualTo("ws://gateway/X");
        assertThat(ws.request().path()).isEqualTo("/ws?id={uuid}");
        assertThat(ws.expect().messages().get(0).receive()).containsExactly('h', 'i');
        assertThatThrownBy(() -> parse("steps: [{note: \"${FOO}\"}]\n")).hasMessageContaining("not declared in inputs");
    }

    @Test
    void goDurations() {
        assertThat(GoDuration.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(GoDuration.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(GoDuration.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThatThrownBy(() -> GoDuration.parse("5 s")).isInstanceOf(IllegalArgumentException.class);
    }
}
