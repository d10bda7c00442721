package dev.ringway.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringway.k8s.status.StatusMerge;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatusMergeTest {
    static ObjectNode json(String s) {
        try {
            return (ObjectNode) Harness.JSON.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static final String OURS = "ringway.dev/gateway-controller";

    @Test
    void routeParentsOfOtherControllersAreKept() {
        ObjectNode stored = json("""
                {'parents':[
                  {'parentRef':{'name':'theirs'},'controllerName':'example.com/x','conditions':[{'type':'Accepted','status':'True'}]},
                  {'parentRef':{'group':'gateway.networking.k8s.io','kind':'Gateway','name':'gw'},'controllerName':'%s',
                   'conditions':[{'type':'Accepted','status':'True','lastTransitionTime':'2020-01-01T00:00:00Z','observedGeneration':1}]}]}"""
                .formatted(OURS));
        ObjectNode computed = json("""
                {'parents':[{'parentRef':{'group':'gateway.networking.k8s.io','kind':'Gateway','name':'gw'},'controllerName':'%s',
                   'conditions':[{'type':'Accepted','status':'True','lastTransitionTime':'2030-01-01T00:00:00Z','observedGeneration':2},
                                 {'type':'ResolvedRefs','status':'False','lastTransitionTime':'2030-01-01T00:00:00Z'}]}]}"""
                .formatted(OURS));
        ObjectNode merged = StatusMerge.merge("HTTPRoute", stored, computed, OURS);
        JsonNode parents = merged.path("parents");
        assertThat(parents).hasSize(2);
        assertThat(parents.get(0)).isEqualTo(stored.path("parents").get(0));
        JsonNode mine = parents.get(1).path("conditions");
        // unchanged status: the stored transition time stays; new condition: the computed one
        assertThat(mine.get(0).path("lastTransitionTime").asText()).isEqualTo("2020-01-01T00:00:00Z");
        assertThat(mine.get(0).path("observedGeneration").asInt()).isEqualTo(2);
        assertThat(mine.get(1).path("lastTransitionTime").asText()).isEqualTo("2030-01-01T00:00:00Z");
    }

    @Test
    void noComputedStatusRemovesOnlyOurEntries() {
        ObjectNode stored = json("""
                {'parents':[{'parentRef':{'name':'a'},'controllerName':'example.com/x','conditions':[]},
                            {'parentRef':{'name':'b'},'controllerName':'%s','conditions':[]}]}""".formatted(OURS));
        ObjectNode merged = StatusMerge.merge("HTTPRoute", stored, null, OURS);
        assertThat(merged.path("parents")).hasSize(1);
        assertThat(merged.path("parents").get(0).path("controllerName").asText()).isEqualTo("example.com/x");
        // policies: ancestors likewise
        ObjectNode policy = json("{'ancestors':[{'ancestorRef':{'name':'b'},'controllerName':'%s'}]}".formatted(OURS));
        assertThat(StatusMerge.merge("BackendTLSPolicy", policy, null, OURS).path("ancestors")).isEmpty();
    }

    @Test
    void singleOwnerStatusesAreReplacedKeepingTransitionTimes() {
        ObjectNode stored = json("""
                {'conditions':[{'type':'Programmed','status':'True','lastTransitionTime':'2020-01-01T00:00:00Z'}],
                 'listeners':[{'name':'http','conditions':[{'type':'Programmed','status':'False','lastTransitionTime':'2020-01-01T00:00:00Z'}]}],
                 'stale':1}""");
        ObjectNode computed = json("""
                {'conditions':[{'type':'Programmed','status':'True','lastTransitionTime':'2030-01-01T00:00:00Z'}],
                 'listeners':[{'name':'http','conditions':[{'type':'Programmed','status':'True','lastTransitionTime':'2030-01-01T00:00:00Z'}]}]}""");
        ObjectNode merged = StatusMerge.merge("Gateway", stored, computed, OURS);
        assertThat(merged.has("stale")).isFalse();
        assertThat(merged.path("conditions").get(0).path("lastTransitionTime").asText()).isEqualTo("2020-01-01T00:00:00Z");
        assertThat(merged.path("listeners").get(0).path("conditions").get(0).path("lastTransitionTime").asText())
                .isEqualTo("2030-01-01T00:00:00Z");
        assertThat(StatusMerge.mergePatch(stored, merged).get("stale").isNull()).isTrue();
    }
}
