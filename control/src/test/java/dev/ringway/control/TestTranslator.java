package dev.ringway.control;

import dev.ringway.control.reconcile.TranslateFn;
import dev.ringway.core.model.Gateway;
import dev.ringway.core.model.HttpRoute;
import dev.ringway.core.model.Listener;
import dev.ringway.core.model.ParentReference;
import dev.ringway.core.model.Resource;
import dev.ringway.core.route.BindAddress;
import dev.ringway.core.route.HostTable;
import dev.ringway.core.route.HttpRouter;
import dev.ringway.core.route.ListenerRef;
import dev.ringway.core.route.PortBinding;
import dev.ringway.core.route.Snapshot;
import dev.ringway.core.status.Condition;
import dev.ringway.core.status.ObjectStatus;
import dev.ringway.core.status.StatusReport;
import dev.ringway.core.translate.BindFeedback;
import dev.ringway.core.translate.Translation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the core translator: each Gateway listener becomes a binding on 127.0.0.1:port
 * (Programmed=False when the bind feedback says it failed), each HTTPRoute gets an accepted parent,
 * and a route named {@code invalid} makes the translation fail validation.
 */
public final class TestTranslator implements TranslateFn {
    public final AtomicInteger calls = new AtomicInteger();
    public final List<BindFeedback> feedbacks = new CopyOnWriteArrayList<>();
    public final List<List<Resource>> inputs = new CopyOnWriteArrayList<>();
    public volatile Duration delay = Duration.ZERO;

    @Override
    public Translation translate(List<Resource> resources, BindFeedback feedback) {
        calls.incrementAndGet();
        feedbacks.add(feedback);
        inputs.add(resources);
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<PortBinding> bindings = new ArrayList<>();
        Map<dev.ringway.core.model.ResourceKey, StatusReport.Entry> entries = new TreeMap<>();
        List<String> errors = new ArrayList<>();
        for (Resource r : resources) {
            long gen = r.metadata().gen();
            switch (r) {
                case Gateway g -> {
                    List<ObjectStatus.ListenerStatus> ls = new ArrayList<>();
                    boolean allBound = true;
                    for (Listener l : g.spec().listeners()) {
                        BindAddress a = new BindAddress("127.0.0.1", l.portOrZero(), BindAddress.Transport.TCP);
                        ListenerRef ref = ListenerRef.of(g.namespace(), g.name(), null, l.name());
                        bindings.add(new PortBinding(a, PortBinding.Kind.HTTP,
                                new HttpRouter(HostTable.<dev.ringway.core.route.ListenerRoutes>builder().build(), List.of()),
                                null, null, List.of(ref)));
                        String err = feedback.failures().get(a);
                        allBound &= err == null;
                        ls.add(new ObjectStatus.ListenerStatus(l.name(),
                                List.of(new Listener.RouteGroupKind(null, "HTTPRoute")), 0,
                                List.of(err == null ? Condition.isTrue("Programmed", "Programmed", "bound", gen)
                                        : Condition.isFalse("Programmed", "PortUnavailable", err, gen))));
                    }
                    entries.put(r.key(), new StatusReport.Entry(g.apiVersion(), gen, new ObjectStatus.GatewayStatus(
                            List.of(new ObjectStatus.Address("IPAddress", "127.0.0.1")),
                            List.of(Condition.isTrue("Accepted", "Accepted", "ok", gen),
                                    allBound ? Condition.isTrue("Programmed", "Programmed", "ok", gen)
                                            : Condition.isFalse("Programmed", "Invalid", "not bound", gen)),
                            ls, null)));
                }
                case HttpRoute h -> {
                    if (h.name().equals("invalid")) {
                        errors.add("HTTPRoute " + h.namespace() + "/invalid: rejected by the test translator");
                    }
                    List<ObjectStatus.RouteParentStatus> parents = new ArrayList<>();
                    for (ParentReference p : h.spec().parentRefs()) {
                        parents.add(new ObjectStatus.RouteParentStatus(p, "ringway.dev/gateway-controller",
                                List.of(Condition.isTrue("Accepted", "Accepted", "ok", gen),
                                        Condition.isTrue("ResolvedRefs", "ResolvedRefs", "ok", gen))));
                    }
                    entries.put(r.key(), new StatusReport.Entry(h.apiVersion(), gen, new ObjectStatus.RouteStatus(parents)));
                }
                default -> {
                }
            }
        }
        return new Translation(new Snapshot(0, bindings, List.of()), new StatusReport(entries), Map.of(), errors);
    }
}
