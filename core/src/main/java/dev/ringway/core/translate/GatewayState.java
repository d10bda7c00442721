package dev.ringway.core.translate;

import dev.ringway.core.model.Gateway;
import dev.ringway.core.model.ListenerSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A Gateway of Ringway's class while it is being translated. */
final class GatewayState {
    final Gateway gateway;
    final int order;
    final long generation;
    /** Addresses it listens on (IP literals); empty when none could be assigned. */
    final List<String> ips = new ArrayList<>();
    /** Addresses the data plane reported it could not bind. */
    final java.util.Set<String> unboundIps = new java.util.HashSet<>();
    final List<ListenerState> listeners = new ArrayList<>();
    /** ListenerSets attached, in precedence order, with their listeners. */
    final Map<ListenerSet, List<ListenerState>> listenerSets = new LinkedHashMap<>();

    String notAcceptedReason;
    String notAcceptedMessage;
    /** Programmed=False reason/message independent of listeners (addresses), or null. */
    String notProgrammedReason;
    String notProgrammedMessage;
    /** Gateway-level ResolvedRefs=False (spec.tls.backend.clientCertificateRef), or null. */
    String unresolvedReason;
    String unresolvedMessage;
    /** The Gateway's client certificate toward TLS backends, or null. */
    dev.ringway.core.route.CertificateBundle backendClientCertificate;
    /** Some listener validates client certificates with AllowInsecureFallback. */
    boolean insecureFrontendValidation;

    GatewayState(Gateway gateway, int order) {
        this.gateway = gateway;
        this.order = order;
        this.generation = gateway.metadata().gen();
    }

    String namespace() {
        return gateway.namespace();
    }

    String name() {
        return gateway.name();
    }

    String nsName() {
        return namespace() + "/" + name();
    }

    /**
     * The Gateway can carry traffic at all (accepted, has an address). Bind failures do not change
     * this: its sockets stay in the snapshot so the data plane keeps trying to bind them.
     */
    boolean serving() {
        return notAcceptedReason == null && !ips.isEmpty();
    }

    String notServingMessage() {
        if (notAcceptedReason != null) {
            return notAcceptedMessage;
        }
        if (notProgrammedReason != null) {
            return notProgrammedMessage;
        }
        return ips.isEmpty() ? "no address assigned" : "";
    }

    /** Own listeners followed by those of attached ListenerSets. */
    List<ListenerState> allListeners() {
        List<ListenerState> all = new ArrayList<>(listeners);
        listenerSets.values().forEach(all::addAll);
        return all;
    }

    ListenerState listener(String name) {
        for (ListenerState l : listeners) {
            if (l.spec.name().equals(name)) {
                return l;
            }
        }
        return null;
    }
}
