package dev.ringway.conformance.pods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringway.conformance.cluster.Cluster;
import dev.ringway.conformance.cluster.ObjectKey;
import dev.ringway.conformance.model.Json;
import java.net.Inet4Address;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The EndpointSlice controller of the runner: every Service with a selector gets one IPv4 EndpointSlice listing the
 * selected running pods (ports by Service port name, targetPort resolved, protocol, appProtocol); and the
 * {@code endpoints} step (7.2) for manifest-defined slices.
 */
public final class EndpointSlices {
    public static final String MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
    public static final String CONTROLLER = "endpointslice-controller.k8s.io";
    public static final String SERVICE_NAME = "kubernetes.io/service-name";

    private EndpointSlices() {}

    /** Writes the desired slices of every Service with a selector, deletes stale managed slices. */
    public static void sync(Cluster cluster, PodManager pods) {
        Set<ObjectKey> desired = new HashSet<>();
        for (JsonNode svc : cluster.list("Service", null)) {
            JsonNode selector = svc.path("spec").path("selector");
            if (!selector.isObject() || selector.isEmpty()) {
                continue;
            }
            JsonNode slice = sliceFor(svc, pods);
            desired.add(ObjectKey.of(slice));
            cluster.put(slice);
        }
        for (JsonNode s : cluster.list("EndpointSlice", null)) {
            if (CONTROLLER.equals(Json.text(s, "metadata", "labels", MANAGED_BY)) && !desired.contains(ObjectKey.of(s))) {
                cluster.delete(ObjectKey.of(s));
            }
        }
    }

    /** The managed slice of a Service with a selector. */
    public static JsonNode sliceFor(JsonNode svc, PodManager pods) {
        String ns = Json.text(svc, "metadata", "namespace");
        String name = Json.text(svc, "metadata", "name");
        Map<String, String> selector = new LinkedHashMap<>();
        svc.path("spec").path("selector").properties().forEach(e -> selector.put(e.getKey(), e.getValue().asText()));
        List<EchoPod> selected = pods.select(ns, selector);
        ObjectNode slice = Json.object();
        slice.put("apiVersion", "discovery.k8s.io/v1");
        slice.put("kind", "EndpointSlice");
        ObjectNode meta = slice.putObject("metadata");
        meta.put("name", name + "-" + PodManager.sha(ns + "/" + name).substring(0, 5));
        meta.put("namespace", ns);
        ObjectNode labels = meta.putObject("labels");
        labels.put(SERVICE_NAME, name);
        labels.put(MANAGED_BY, CONTROLLER);
        ArrayNode owners = meta.putArray("ownerReferences");
        owners.addObject().put("apiVersion", "v1").put("kind", "Service").put("name", name)
                .put("uid", Json.text(svc, "metadata", "uid") == null ? "" : Json.text(svc, "metadata", "uid"));
        slice.put("addressType", "IPv4");
        ArrayNode ports = slice.putArray("ports");
        for (JsonNode sp : svc.path("spec").path("ports")) {
            ObjectNode p = ports.addObject();
            p.put("name", sp.path("name").asText(""));
            p.put("port", targetPort(sp, selected));
            p.put("protocol", sp.path("protocol").asText("TCP"));
            if (sp.hasNonNull("appProtocol")) {
                p.put("appProtocol", sp.get("appProtocol").asText());
            }
        }
        ArrayNode eps = slice.putArray("endpoints");
        for (EchoPod pod : selected) {
            if (pod.spec().address() instanceof Inet4Address) {
                eps.add(endpoint(pod.spec()));
            }
        }
        return slice;
    }

    static int targetPort(JsonNode servicePort, List<EchoPod> pods) {
        JsonNode tp = servicePort.get("targetPort");
        if (tp == null || tp.isNull()) {
            return servicePort.path("port").asInt();
        }
        if (tp.isIntegralNumber() || tp.asText().matches("\\d+")) {
            return Integer.parseInt(tp.asText());
        }
        String named = tp.asText();
        for (EchoPod p : pods) {
            for (PodSpec.Port port : p.spec().ports()) {
                if (named.equals(port.name())) {
                    return port.port();
                }
            }
        }
        return servicePort.path("port").asInt();
    }

    static ObjectNode endpoint(PodSpec pod) {
        ObjectNode ep = Json.object();
        ep.putArray("addresses").add(pod.address().getHostAddress());
        ep.putObject("conditions").put("ready", true).put("serving", true).put("terminating", false);
        ep.putObject("targetRef").put("kind", "Pod").put("namespace", pod.namespace()).put("name", pod.name());
        return ep;
    }

    /**
     * The {@code endpoints} step (7.2): fills a manifest-defined slice with the target Deployment's pods of its
     * address family, keeping its ports; a slice with no matching address is left untouched. Returns the updated
     * object, or null when untouched.
     */
    public static JsonNode fill(JsonNode slice, List<EchoPod> targetPods) {
        boolean v4 = !"IPv6".equals(Json.text(slice, "addressType"));
        ArrayNode eps = Json.JSON.createArrayNode();
        for (EchoPod p : targetPods) {
            if ((p.spec().address() instanceof Inet4Address) == v4) {
                eps.add(endpoint(p.spec()));
            }
        }
        if (eps.isEmpty()) {
            return null;
        }
        ObjectNode updated = slice.deepCopy();
        updated.set("endpoints", eps);
        return updated;
    }
}
