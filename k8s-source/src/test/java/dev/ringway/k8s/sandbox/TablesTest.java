package dev.ringway.k8s.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TablesTest {
    @Test
    void printerColumnsAsTheApiServerRendersThem() throws Exception {
        JsonNode gw = SandboxDispatcher.JSON.readTree("""
                {"metadata":{"name":"gw","creationTimestamp":"2026-01-01T00:00:00Z"},"spec":{"gatewayClassName":"c"},
                 "status":{"addresses":[{"value":"10.0.0.1"},{"value":"10.0.0.2"}],
                           "conditions":[{"type":"Accepted","status":"True"},{"type":"Programmed","status":"False"}]}}""");
        assertThat(JsonPathLite.text(gw, ".status.addresses[*].value")).isEqualTo("10.0.0.1,10.0.0.2");
        assertThat(JsonPathLite.text(gw, ".status.conditions[?(@.type==\"Programmed\")].status")).isEqualTo("False");
        assertThat(JsonPathLite.text(gw, ".spec.missing")).isEmpty();
        JsonNode table = Tables.table(SandboxDispatcher.JSON, gw, "Gateway", Instant.parse("2026-01-01T01:30:00Z"));
        assertThat(table.path("rows").get(0).path("cells").toString())
                .isEqualTo("[\"gw\",\"c\",\"10.0.0.1,10.0.0.2\",\"False\",\"90m\"]");
        assertThat(Tables.humanDuration(Duration.ofSeconds(59))).isEqualTo("59s");
        assertThat(Tables.humanDuration(Duration.ofSeconds(190))).isEqualTo("3m10s");
        assertThat(Tables.humanDuration(Duration.ofHours(30))).isEqualTo("30h");
        assertThat(Tables.humanDuration(Duration.ofDays(3).plusHours(2))).isEqualTo("3d2h");
        assertThat(SandboxDispatcher.kindOf("/apis/gateway.networking.k8s.io/v1/namespaces/a/httproutes/x"))
                .isEqualTo("HTTPRoute");
        assertThat(SandboxDispatcher.kindOf("/api/v1/namespaces")).isEqualTo("Namespace");
    }
}
