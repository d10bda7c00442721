package dev.ringway.core.translate;

import dev.ringway.core.model.Listener;
import dev.ringway.core.model.ListenerSet;
import dev.ringway.core.route.BindAddress;
import dev.ringway.core.route.CertificateBundle;
import dev.ringway.core.route.ListenerRef;
import dev.ringway.core.status.Condition;

import java.util.ArrayList;
import java.util.List;

/** A listener while it is being translated: its spec, owner, validation outcome and attachments. */
final class ListenerState {
    final Listener spec;
    final ListenerRef ref;
    final GatewayState gateway;
    /** The ListenerSet contributing this listener, or null for the Gateway's own. */
    final ListenerSet owner;
    /** 0 for the Gateway's own listeners, 1.. for ListenerSets in precedence order. */
    final int ownerOrder;
    final int index;
    final long generation;

    String protocol;
    final List<Listener.RouteGroupKind> supportedKinds = new ArrayList<>();
    /** Accepted=False reason and message, or null when accepted. */
    String notAcceptedReason;
    String notAcceptedMessage;
    /** ResolvedRefs=False reason and message, or null. */
    String unresolvedReason;
    String unresolvedMessage;
    boolean unresolvedBlocksServing;
    /** Conflicted reason (HostnameConflict / ProtocolConflict), or null. */
    String conflictReason;
    String conflictMessage;
    /** Why the socket could not be bound, or null. */
    String bindFailure;

    final List<CertificateBundle> certificates = new ArrayList<>();
    /** Frontend client-certificate validation for this listener's port, or null. */
    dev.ringway.core.route.TlsListener.ClientValidation clientValidation;
    final List<BindAddress> binds = new ArrayList<>();
    /** Routes attached (Accepted) to this listener, with their effective hostnames. */
    final List<Attached> attached = new ArrayList<>();

    record Attached(RouteInfo route, List<String> hostnames) {
    }

    ListenerState(Listener spec, GatewayState gateway, ListenerSet owner, int ownerOrder, int index, long generation) {
        this.spec = spec;
        this.gateway = gateway;
        this.owner = owner;
        this.ownerOrder = ownerOrder;
        this.index = index;
        this.generation = generation;
        this.ref = ListenerRef.of(gateway.namespace(), gateway.name(), owner == null ? null : owner.name(), spec.name());
        this.protocol = spec.protocol();
    }

    /** Number of distinct routes attached (Accepted) to this listener. */
    int attachedRoutes() {
        return (int) attached.stream().map(Attached::route).distinct().count();
    }

    String hostname() {
        return spec.hostname() == null || spec.hostname().isEmpty() ? null : spec.hostname();
    }

    int port() {
        return spec.portOrZero();
    }

    /** The listener may carry traffic: accepted, not conflicted, references usable. */
    boolean valid() {
        return notAcceptedReason == null && conflictReason == null && !unresolvedBlocksServing;
    }

    boolean programmed() {
        return valid() && bindFailure == null && gateway.serving();
    }

    boolean allowsKind(String group, String kind) {
        for (Listener.RouteGroupKind k : supportedKinds) {
            if (k.kind().equals(kind) && k.group().equals(group)) {
                return true;
            }
        }
        return false;
    }

    List<Condition> conditions() {
        long g = generation;
        List<Condition> out = new ArrayList<>(4);
        if (conflictReason != null) {
            out.add(Condition.isFalse("Accepted", conflictReason, conflictMessage, g));
        } else if (notAcceptedReason != null) {
            out.add(Condition.isFalse("Accepted", notAcceptedReason, notAcceptedMessage, g));
        } else {
            out.add(Condition.isTrue("Accepted", "Accepted", "Listener is valid", g));
        }
        if (programmed()) {
            out.add(Condition.isTrue("Programmed", "Programmed", "Listener is programmed", g));
        } else if (conflictReason != null) {
            out.add(Condition.isFalse("Programmed", conflictReason, conflictMessage, g));
        } else if (!valid()) {
            out.add(Condition.isFalse("Programmed", "Invalid", "Listener is invalid: "
                    + (notAcceptedMessage != null ? notAcceptedMessage : unresolvedMessage), g));
        } else if (bindFailure != null) {
            out.add(Condition.isFalse("Programmed", "Pending", "Listener socket could not be bound: " + bindFailure, g));
        } else {
            out.add(Condition.isFalse("Programmed", "Invalid", "Gateway is not programmed: " + gateway.notServingMessage(), g));
        }
        if (unresolvedReason != null) {
            out.add(Condition.isFalse("ResolvedRefs", unresolvedReason, unresolvedMessage, g));
        } else {
            out.add(Condition.isTrue("ResolvedRefs", "ResolvedRefs", "All references are resolved", g));
        }
        if (conflictReason != null) {
            out.add(Condition.isTrue("Conflicted", conflictReason, conflictMessage, g));
        } else {
            out.add(Condition.isFalse("Conflicted", "NoConflicts", "No conflicts", g));
        }
        return out;
    }
}
