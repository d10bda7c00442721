package dev.ringway.conformance.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringway.conformance.client.HttpCall;
import dev.ringway.conformance.client.HttpResult;
import dev.ringway.conformance.model.CaseParser;
import dev.ringway.conformance.model.Expect;
import dev.ringway.conformance.model.Json;
import dev.ringway.conformance.model.Request;
import dev.ringway.conformance.model.StatusEntry;
import dev.ringway.conformance.model.Step;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Section 8 rules in isolation. */
class MatchingRulesTest {
    static Step.RequestCase requestCase(String yaml) {
        var c = CaseParser.parse(Path.of("X.yaml"), """
                name: X
                description: d
                profiles: []
                features: [Gateway]
                level: core
                provisional: false
                manifests: []
                steps:
                  - requests:
                      gateway: ns/gw
                      port: 80
                      protocol: http
                      cases:
                """ + yaml.indent(8));
        return ((Step.Requests) c.steps().get(0)).cases().get(0);
    }

    static HttpResult echo(String json, String... headers) {
        List<HttpCall.Header> h = new java.util.ArrayList<>();
        h.add(new HttpCall.Header("Content-Type", "application/json"));
        for (int i = 0; i < headers.length; i += 2) {
            h.add(new HttpCall.Header(headers[i], headers[i + 1]));
        }
        return new HttpResult(200, "HTTP/1.1", h, json.getBytes(StandardCharsets.UTF_8), false);
    }

    static String check(Step.RequestCase rc, HttpResult res) {
        Request r = rc.request();
        return Expectations.http(rc.expect(), r, r.path(), res, "http://127.0.0.1", ref -> "");
    }

    @Test
    void timeoutStatusesAreInterchangeable() {
        assertThat(Expectations.statusMatches(List.of(504), 408)).isTrue();
        assertThat(Expectations.statusMatches(List.of(408), 504)).isTrue();
        assertThat(Expectations.statusMatches(List.of(500), 504)).isFalse();
        assertThat(Expectations.statusMatches(List.of(200, 503), 503)).isTrue();
    }

    @Test
    void defaultBackendRequestAndHeaderJoining() {
        Step.RequestCase rc = requestCase("- {request: {path: /p, host: h.example, headers: {X-A: a}}, expect: {namespace: ns}}");
        String ok = """
                {"path":"/p","host":"h.example","method":"GET","headers":{"X-A":["a"]},"namespace":"ns","pod":"p-1-2"}""";
        assertThat(check(rc, echo(ok))).isNull();
        String twoValues = ok.replace("[\"a\"]", "[\"a\",\"b\"]");
        assertThat(check(rc, echo(twoValues))).contains("header X-A expected 'a', echoed 'a,b'");
        assertThat(check(rc, echo(ok.replace("h.example", "other")))).contains("host expected h.example");
        assertThat(check(rc, echo(ok.replace("\"ns\"", "\"other\"")))).contains("expected namespace ns");
        // not an echo response (content type must be exactly application/json)
        HttpResult text = new HttpResult(200, "HTTP/1.1", List.of(new HttpCall.Header("Content-Type",
                "application/json; charset=utf-8")), ok.getBytes(StandardCharsets.UTF_8), false);
        assertThat(check(rc, text)).contains("expected an echo response");
        // response headers joined with ","; case-insensitive names
        Step.RequestCase rh = requestCase("- {request: {path: /p}, expect: {namespace: ns, backendRequest: {path: /p}, responseHeaders: {x-r: '1,2'}, absentResponseHeaders: [X-Gone]}}");
        assertThat(check(rh, echo(ok, "X-R", "1", "X-R", "2"))).isNull();
        assertThat(check(rh, echo(ok, "X-R", "1"))).contains("expected '1,2', got '1'");
        assertThat(check(rh, echo(ok, "X-R", "1", "X-R", "2", "x-gone", "v"))).contains("X-Gone must be absent");
    }

    @Test
    void otherStatusesOnlyCompareTheStatus() {
        Step.RequestCase rc = requestCase("- {request: {path: /p}, expect: {status: 500, backend: nope, namespace: nope}}");
        HttpResult r = new HttpResult(500, "HTTP/1.1", List.of(), new byte[0], false);
        assertThat(check(rc, r)).isNull();
    }

    @Test
    void redirectRules() {
        Step.RequestCase rc = requestCase("- {request: {path: \"/a?q=1\"}, expect: {status: 302, redirect: {scheme: https, path: /b}}}");
        java.util.function.Function<String, HttpResult> loc = l -> new HttpResult(302, "HTTP/1.1",
                List.of(new HttpCall.Header("Location", l)), new byte[0], false);
        assertThat(check(rc, loc.apply("https://x.example/b?z=1"))).isNull();
        assertThat(check(rc, loc.apply("https://x.example:443/b"))).isNull();
        assertThat(check(rc, loc.apply("https://x.example:8443/b"))).contains("no port");
        assertThat(check(rc, loc.apply("http://x.example/b"))).contains("scheme expected https");
        Step.RequestCase rel = requestCase("- {request: {path: /a}, expect: {status: 302, redirect: {scheme: http, path: /c}}}");
        assertThat(check(rel, loc.apply("/c"))).isNull();
        Step.RequestCase port = requestCase("- {request: {path: /a}, expect: {status: 302, redirect: {scheme: http, port: 8080, path: /c}}}");
        assertThat(check(port, loc.apply("http://x/c"))).contains("port expected 8080");
        assertThat(check(port, loc.apply("http://x:8080/c"))).isNull();
    }

    @Test
    void parentRefComparison() {
        JsonNode ref = Json.parse("{\"group\":\"gateway.networking.k8s.io\",\"kind\":\"Gateway\",\"name\":\"gw\"}");
        var want = new StatusEntry.ParentRef(null, null, "gw", "route-ns");
        assertThat(StatusMatcher.parentRefMatches(want, false, ref, "route-ns")).isTrue();
        assertThat(StatusMatcher.parentRefMatches(want, true, ref, "route-ns")).isFalse();
        assertThat(StatusMatcher.parentRefMatches(want, false, ref, "other")).isFalse();
        var typed = new StatusEntry.ParentRef("gateway.networking.k8s.io", "Gateway", "gw", "route-ns");
        assertThat(StatusMatcher.parentRefMatches(typed, false, Json.parse("{\"name\":\"gw\"}"), "route-ns")).isFalse();
    }

    @Test
    void deploymentOfPod() {
        assertThat(Expectations.deploymentOf("infra-backend-v1-7d9f8c6b5-x2k4p")).isEqualTo("infra-backend-v1");
        assertThat(Expectations.deploymentOf("a-b")).isEqualTo("a-b");
    }

    @Test
    void udpAndLineExpectations() {
        Expect e = new Expect(null, "svc", null, "ns", null, null, null, null, false, null, null, false, false, false,
                false, null, null, null, null, null, false, false, false, null, false);
        assertThat(Expectations.udp(e, null, "{\"service\":\"svc\",\"namespace\":\"ns\",\"pod\":\"d-1-2\"}"
                .getBytes(StandardCharsets.UTF_8), 0)).isNull();
        assertThat(Expectations.udp(e, null, "{\"service\":\"x\",\"namespace\":\"ns\"}".getBytes(StandardCharsets.UTF_8), 0))
                .contains("expected service svc");
    }
}
