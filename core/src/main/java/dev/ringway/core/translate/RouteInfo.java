package dev.ringway.core.translate;

import dev.ringway.core.model.ParentReference;
import dev.ringway.core.model.Resource;
import dev.ringway.core.route.CompiledMatch;
import dev.ringway.core.route.L4Route;
import dev.ringway.core.route.RouteRef;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A route of any kind while it is being translated: its compiled rules and per-parent outcomes. */
final class RouteInfo {
    final Resource resource;
    final RouteRef ref;
    final long generation;
    final Instant created;
    final List<String> hostnames;
    final List<ParentReference> parentRefs;

    /** One entry per parentRef that names one of Ringway's Gateways (or their ListenerSets). */
    final List<ParentOutcome> parents = new ArrayList<>();

    /** Route-level: every rule invalid (or the route itself invalid): Accepted=False with this reason. */
    String invalidReason;
    String invalidMessage;
    /** Some rules invalid: PartiallyInvalid=True with this message. */
    String partiallyInvalidMessage;
    /** ResolvedRefs=False reason and message (first unresolved reference), or null. */
    String unresolvedReason;
    String unresolvedMessage;

    /** Service ports this route sends traffic to, as {@code namespace/service|portName} (for policy ancestors). */
    final java.util.Set<String> serviceTargets = new java.util.LinkedHashSet<>();

    /** HTTP and gRPC routes: compiled matches of the valid rules. */
    final List<CompiledMatch> matches = new ArrayList<>();
    /** TCP, UDP and TLS routes: the compiled rule. */
    L4Route l4;

    record ParentOutcome(ParentReference ref, boolean accepted, String reason, String message,
                         List<ListenerState> listeners) {
    }

    RouteInfo(Resource resource, List<String> hostnames, List<ParentReference> parentRefs) {
        this.resource = resource;
        this.ref = new RouteRef(resource.kind(), resource.namespace(), resource.name());
        this.generation = resource.metadata().gen();
        this.created = resource.metadata().created();
        this.hostnames = hostnames;
        this.parentRefs = parentRefs;
    }

    String kind() {
        return resource.kind();
    }

    String namespace() {
        return resource.namespace();
    }

    void unresolved(String reason, String message) {
        if (unresolvedReason == null) {
            unresolvedReason = reason;
            unresolvedMessage = message;
        }
    }
}
