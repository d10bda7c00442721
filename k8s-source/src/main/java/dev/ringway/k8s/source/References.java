package dev.ringway.k8s.source;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;
import java.util.TreeSet;

/**
 * The Secrets and ConfigMaps that Gateways, ListenerSets and BackendTLSPolicies reference: only these
 * are watched (one watch per name), so the gateway never holds every Secret of the cluster. Found by
 * the reference fields of the Gateway API: {@code certificateRefs} (Secrets by default),
 * {@code clientCertificateRef} (a Secret) and {@code caCertificateRefs} (kind given, usually ConfigMap),
 * wherever they appear in the object's spec. A reference without a namespace is in the object's namespace.
 */
public final class References {
    private References() {
    }

    /** A referenced object: kind ({@code Secret} or {@code ConfigMap}), namespace, name. */
    public record Ref(String kind, String namespace, String name) implements Comparable<Ref> {
        @Override
        public int compareTo(Ref o) {
            return (kind + "/" + namespace + "/" + name).compareTo(o.kind + "/" + o.namespace + "/" + o.name);
        }
    }

    public static Set<Ref> of(JsonNode object) {
        Set<Ref> out = new TreeSet<>();
        String ns = object.path("metadata").path("namespace").asText("");
        walk(object.path("spec"), ns, out);
        return out;
    }

    private static void walk(JsonNode n, String ns, Set<Ref> out) {
        if (n.isObject()) {
            n.properties().forEach(e -> {
                String field = e.getKey();
                JsonNode v = e.getValue();
                switch (field) {
                    case "certificateRefs" -> v.forEach(r -> add(r, "Secret", ns, out));
                    case "clientCertificateRef" -> add(v, "Secret", ns, out);
                    case "caCertificateRefs" -> v.forEach(r -> add(r, "ConfigMap", ns, out));
                    default -> walk(v, ns, out);
                }
            });
        } else if (n.isArray()) {
            n.forEach(x -> walk(x, ns, out));
        }
    }

    private static void add(JsonNode ref, String defaultKind, String ns, Set<Ref> out) {
        if (!ref.isObject()) {
            return;
        }
        String group = ref.path("group").asText("");
        String kind = ref.path("kind").asText(defaultKind);
        String name = ref.path("name").asText("");
        if (!group.isEmpty() || name.isEmpty() || !(kind.equals("Secret") || kind.equals("ConfigMap"))) {
            return;
        }
        out.add(new Ref(kind, ref.path("namespace").asText(ns), name));
    }
}
