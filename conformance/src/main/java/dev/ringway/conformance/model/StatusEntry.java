package dev.ringway.conformance.model;

import java.util.List;

/** One entry of a {@code status} step (SCHEMA 3). Null fields are not checked. */
public record StatusEntry(
        String kind,
        String namespace,
        String name,
        boolean eventually,
        List<Cond> conditions,
        boolean latestObservedGeneration,
        boolean generationChanged,
        boolean hasAddress,
        List<Address> addressesExact,
        Integer attachedListenerSets,
        boolean zeroRoutes,
        boolean listenersExact,
        List<Listener> listeners,
        List<Parent> parents,
        boolean noAcceptedParents,
        List<Ancestor> ancestors) {

    public record Address(String type, String value) {}

    public record Kind(String group, String kind) {}

    public record Listener(String name, Integer attachedRoutes, List<Kind> supportedKinds, List<Cond> conditions) {}

    public record ParentRef(String group, String kind, String name, String namespace) {}

    public record Parent(ParentRef parentRef, String controllerName, boolean namespaceRequired, List<Cond> conditions) {}

    public record Ancestor(String name, String namespace, List<Cond> conditions) {}

    public String id() {
        return kind + " " + (namespace == null ? "" : namespace + "/") + name;
    }

    /** Upstream's longer limit (8.7): addresses, or conditions on a Gateway, GatewayClass or ListenerSet. */
    public boolean longLimit() {
        return hasAddress || addressesExact != null
                || (conditions != null && (kind.equals("Gateway") || kind.equals("GatewayClass") || kind.equals("ListenerSet")));
    }
}
