package dev.ringway.core.translate;

import dev.ringway.core.route.BindAddress;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Listener distinctness (Gateway.spec.listeners godoc, "Distinct Listeners" and "Handling indistinct
 * Listeners"): listeners served on the same address and port must differ — HTTP, HTTPS and TLS by
 * hostname, TCP and UDP by port alone — and a TCP listener makes every HTTP/HTTPS/TLS listener on its
 * port indistinct. HTTPS and TLS share a port (both are chosen by SNI); HTTP and HTTPS/TLS on one port
 * cannot be told apart ({@code ProtocolConflict}); same protocol family with the same hostname is a
 * {@code HostnameConflict}.
 *
 * <p>"The implementation MUST NOT pick one conflicting Listener as the winner. ALL indistinct
 * Listeners must not be accepted": within one owner (a Gateway's own listeners, or one ListenerSet)
 * both sides of a conflict are Conflicted. Across owners sharing a port (a Gateway and its
 * ListenerSets, or Gateways merged onto one address), the owner with precedence keeps its listener:
 * a Gateway's own listeners before ListenerSet listeners, ListenerSets and Gateways by creation time
 * then namespace/name (the ListenerSet GEP's conflict resolution).
 */
final class ListenerConflicts {
    private ListenerConflicts() {
    }

    static void resolve(List<GatewayState> gateways) {
        Map<BindAddress, List<ListenerState>> byAddress = new LinkedHashMap<>();
        for (GatewayState gs : gateways) {
            for (ListenerState l : gs.allListeners()) {
                if (l.notAcceptedReason != null) {
                    continue; // unsupported protocol or invalid spec: not a candidate for the port
                }
                for (BindAddress b : l.binds) {
                    // TCP-transport listeners only conflict with TCP ones, UDP with UDP.
                    List<ListenerState> group = byAddress.computeIfAbsent(b, k -> new ArrayList<>());
                    if (!group.contains(l)) {
                        group.add(l);
                    }
                }
            }
        }
        Comparator<ListenerState> precedence = Comparator
                .comparingInt((ListenerState l) -> l.gateway.order)
                .thenComparingInt(l -> l.ownerOrder)
                .thenComparingInt(l -> l.index);
        for (List<ListenerState> group : byAddress.values()) {
            group.sort(precedence);
            for (int i = 0; i < group.size(); i++) {
                ListenerState later = group.get(i);
                for (int j = 0; j < i; j++) {
                    ListenerState earlier = group.get(j);
                    String reason = conflict(earlier, later);
                    if (reason == null) {
                        continue;
                    }
                    String msg = "conflicts with listener " + earlier.ref.label() + " on port " + later.port()
                            + (reason.equals("ProtocolConflict") ? " (protocol " + earlier.protocol + " vs " + later.protocol + ")"
                            : " (same hostname " + (later.hostname() == null ? "<any>" : later.hostname()) + ")");
                    mark(later, reason, msg);
                    if (sameOwner(earlier, later)) {
                        mark(earlier, reason, "conflicts with listener " + later.ref.label() + " on port " + later.port());
                    }
                }
            }
        }
    }

    private static boolean sameOwner(ListenerState a, ListenerState b) {
        return a.gateway == b.gateway && a.owner == b.owner;
    }

    private static void mark(ListenerState l, String reason, String msg) {
        if (l.conflictReason == null) {
            l.conflictReason = reason;
            l.conflictMessage = msg;
        }
    }

    private static String family(String protocol) {
        return switch (protocol) {
            case "HTTPS", "TLS" -> "tls";
            default -> protocol.toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** The conflict reason between two listeners on one address and port, or null when distinct. */
    static String conflict(ListenerState a, ListenerState b) {
        String fa = family(a.protocol);
        String fb = family(b.protocol);
        if (!fa.equals(fb)) {
            return "ProtocolConflict";
        }
        if (fa.equals("tcp") || fa.equals("udp")) {
            return "HostnameConflict";
        }
        String ha = a.hostname();
        String hb = b.hostname();
        return (ha == null ? hb == null : ha.equals(hb)) ? "HostnameConflict" : null;
    }
}
