package dev.ringway.conformance.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringway.conformance.TestData;
import dev.ringway.conformance.model.CaseParser;
import dev.ringway.conformance.model.ConformanceCase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportWriterTest {
    @Test
    void claimedFeaturesOnlyGrow() {
        ClaimedFeatures f = ClaimedFeatures.load();
        // Every feature claimed so far; removing one needs a reason in docs/conformance.
        assertThat(f.features()).contains("Gateway", "HTTPRoute", "ReferenceGrant", "BackendTLSPolicy", "GRPCRoute",
                "TLSRoute", "TCPRoute", "UDPRoute", "ListenerSet", "HTTPRouteRequestMirror", "HTTPRouteRetry",
                "GatewayStaticAddresses", "HTTPRouteBackendProtocolH2C", "HTTPRouteBackendProtocolWebSocket");
    }

    @Test
    void reportHasTheUpstreamShape() throws Exception {
        List<ConformanceCase> cases = CaseParser.parseDirectory(TestData.shared().resolve("conformance/cases"));
        // A fixed feature set (the GATEWAY-HTTP core one), independent of what Ringway claims today.
        ClaimedFeatures claimed = new ClaimedFeatures(java.util.Set.of("Gateway", "HTTPRoute", "ReferenceGrant"));
        List<CaseResult> results = new ArrayList<>();
        for (ConformanceCase c : cases) {
            String skip = claimed.skipReason(c);
            if (skip != null) {
                results.add(CaseResult.skipped(c, Outcome.SKIPPED, skip));
            } else if (c.name().equals("HTTPRouteWeight")) {
                results.add(new CaseResult(c, Outcome.FAILED, 3, "weights", "off by one", 1200, 0));
            } else {
                results.add(new CaseResult(c, Outcome.PASSED, null, null, null, 1000, 0));
            }
        }
        assertThat(results.stream().filter(r -> r.outcome() != Outcome.SKIPPED)).hasSize(28);
        var run = new ConformanceSuite.Result(results, 65_000, 2, Settings.defaults(), claimed);
        JsonNode r = ReportWriter.report(run, "1.0");
        assertThat(r.path("kind").asText()).isEqualTo("ConformanceReport");
        assertThat(r.path("gatewayAPIVersion").asText()).isEqualTo("v1.6.1");
        assertThat(r.path("profiles")).hasSize(1);
        JsonNode http = r.path("profiles").get(0);
        assertThat(http.path("name").asText()).isEqualTo("GATEWAY-HTTP");
        assertThat(http.at("/core/result").asText()).isEqualTo("failure");
        assertThat(http.at("/core/statistics/Passed").asInt()).isEqualTo(27);
        assertThat(http.at("/core/statistics/Failed").asInt()).isEqualTo(1);
        assertThat(http.at("/core/failedTests/0").asText()).isEqualTo("HTTPRouteWeight");
        assertThat(http.at("/extended/statistics/Passed").asInt()).isEqualTo(0);
        List<String> unsupported = new ArrayList<>();
        http.at("/extended/unsupportedFeatures").forEach(n -> unsupported.add(n.asText()));
        assertThat(unsupported).contains("HTTPRouteRequestMirror", "BackendTLSPolicy").doesNotContain("HTTPRoute");
        String readme = ReportWriter.readme(run);
        assertThat(readme).contains("| HTTPRouteWeight | GATEWAY-HTTP | core | failed | step 3 (weights): off by one | 1.2 s |")
                .contains("Suite wall time: 65.0 s with 2 shard(s)");
        assertThat(ReportWriter.console(run)).contains("HTTPRouteWeight").contains("failed");
    }
}
