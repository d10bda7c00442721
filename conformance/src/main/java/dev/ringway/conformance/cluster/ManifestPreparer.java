package dev.ringway.conformance.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ringway.conformance.model.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What upstream's Applier and suite setup do before an object is written (SCHEMA 7.1): placeholder substitution,
 * GatewayClass controllerName, Gateway gatewayClassName, static-address placeholders.
 */
public final class ManifestPreparer {
    public static final String USABLE = "PLACEHOLDER_USABLE_ADDRS";
    public static final String UNUSABLE = "PLACEHOLDER_UNUSABLE_ADDRS";
    public static final String INVALID_TYPE = "test/fake-invalid-type";

    /** An address the runner supplies (7.3). */
    public record Address(String type, String value) {}

    private final String controllerName;
    private final String gatewayClassName;
    private final List<Address> usable;
    private final List<Address> unusable;

    public ManifestPreparer(String controllerName, String gatewayClassName, List<Address> usable,
                            List<Address> unusable) {
        this.controllerName = controllerName;
        this.gatewayClassName = gatewayClassName;
        this.usable = List.copyOf(usable);
        this.unusable = List.copyOf(unusable);
    }

    public String controllerName() {
        return controllerName;
    }

    public String gatewayClassName() {
        return gatewayClassName;
    }

    /** Reads and prepares every object of a manifest file. */
    public List<JsonNode> load(Path file) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode doc : Json.readYamlDocuments(file)) {
            out.add(prepare(doc));
        }
        return out;
    }

    public JsonNode prepare(JsonNode object) {
        JsonNode o = substitute(object);
        if (!o.isObject()) {
            throw new IllegalArgumentException("manifest document is not an object: " + o);
        }
        ObjectNode obj = (ObjectNode) o;
        String kind = Json.text(obj, "kind");
        ObjectNode meta = obj.withObjectProperty("metadata");
        meta.remove("generation");
        meta.remove("creationTimestamp");
        if ("GatewayClass".equals(kind)) {
            obj.withObjectProperty("spec").put("controllerName", controllerName);
        } else if ("Gateway".equals(kind)) {
            ObjectNode spec = obj.withObjectProperty("spec");
            spec.put("gatewayClassName", gatewayClassName);
            JsonNode addrs = spec.get("addresses");
            if (addrs != null && addrs.isArray() && hasPlaceholder(addrs)) {
                ArrayNode out = JsonNodeFactory.instance.arrayNode();
                for (JsonNode a : addrs) {
                    if (INVALID_TYPE.equals(Json.text(a, "type"))) {
                        out.add(a.deepCopy());
                    }
                }
                unusable.forEach(a -> out.add(address(a)));
                usable.forEach(a -> out.add(address(a)));
                spec.set("addresses", out);
            }
        }
        return obj;
    }

    private static boolean hasPlaceholder(JsonNode addrs) {
        for (JsonNode a : addrs) {
            String v = Json.text(a, "value");
            if (USABLE.equals(v) || UNUSABLE.equals(v)) {
                return true;
            }
        }
        return false;
    }

    private static ObjectNode address(Address a) {
        ObjectNode n = Json.object();
        n.put("type", a.type() == null ? "IPAddress" : a.type());
        n.put("value", a.value());
        return n;
    }

    private JsonNode substitute(JsonNode n) {
        if (n.isTextual()) {
            return TextNode.valueOf(n.asText().replace("{GATEWAY_CLASS_NAME}", gatewayClassName)
                    .replace("{GATEWAY_CONTROLLER_NAME}", controllerName));
        }
        if (n.isObject()) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            n.properties().forEach(e -> o.set(e.getKey(), substitute(e.getValue())));
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            n.forEach(e -> a.add(substitute(e)));
            return a;
        }
        return n.deepCopy();
    }
}
