package dev.ringway.core.translate;

import dev.ringway.core.model.GatewayClass;
import dev.ringway.core.model.Kinds;
import dev.ringway.core.model.ListenerSet;
import dev.ringway.core.model.Resource;
import dev.ringway.core.model.ResourceKey;
import dev.ringway.core.route.Snapshot;
import dev.ringway.core.status.Condition;
import dev.ringway.core.status.ObjectStatus;
import dev.ringway.core.status.StatusReport;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pure function at the heart of Ringway: from every object read (Gateway API kinds plus
 * Namespaces, Services, EndpointSlices, Secrets, ConfigMaps) to the data-plane {@link Snapshot} and
 * the status of every object. Deterministic (same input, same output, whatever the input order);
 * never throws on user error: bad input becomes a status condition.
 *
 * <p>Phases: (0) {@link Index} sorts and indexes the input; (1) GatewayClasses of our controller
 * are accepted; (2) {@link GatewayPhase} validates Gateways, ListenerSets and listeners, resolves
 * certificates, assigns addresses and resolves conflicts; (3) {@link RoutePhase} compiles every
 * route once ({@link HttpRouteCompiler}, {@link BackendResolver}) and attaches it to listeners;
 * (4) {@link SnapshotBuilder} builds the routing tables; (5) statuses are assembled.
 */
public final class Translator {
    private final TranslatorOptions options;

    private Translator(TranslatorOptions options) {
        this.options = options;
    }

    public static Translator create(TranslatorOptions options) {
        return new Translator(options);
    }

    public TranslatorOptions options() {
        return options;
    }

    public Translation translate(Collection<? extends Resource> resources, BindFeedback feedback) {
        Index index = new Index(resources);
        Map<ResourceKey, StatusReport.Entry> statuses = new LinkedHashMap<>();

        // Phase 1: GatewayClasses whose controllerName is ours.
        Set<String> ourClasses = new HashSet<>();
        for (GatewayClass gc : index.gatewayClasses) {
            if (!GatewayPhase.isOurs(gc, options)) {
                continue; // another controller's: never touch its status
            }
            ObjectStatus.GatewayClassStatus st = gatewayClassStatus(gc);
            if (st.conditions().get(0).isTrue()) {
                ourClasses.add(gc.name());
            }
            statuses.put(gc.key(), new StatusReport.Entry(gc.apiVersion(), gc.metadata().gen(), st));
        }

        // Phase 2 and 3: gateways and listeners, then routes.
        GatewayPhase gateways = new GatewayPhase(index, options, feedback);
        gateways.run(ourClasses);
        BackendTlsPolicies policies = new BackendTlsPolicies(index);
        BackendResolver backends = new BackendResolver(index, policies);
        RoutePhase routes = new RoutePhase(index, gateways, backends);
        routes.run();

        // Phase 4: routing tables, validated.
        Snapshot snapshot = SnapshotBuilder.build(gateways.gateways, backends.backends());
        List<String> errors = SnapshotBuilder.validate(snapshot);

        // Phase 5: statuses.
        for (GatewayState gs : gateways.gateways) {
            statuses.put(gs.gateway.key(), new StatusReport.Entry(gs.gateway.apiVersion(), gs.generation, gateways.status(gs)));
        }
        for (Map.Entry<ListenerSet, GatewayPhase.ListenerSetOutcome> e : gateways.listenerSets.entrySet()) {
            ListenerSet set = e.getKey();
            statuses.put(set.key(), new StatusReport.Entry(set.apiVersion(), set.metadata().gen(), gateways.status(set, e.getValue())));
        }
        for (RouteInfo r : routes.withParents()) {
            statuses.put(r.resource.key(), new StatusReport.Entry(r.resource.apiVersion(), r.generation, routeStatus(r)));
        }
        policyStatuses(policies, routes, statuses);
        return new Translation(snapshot, new StatusReport(statuses), gateways.assignedAddresses, errors);
    }

    /**
     * GatewayClass acceptance (GatewayClass godoc): a class whose {@code controllerName} is ours is
     * {@code Accepted=True}; a {@code parametersRef} cannot be resolved because Ringway defines no
     * parameters kind, so such a class is {@code Accepted=False, InvalidParameters}.
     * {@code SupportedVersion=True}: Ringway reads the CRD versions of Gateway API v1.6.
     */
    private ObjectStatus.GatewayClassStatus gatewayClassStatus(GatewayClass gc) {
        long g = gc.metadata().gen();
        List<Condition> conds = new ArrayList<>();
        var pr = gc.spec().parametersRef();
        if (pr != null) {
            conds.add(Condition.isFalse("Accepted", "InvalidParameters", "parametersRef " + pr.group() + "/" + pr.kind() + " "
                    + pr.name() + " is not supported: Ringway defines no parameters kind", g));
        } else {
            conds.add(Condition.isTrue("Accepted", "Accepted", "GatewayClass is accepted by " + options.controllerName(), g));
        }
        conds.add(Condition.isTrue("SupportedVersion", "SupportedVersion", "Gateway API v1.6 is supported", g));
        List<ObjectStatus.SupportedFeature> features = Features.SUPPORTED.stream().sorted()
                .map(ObjectStatus.SupportedFeature::new).toList();
        return new ObjectStatus.GatewayClassStatus(conds, features);
    }

    /** Per-parent route status: Accepted, ResolvedRefs and (when some rules were dropped) PartiallyInvalid. */
    private ObjectStatus.RouteStatus routeStatus(RouteInfo r) {
        long g = r.generation;
        List<ObjectStatus.RouteParentStatus> parents = new ArrayList<>();
        for (RouteInfo.ParentOutcome p : r.parents) {
            List<Condition> conds = new ArrayList<>();
            conds.add(p.accepted() ? Condition.isTrue("Accepted", "Accepted", p.message(), g)
                    : Condition.isFalse("Accepted", p.reason(), p.message(), g));
            conds.add(r.unresolvedReason == null
                    ? Condition.isTrue("ResolvedRefs", "ResolvedRefs", "All references are resolved", g)
                    : Condition.isFalse("ResolvedRefs", r.unresolvedReason, r.unresolvedMessage, g));
            if (r.partiallyInvalidMessage != null) {
                conds.add(Condition.isTrue("PartiallyInvalid", "UnsupportedValue", r.partiallyInvalidMessage, g));
            }
            parents.add(new ObjectStatus.RouteParentStatus(p.ref(), options.controllerName(), conds));
        }
        return new ObjectStatus.RouteStatus(parents);
    }

    /**
     * BackendTLSPolicy status: one {@code ancestors} entry per Gateway of ours whose accepted routes
     * use a backend the policy applies to (PolicyAncestorStatus godoc: the ancestor is the Gateway),
     * with {@code Accepted} and {@code ResolvedRefs}. A policy no route of ours uses gets no status.
     */
    private void policyStatuses(BackendTlsPolicies policies, RoutePhase routes, Map<ResourceKey, StatusReport.Entry> out) {
        Map<String, Set<GatewayState>> gatewaysByTarget = new java.util.HashMap<>();
        for (RouteInfo r : routes.routes) {
            for (RouteInfo.ParentOutcome po : r.parents) {
                if (po.accepted()) {
                    for (String t : r.serviceTargets) {
                        gatewaysByTarget.computeIfAbsent(t, k -> new java.util.LinkedHashSet<>()).add(po.listeners().get(0).gateway);
                    }
                }
            }
        }
        Map<dev.ringway.core.model.BackendTlsPolicy, Set<GatewayState>> ancestors = new LinkedHashMap<>();
        for (var p : policies.outcomes.keySet()) {
            for (var t : p.spec() == null ? List.<dev.ringway.core.model.BackendTlsPolicy.TargetRef>of() : p.spec().targetRefs()) {
                String prefix = p.namespace() + "/" + t.name() + "|";
                gatewaysByTarget.forEach((target, gws) -> {
                    boolean hit = t.sectionName() == null || t.sectionName().isEmpty() ? target.startsWith(prefix)
                            : target.equals(prefix + t.sectionName());
                    if (hit) {
                        ancestors.computeIfAbsent(p, k -> new java.util.LinkedHashSet<>()).addAll(gws);
                    }
                });
            }
        }
        for (var e : policies.outcomes.entrySet()) {
            Set<GatewayState> gws = ancestors.get(e.getKey());
            if (gws == null) {
                continue;
            }
            BackendTlsPolicies.Outcome o = e.getValue();
            long g = o.policy().metadata().gen();
            List<GatewayState> sorted = new ArrayList<>(gws);
            sorted.sort(java.util.Comparator.comparing(GatewayState::nsName));
            List<ObjectStatus.PolicyAncestorStatus> list = new ArrayList<>();
            for (GatewayState gs : sorted) {
                List<Condition> conds = new ArrayList<>();
                conds.add(o.accepted() ? Condition.isTrue("Accepted", "Accepted", "Policy is accepted", g)
                        : Condition.isFalse("Accepted", o.notAcceptedReason(), o.notAcceptedMessage(), g));
                conds.add(o.unresolvedReason() == null
                        ? Condition.isTrue("ResolvedRefs", "ResolvedRefs", "All references are resolved", g)
                        : Condition.isFalse("ResolvedRefs", o.unresolvedReason(), o.unresolvedMessage(), g));
                list.add(new ObjectStatus.PolicyAncestorStatus(new dev.ringway.core.model.ParentReference(
                        Kinds.GATEWAY_GROUP, Kinds.GATEWAY, gs.namespace(), gs.name(), null, null), options.controllerName(), conds));
            }
            out.put(o.policy().key(), new StatusReport.Entry(o.policy().apiVersion(), g, new ObjectStatus.PolicyStatus(list)));
        }
    }

    static boolean isGatewayApiKind(String kind) {
        return Kinds.STATUS_KINDS.contains(kind);
    }
}
