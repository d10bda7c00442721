package dev.ringway.k8s.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringway.core.model.Kinds;

import java.util.Iterator;
import java.util.Map;

/**
 * What Ringway stores in an object's status, given the status stored now and the one Ringway computed.
 * Pure functions over JSON trees.
 *
 * <ul>
 *   <li>Routes ({@code status.parents}) and BackendTLSPolicies ({@code status.ancestors}) are shared by
 *       controllers: only the entries whose {@code controllerName} is Ringway's are replaced; the others
 *       are kept, in their order, before Ringway's. A null computed status removes Ringway's entries.</li>
 *   <li>GatewayClasses, Gateways and ListenerSets belong to one controller: Ringway's status replaces
 *       the stored one whole.</li>
 *   <li>A condition keeps the stored {@code lastTransitionTime} while its status is unchanged (as
 *       {@code meta.SetStatusCondition} does), so a restarted replica, whose clock for transitions starts
 *       anew, writes nothing when nothing changed.</li>
 * </ul>
 */
public final class StatusMerge {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private StatusMerge() {
    }

    /** The field holding per-controller entries for a shared kind, or null for single-owner kinds. */
    static String sharedField(String kind) {
        if (Kinds.isRoute(kind)) {
            return "parents";
        }
        if (Kinds.BACKEND_TLS_POLICY.equals(kind)) {
            return "ancestors";
        }
        return null;
    }

    private static String refField(String shared) {
        return shared.equals("parents") ? "parentRef" : "ancestorRef";
    }

    /**
     * The status to store.
     *
     * @param current    the stored status (null or missing: none)
     * @param computed   Ringway's status for the object (null: Ringway no longer reports on it)
     * @param controller Ringway's controllerName
     */
    public static ObjectNode merge(String kind, JsonNode current, ObjectNode computed, String controller) {
        ObjectNode stored = current instanceof ObjectNode o ? o : F.objectNode();
        String shared = sharedField(kind);
        if (shared == null) {
            if (computed == null) {
                return stored.deepCopy();
            }
            ObjectNode out = computed.deepCopy();
            keepTimes(out, stored);
            return out;
        }
        String ref = refField(shared);
        ObjectNode out = stored.deepCopy();
        ArrayNode entries = F.arrayNode();
        for (JsonNode e : stored.path(shared)) {
            if (!controller.equals(e.path("controllerName").asText())) {
                entries.add(e.deepCopy());
            }
        }
        if (computed != null) {
            for (JsonNode e : computed.path(shared)) {
                ObjectNode mine = e.deepCopy();
                JsonNode before = find(stored.path(shared), ref, mine.get(ref), controller);
                if (before != null) {
                    keepConditionTimes(mine.path("conditions"), before.path("conditions"));
                }
                entries.add(mine);
            }
        }
        if (entries.isEmpty() && !stored.has(shared)) {
            return out;
        }
        out.set(shared, entries);
        return out;
    }

    private static JsonNode find(JsonNode entries, String refField, JsonNode ref, String controller) {
        for (JsonNode e : entries) {
            if (controller.equals(e.path("controllerName").asText()) && sameRef(e.get(refField), ref)) {
                return e;
            }
        }
        return null;
    }

    /** References are equal when their fields are, with the API's defaults (group, kind) filled in. */
    static boolean sameRef(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        for (String f : new String[]{"group", "kind", "namespace", "name", "sectionName", "port"}) {
            String x = a.path(f).asText("");
            String y = b.path(f).asText("");
            if (f.equals("group") && x.isEmpty() && y.isEmpty()) {
                continue;
            }
            if (!x.equals(y)) {
                return false;
            }
        }
        return true;
    }

    /** Single-owner statuses: object conditions and per-listener conditions. */
    private static void keepTimes(ObjectNode out, ObjectNode stored) {
        keepConditionTimes(out.path("conditions"), stored.path("conditions"));
        for (JsonNode l : out.path("listeners")) {
            String name = l.path("name").asText();
            for (JsonNode sl : stored.path("listeners")) {
                if (name.equals(sl.path("name").asText())) {
                    keepConditionTimes(l.path("conditions"), sl.path("conditions"));
                }
            }
        }
    }

    private static void keepConditionTimes(JsonNode conditions, JsonNode storedConditions) {
        for (JsonNode c : conditions) {
            for (JsonNode s : storedConditions) {
                if (c.path("type").asText().equals(s.path("type").asText())
                        && c.path("status").asText().equals(s.path("status").asText())
                        && s.hasNonNull("lastTransitionTime")) {
                    ((ObjectNode) c).set("lastTransitionTime", s.get("lastTransitionTime").deepCopy());
                }
            }
        }
    }

    /**
     * A JSON merge patch (RFC 7386) of the status: the fields of {@code target}, and null for each
     * top-level field of {@code current} that {@code target} lacks. Arrays are replaced whole.
     */
    public static ObjectNode mergePatch(JsonNode current, ObjectNode target) {
        ObjectNode patch = target.deepCopy();
        if (current instanceof ObjectNode c) {
            for (Iterator<Map.Entry<String, JsonNode>> it = c.properties().iterator(); it.hasNext(); ) {
                String f = it.next().getKey();
                if (!target.has(f)) {
                    patch.putNull(f);
                }
            }
        }
        return patch;
    }
}
