package dev.ringway.control.status;

import dev.ringway.core.model.ParentReference;
import dev.ringway.core.model.ResourceKey;
import dev.ringway.core.status.Condition;
import dev.ringway.core.status.ObjectStatus;
import dev.ringway.core.status.StatusReport;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Stamps {@code lastTransitionTime}: a condition keeps the previous time while its type, status and
 * reason stay the same (message and observedGeneration changes do not count, as in
 * {@code meta.SetStatusCondition}); otherwise it gets the time of the update. A condition is
 * identified by its object, its place in the status (object, listener by name, parent or ancestor
 * by reference and controller) and its type. Not thread-safe: owned by the status store.
 */
public final class ConditionTimes {
    private record Stamp(String status, String reason, Instant time) {
    }

    private Map<String, Stamp> stamps = Map.of();

    /** Applies a new report; returns the time of every condition in it, by {@link #path}. */
    public Map<String, Instant> update(StatusReport report, Instant now) {
        Instant t = now.truncatedTo(ChronoUnit.SECONDS);
        Map<String, Stamp> next = new HashMap<>();
        Map<String, Instant> times = new HashMap<>();
        forEach(report, (path, c) -> {
            Stamp prev = stamps.get(path);
            Stamp s = prev != null && prev.status().equals(c.status()) && java.util.Objects.equals(prev.reason(), c.reason())
                    ? prev
                    : new Stamp(c.status(), c.reason(), t);
            next.put(path, s);
            times.put(path, s.time());
        });
        stamps = next;
        return Collections.unmodifiableMap(times);
    }

    /** Visits every condition of every object with its path. */
    public static void forEach(StatusReport report, BiConsumer<String, Condition> visitor) {
        report.entries().forEach((key, entry) -> forEach(key, entry.status(), visitor));
    }

    static void forEach(ResourceKey key, ObjectStatus status, BiConsumer<String, Condition> v) {
        switch (status) {
            case ObjectStatus.GatewayClassStatus s -> each(key, "", s.conditions(), v);
            case ObjectStatus.GatewayStatus s -> {
                each(key, "", s.conditions(), v);
                s.listeners().forEach(l -> each(key, listenerScope(l.name()), l.conditions(), v));
            }
            case ObjectStatus.ListenerSetStatus s -> {
                each(key, "", s.conditions(), v);
                s.listeners().forEach(l -> each(key, listenerScope(l.name()), l.conditions(), v));
            }
            case ObjectStatus.RouteStatus s ->
                    s.parents().forEach(p -> each(key, refScope("parent", p.parentRef(), p.controllerName()), p.conditions(), v));
            case ObjectStatus.PolicyStatus s ->
                    s.ancestors().forEach(a -> each(key, refScope("ancestor", a.ancestorRef(), a.controllerName()), a.conditions(), v));
        }
    }

    private static void each(ResourceKey key, String scope, List<Condition> conditions, BiConsumer<String, Condition> v) {
        for (Condition c : conditions) {
            v.accept(path(key, scope, c.type()), c);
        }
    }

    public static String path(ResourceKey key, String scope, String type) {
        return key.kind() + "/" + key.namespace() + "/" + key.name() + "|" + scope + "|" + type;
    }

    public static String listenerScope(String listener) {
        return "listener:" + listener;
    }

    public static String refScope(String what, ParentReference r, String controller) {
        return what + ":" + r.group() + "/" + r.kind() + "/" + r.namespace() + "/" + r.name() + "/" + r.sectionName()
                + "/" + r.port() + "@" + controller;
    }
}
