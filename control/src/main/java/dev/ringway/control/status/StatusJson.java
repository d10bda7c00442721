package dev.ringway.control.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringway.core.model.Kinds;
import dev.ringway.core.model.Listener;
import dev.ringway.core.model.ParentReference;
import dev.ringway.core.model.ResourceKey;
import dev.ringway.core.parse.ParseProblem;
import dev.ringway.core.status.Condition;
import dev.ringway.core.status.ObjectStatus;
import dev.ringway.core.status.StatusReport;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Renders statuses exactly as they would be written to the API server. {@link #list} is the
 * {@code /status} contract that independent test runners read:
 *
 * <pre>
 * {"kind":"List","apiVersion":"v1","items":[
 *   {"apiVersion":"gateway.networking.k8s.io/v1","kind":"Gateway",
 *    "metadata":{"namespace":"ns","name":"gw","generation":1},
 *    "status":{...}}]}
 * </pre>
 * One item per object Ringway reports on, sorted by kind, namespace, name; {@code namespace} is
 * omitted for cluster-scoped kinds; conditions carry {@code lastTransitionTime} (RFC 3339, UTC,
 * seconds); null fields are omitted. The shape is that of {@code core.dump.Dumps#statusItem} (the
 * golden files) plus {@code lastTransitionTime}, which depends on the condition's place in the status
 * (listener, parent), hence this renderer.
 */
public final class StatusJson {
    public static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final Instant EPOCH = Instant.EPOCH;

    private StatusJson() {
    }

    public static ObjectNode list(StatusView view) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("kind", "List");
        root.put("apiVersion", "v1");
        ArrayNode items = root.putArray("items");
        for (Map.Entry<ResourceKey, StatusReport.Entry> e : view.report().entries().entrySet()) {
            items.add(item(e.getKey(), e.getValue(), view.transitionTimes()));
        }
        return root;
    }

    public static ObjectNode item(ResourceKey key, StatusReport.Entry entry, Map<String, Instant> times) {
        ObjectNode item = MAPPER.createObjectNode();
        item.put("apiVersion", entry.apiVersion());
        item.put("kind", key.kind());
        ObjectNode meta = item.putObject("metadata");
        if (!Kinds.isClusterScoped(key.kind()) && !key.namespace().isEmpty()) {
            meta.put("namespace", key.namespace());
        }
        meta.put("name", key.name());
        meta.put("generation", entry.generation());
        item.set("status", status(key, entry.status(), times));
        return item;
    }

    public static ObjectNode status(ResourceKey key, ObjectStatus status, Map<String, Instant> times) {
        ObjectNode out = MAPPER.createObjectNode();
        switch (status) {
            case ObjectStatus.GatewayClassStatus s -> {
                conditions(out, key, "", s.conditions(), times);
                if (!s.supportedFeatures().isEmpty()) {
                    ArrayNode f = out.putArray("supportedFeatures");
                    s.supportedFeatures().forEach(x -> f.addObject().put("name", x.name()));
                }
            }
            case ObjectStatus.GatewayStatus s -> {
                ArrayNode addrs = out.putArray("addresses");
                for (ObjectStatus.Address a : s.addresses()) {
                    ObjectNode n = addrs.addObject();
                    putIf(n, "type", a.type());
                    putIf(n, "value", a.value());
                }
                conditions(out, key, "", s.conditions(), times);
                listeners(out, key, s.listeners(), times);
                if (s.attachedListenerSets() != null) {
                    out.put("attachedListenerSets", s.attachedListenerSets());
                }
            }
            case ObjectStatus.ListenerSetStatus s -> {
                conditions(out, key, "", s.conditions(), times);
                listeners(out, key, s.listeners(), times);
            }
            case ObjectStatus.RouteStatus s -> {
                ArrayNode parents = out.putArray("parents");
                for (ObjectStatus.RouteParentStatus p : s.parents()) {
                    ObjectNode n = parents.addObject();
                    n.set("parentRef", ref(p.parentRef()));
                    putIf(n, "controllerName", p.controllerName());
                    conditions(n, key, ConditionTimes.refScope("parent", p.parentRef(), p.controllerName()),
                            p.conditions(), times);
                }
            }
            case ObjectStatus.PolicyStatus s -> {
                ArrayNode ancestors = out.putArray("ancestors");
                for (ObjectStatus.PolicyAncestorStatus a : s.ancestors()) {
                    ObjectNode n = ancestors.addObject();
                    n.set("ancestorRef", ref(a.ancestorRef()));
                    putIf(n, "controllerName", a.controllerName());
                    conditions(n, key, ConditionTimes.refScope("ancestor", a.ancestorRef(), a.controllerName()),
                            a.conditions(), times);
                }
            }
        }
        return out;
    }

    private static void listeners(ObjectNode out, ResourceKey key, List<ObjectStatus.ListenerStatus> listeners,
                                  Map<String, Instant> times) {
        ArrayNode arr = out.putArray("listeners");
        for (ObjectStatus.ListenerStatus l : listeners) {
            ObjectNode n = arr.addObject();
            n.put("name", l.name());
            ArrayNode kinds = n.putArray("supportedKinds");
            for (Listener.RouteGroupKind k : l.supportedKinds()) {
                ObjectNode kn = kinds.addObject();
                putIf(kn, "group", k.group());
                putIf(kn, "kind", k.kind());
            }
            n.put("attachedRoutes", l.attachedRoutes());
            conditions(n, key, ConditionTimes.listenerScope(l.name()), l.conditions(), times);
        }
    }

    private static ObjectNode ref(ParentReference r) {
        ObjectNode n = MAPPER.createObjectNode();
        putIf(n, "group", r.group());
        putIf(n, "kind", r.kind());
        putIf(n, "namespace", r.namespace());
        putIf(n, "name", r.name());
        putIf(n, "sectionName", r.sectionName());
        if (r.port() != null) {
            n.put("port", r.port());
        }
        return n;
    }

    private static void conditions(ObjectNode out, ResourceKey key, String scope, List<Condition> conditions,
                                   Map<String, Instant> times) {
        ArrayNode arr = out.putArray("conditions");
        for (Condition c : conditions) {
            ObjectNode n = arr.addObject();
            putIf(n, "type", c.type());
            putIf(n, "status", c.status());
            n.put("observedGeneration", c.observedGeneration());
            Instant t = times.getOrDefault(ConditionTimes.path(key, scope, c.type()), EPOCH);
            n.put("lastTransitionTime", rfc3339(t));
            putIf(n, "reason", c.reason());
            putIf(n, "message", c.message());
        }
    }

    public static String rfc3339(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    private static void putIf(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    /**
     * {@code /problems}: parse problems (file, document, object, field, message), duplicate-object
     * warnings and snapshot validation errors.
     */
    public static ObjectNode problems(StatusView view) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("errors", view.errorCount());
        ArrayNode arr = root.putArray("problems");
        for (ParseProblem p : view.problems()) {
            ObjectNode n = arr.addObject();
            n.put("severity", p.severity().name().toLowerCase(java.util.Locale.ROOT));
            putIf(n, "file", p.source());
            if (p.document() > 0) {
                n.put("document", p.document());
            }
            putIf(n, "kind", p.kind());
            putIf(n, "namespace", p.namespace());
            putIf(n, "name", p.name());
            putIf(n, "field", p.field());
            n.put("message", p.message());
            n.put("text", p.describe());
        }
        ArrayNode v = root.putArray("validationErrors");
        view.validationErrors().forEach(v::add);
        return root;
    }
}
