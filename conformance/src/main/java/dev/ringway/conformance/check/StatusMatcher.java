package dev.ringway.conformance.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringway.conformance.model.Cond;
import dev.ringway.conformance.model.Json;
import dev.ringway.conformance.model.StatusEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides whether a status entry (SCHEMA 3) holds for one {@code /status} item, with the generation rule of 8.1,
 * conditions of 8.2 and parentRef comparison of 8.3. Returns null when it holds, else what was seen instead.
 */
public final class StatusMatcher {
    public static final String GROUP = "gateway.networking.k8s.io";

    private StatusMatcher() {}

    /** What the matcher needs to know beyond the item. */
    public record Context(long generation, Long generationBeforeLastPatch, long nowMillis, Long emptyParentsSinceMillis) {}

    public static String check(StatusEntry e, JsonNode item, Context ctx) {
        if (item == null) {
            return "not listed in /status";
        }
        long gen = ctx.generation();
        long listed = item.path("metadata").path("generation").asLong(0);
        if (listed != gen) {
            return "listed at generation " + listed + ", the runner wrote generation " + gen;
        }
        JsonNode status = item.path("status");
        String stale = staleConditions(e.kind(), status, gen);
        if (stale != null) {
            return stale;
        }
        if (e.conditions() != null) {
            String m = matchConditions(e.conditions(), status.path("conditions"), gen, "conditions");
            if (m != null) {
                return m;
            }
        }
        if (e.generationChanged()) {
            if (ctx.generationBeforeLastPatch() == null) {
                return "generationChanged: the test did not patch this object";
            }
            if (ctx.generationBeforeLastPatch() == gen) {
                return "generationChanged: generation is still " + gen + " (the patch did not change the spec)";
            }
        }
        if (e.hasAddress() && !hasTypedAddress(status)) {
            return "hasAddress: status.addresses " + compact(status.path("addresses")) + " has no entry with a type";
        }
        if (e.addressesExact() != null) {
            List<String> want = new ArrayList<>();
            e.addressesExact().forEach(a -> want.add(a.type() + "=" + a.value()));
            List<String> got = new ArrayList<>();
            status.path("addresses").forEach(a -> got.add(Json.text(a, "type") + "=" + Json.text(a, "value")));
            if (!sameMultiset(want, got)) {
                return "addressesExact: expected " + want + ", status.addresses " + got;
            }
        }
        if (e.attachedListenerSets() != null) {
            int n = status.path("attachedListenerSets").asInt(0);
            if (n != e.attachedListenerSets()) {
                return "attachedListenerSets: expected " + e.attachedListenerSets() + ", got " + n;
            }
        }
        JsonNode listeners = status.path("listeners");
        if (e.zeroRoutes()) {
            boolean ok = listeners.isEmpty() || (listeners.size() == 1
                    && listeners.get(0).path("attachedRoutes").asInt(0) == 0);
            if (!ok) {
                return "zeroRoutes: status.listeners " + summarizeListeners(listeners);
            }
        }
        if (e.listeners() != null) {
            for (StatusEntry.Listener l : e.listeners()) {
                String m = matchListener(l, listeners, gen);
                if (m != null) {
                    return m;
                }
            }
            if (e.listenersExact() && listeners.size() != e.listeners().size()) {
                return "listenersExact: expected " + e.listeners().size() + " listeners, status has "
                        + listeners.size() + " " + summarizeListeners(listeners);
            }
        }
        JsonNode parents = item.path("status").path("parents");
        String ownNs = Json.text(item, "metadata", "namespace");
        if (e.noAcceptedParents()) {
            boolean ok;
            if (parents.isEmpty()) {
                ok = ctx.emptyParentsSinceMillis() != null && ctx.nowMillis() - ctx.emptyParentsSinceMillis() >= 1000;
                if (!ok) {
                    return "noAcceptedParents: status.parents is empty but has not been empty for 1 s yet";
                }
            } else {
                ok = parents.size() == 1 && condStatus(parents.get(0).path("conditions"), "Accepted", gen)
                        .equals("False");
                if (!ok) {
                    return "noAcceptedParents: status.parents " + summarizeParents(parents, gen);
                }
            }
        }
        if (e.parents() != null) {
            for (StatusEntry.Parent p : e.parents()) {
                String m = matchParent(p, parents, ownNs, gen);
                if (m != null) {
                    return m;
                }
            }
        }
        if (e.ancestors() != null) {
            JsonNode ancestors = status.path("ancestors");
            for (StatusEntry.Ancestor a : e.ancestors()) {
                String want = a.namespace() == null ? ownNs : a.namespace();
                String lastMismatch = null;
                boolean found = false;
                for (JsonNode an : ancestors) {
                    JsonNode ref = an.path("ancestorRef");
                    String ns = Json.text(ref, "namespace") == null ? ownNs : Json.text(ref, "namespace");
                    if (!a.name().equals(Json.text(ref, "name")) || !want.equals(ns)) {
                        continue;
                    }
                    String m = matchConditions(a.conditions(), an.path("conditions"), gen, "ancestor " + a.name());
                    if (m == null) {
                        found = true;
                        break;
                    }
                    lastMismatch = m;
                }
                if (!found) {
                    return lastMismatch != null ? lastMismatch : "ancestors: no entry for " + want + "/" + a.name()
                            + " in " + compact(ancestors);
                }
            }
        }
        return null;
    }

    /** 8.1: all of the object's own conditions must be current. */
    static String staleConditions(String kind, JsonNode status, long gen) {
        List<JsonNode> conds = new ArrayList<>();
        String where;
        if (kind.endsWith("Route")) {
            status.path("parents").forEach(p -> p.path("conditions").forEach(conds::add));
            where = "status.parents";
        } else if (kind.equals("BackendTLSPolicy")) {
            status.path("ancestors").forEach(p -> p.path("conditions").forEach(conds::add));
            where = "status.ancestors";
        } else {
            status.path("conditions").forEach(conds::add);
            where = "status.conditions";
        }
        for (JsonNode c : conds) {
            long og = c.path("observedGeneration").asLong(0);
            if (og != gen) {
                return "stale status: " + where + " condition " + Json.text(c, "type") + " has observedGeneration "
                        + og + ", object generation is " + gen;
            }
        }
        return null;
    }

    static String matchConditions(List<Cond> want, JsonNode actual, long gen, String where) {
        for (Cond c : want) {
            if (!conditionPresent(c, actual, gen)) {
                return where + ": expected " + c + ", got " + summarizeConditions(actual, gen);
            }
        }
        return null;
    }

    static boolean conditionPresent(Cond c, JsonNode actual, long gen) {
        for (JsonNode a : actual) {
            if (c.type().equals(Json.text(a, "type"))
                    && (c.status() == null || c.status().equals(Json.text(a, "status")))
                    && (c.reason() == null || c.reason().equals(Json.text(a, "reason")))
                    && a.path("observedGeneration").asLong(0) == gen) {
                return true;
            }
        }
        return false;
    }

    private static String condStatus(JsonNode conds, String type, long gen) {
        for (JsonNode a : conds) {
            if (type.equals(Json.text(a, "type")) && a.path("observedGeneration").asLong(0) == gen) {
                return Objects.toString(Json.text(a, "status"), "");
            }
        }
        return "";
    }

    static boolean hasTypedAddress(JsonNode status) {
        for (JsonNode a : status.path("addresses")) {
            String t = Json.text(a, "type");
            if (t != null && !t.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static String matchListener(StatusEntry.Listener l, JsonNode listeners, long gen) {
        JsonNode found = null;
        for (JsonNode ln : listeners) {
            if (l.name().equals(Json.text(ln, "name"))) {
                found = ln;
                break;
            }
        }
        if (found == null) {
            return "listener " + l.name() + " missing from status.listeners " + summarizeListeners(listeners);
        }
        if (l.attachedRoutes() != null && found.path("attachedRoutes").asInt(0) != l.attachedRoutes()) {
            return "listener " + l.name() + ": attachedRoutes expected " + l.attachedRoutes() + ", got "
                    + found.path("attachedRoutes").asInt(0);
        }
        if (l.supportedKinds() != null) {
            JsonNode kinds = found.path("supportedKinds");
            if (l.supportedKinds().isEmpty() && !kinds.isEmpty()) {
                return "listener " + l.name() + ": supportedKinds expected [], got " + compact(kinds);
            }
            for (StatusEntry.Kind k : l.supportedKinds()) {
                String g = k.group() == null ? GROUP : k.group();
                boolean present = false;
                for (JsonNode sk : kinds) {
                    String sg = Json.text(sk, "group") == null ? GROUP : Json.text(sk, "group");
                    if (k.kind().equals(Json.text(sk, "kind")) && g.equals(sg)) {
                        present = true;
                    }
                }
                if (!present) {
                    return "listener " + l.name() + ": supportedKinds lacks " + g + "/" + k.kind() + ", got "
                            + compact(kinds);
                }
            }
        }
        if (l.conditions() != null) {
            return matchConditions(l.conditions(), found.path("conditions"), gen, "listener " + l.name());
        }
        return null;
    }

    private static String matchParent(StatusEntry.Parent p, JsonNode parents, String routeNs, long gen) {
        String lastMismatch = null;
        for (JsonNode sp : parents) {
            JsonNode ref = sp.path("parentRef");
            if (!parentRefMatches(p.parentRef(), p.namespaceRequired(), ref, routeNs)) {
                continue;
            }
            if (p.controllerName() != null && !p.controllerName().equals(Json.text(sp, "controllerName"))) {
                lastMismatch = "parent " + p.parentRef().name() + ": controllerName expected " + p.controllerName()
                        + ", got " + Json.text(sp, "controllerName");
                continue;
            }
            String m = matchConditions(p.conditions(), sp.path("conditions"), gen, "parent " + p.parentRef().name());
            if (m == null) {
                return null;
            }
            lastMismatch = m;
        }
        return lastMismatch != null ? lastMismatch : "parents: no entry for " + describe(p.parentRef())
                + " in status.parents " + summarizeParents(parents, gen);
    }

    /** 8.3. */
    static boolean parentRefMatches(StatusEntry.ParentRef want, boolean namespaceRequired, JsonNode ref,
                                    String routeNs) {
        if (!want.name().equals(Json.text(ref, "name"))) {
            return false;
        }
        if (want.group() != null && !want.group().equals(Json.text(ref, "group"))) {
            return false;
        }
        if (want.kind() != null && !want.kind().equals(Json.text(ref, "kind"))) {
            return false;
        }
        String ns = Json.text(ref, "namespace");
        if (namespaceRequired && ns == null) {
            return false;
        }
        String effective = ns == null ? routeNs : ns;
        return want.namespace().equals(effective);
    }

    private static String describe(StatusEntry.ParentRef r) {
        return (r.kind() == null ? "" : r.kind() + " ") + r.namespace() + "/" + r.name();
    }

    static String summarizeConditions(JsonNode conds, long gen) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : conds) {
            long og = c.path("observedGeneration").asLong(0);
            out.add(Json.text(c, "type") + "=" + Json.text(c, "status") + "/" + Json.text(c, "reason")
                    + (og == gen ? "" : " (observedGeneration " + og + ")"));
        }
        return out.toString();
    }

    static String summarizeListeners(JsonNode listeners) {
        List<String> out = new ArrayList<>();
        for (JsonNode l : listeners) {
            out.add(Json.text(l, "name") + "(attachedRoutes " + l.path("attachedRoutes").asInt(0) + ")");
        }
        return out.toString();
    }

    static String summarizeParents(JsonNode parents, long gen) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : parents) {
            JsonNode r = p.path("parentRef");
            out.add(Objects.toString(Json.text(r, "namespace"), "") + "/" + Json.text(r, "name")
                    + (Json.text(r, "sectionName") == null ? "" : "#" + Json.text(r, "sectionName")) + " "
                    + summarizeConditions(p.path("conditions"), gen));
        }
        return out.toString();
    }

    static String compact(JsonNode n) {
        String s = Json.write(n);
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static boolean sameMultiset(List<String> a, List<String> b) {
        if (a.size() != b.size()) {
            return false;
        }
        Map<String, Integer> m = new HashMap<>();
        a.forEach(x -> m.merge(x, 1, Integer::sum));
        for (String x : b) {
            Integer n = m.get(x);
            if (n == null || n == 0) {
                return false;
            }
            m.put(x, n - 1);
        }
        return true;
    }
}
