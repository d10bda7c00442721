package dev.ringway.k8s.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringway.core.parse.ManifestParser;
import dev.ringway.core.parse.ParseResult;
import dev.ringway.k8s.ApiKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Turns an object from the API server into what the file source produces for a manifest: the fabric8
 * object is serialized to JSON (fields the typed model does not know are kept, in its
 * {@code additionalProperties}) and bound by the one {@link ManifestParser}, so both sources give the
 * same records. Also computes what counts as a change: everything but {@code status},
 * {@code resourceVersion} and {@code managedFields}, so Ringway's own status writes do not come back
 * as configuration changes.
 */
public final class ObjectConversion {
    static final ObjectMapper JSON = JsonMapper.builder().build();

    private ObjectConversion() {
    }

    /** The object as a Jackson tree, with {@code apiVersion} and {@code kind} set. */
    public static ObjectNode tree(ApiKind kind, HasMetadata object) {
        try {
            ObjectNode n = (ObjectNode) JSON.readTree(Serialization.asJson(object));
            n.put("apiVersion", kind.apiVersion());
            n.put("kind", kind.kind());
            return n;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read " + kind.kind() + " back from JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code Kind/namespace/name} ({@code Kind/name} when cluster-scoped): one origin per object. */
    public static String origin(ApiKind kind, String namespace, String name) {
        return kind.namespaced() ? kind.kind() + "/" + namespace + "/" + name : kind.kind() + "/" + name;
    }

    public static String origin(ApiKind kind, HasMetadata object) {
        return origin(kind, object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    /** The object as Ringway reads it: what a configuration change changes (status and bookkeeping removed). */
    public static String changeKey(ObjectNode tree) {
        ObjectNode c = tree.deepCopy();
        c.remove("status");
        JsonNode meta = c.get("metadata");
        if (meta instanceof ObjectNode m) {
            m.remove("resourceVersion");
            m.remove("managedFields");
        }
        return c.toString();
    }

    public static ParseResult parse(ManifestParser parser, String origin, JsonNode tree) {
        return parser.parseNode(origin, tree);
    }
}
