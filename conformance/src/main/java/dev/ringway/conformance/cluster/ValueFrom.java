package dev.ringway.conformance.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ringway.conformance.model.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Resolves {@code {valueFrom: {configMap|secret: ns/name, key: K}}} anywhere in a create/patch value (SCHEMA 2) to
 * the string value of that key as the object exists now (Secret values decoded).
 */
public final class ValueFrom {
    private ValueFrom() {}

    public static JsonNode resolve(JsonNode n, Cluster cluster) {
        if (n.isObject()) {
            if (n.size() == 1 && n.has("valueFrom")) {
                return TextNode.valueOf(lookup(n.get("valueFrom"), cluster));
            }
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            n.properties().forEach(e -> o.set(e.getKey(), resolve(e.getValue(), cluster)));
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            n.forEach(e -> a.add(resolve(e, cluster)));
            return a;
        }
        return n;
    }

    private static String lookup(JsonNode vf, Cluster cluster) {
        boolean secret = vf.has("secret");
        String ref = Json.text(vf, secret ? "secret" : "configMap");
        String key = Json.text(vf, "key");
        if (ref == null || key == null || !ref.contains("/") || vf.size() != 2) {
            throw new IllegalArgumentException("valueFrom needs {configMap|secret: ns/name, key: K}: " + vf);
        }
        String ns = ref.substring(0, ref.indexOf('/'));
        String name = ref.substring(ref.indexOf('/') + 1);
        return value(cluster, secret, ns, name, key);
    }

    /** The string value of a key of a Secret (decoded) or ConfigMap. */
    public static String value(Cluster cluster, boolean secret, String ns, String name, String key) {
        JsonNode obj = cluster.get(new ObjectKey(secret ? "Secret" : "ConfigMap", ns, name));
        if (obj == null) {
            throw new IllegalStateException((secret ? "Secret " : "ConfigMap ") + ns + "/" + name + " does not exist");
        }
        String s = Json.text(obj, "stringData", key);
        if (s != null) {
            return s;
        }
        String d = Json.text(obj, "data", key);
        if (d == null) {
            throw new IllegalStateException((secret ? "Secret " : "ConfigMap ") + ns + "/" + name + " has no key " + key);
        }
        return secret ? new String(Base64.getMimeDecoder().decode(d), StandardCharsets.UTF_8) : d;
    }
}
