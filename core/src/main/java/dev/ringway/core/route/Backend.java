package dev.ringway.core.route;

import java.util.List;

/**
 * One resolved backend (a Service port) in a snapshot, shared by every rule that refers to it.
 * {@code id} is dense within the snapshot so per-event-loop state (round-robin counters, pools)
 * can live in arrays indexed by it. An invalid backend keeps its place so that its share of
 * traffic answers 500 (HTTPRouteRule.backendRefs godoc).
 *
 * @param id          dense index in {@link Snapshot#backends()}
 * @param name        {@code namespace/service:port}, or a description of the invalid reference
 * @param invalid     null when usable; otherwise why it is not (its traffic gets 500)
 * @param protocol    how to speak to it
 * @param endpoints   ready endpoints (empty: 503)
 * @param tls         TLS toward the backend (BackendTLSPolicy), or null for cleartext
 */
public record Backend(int id, String name, String invalid, AppProtocol protocol, List<Endpoint> endpoints,
                      BackendTls tls) {
    public Backend {
        endpoints = List.copyOf(endpoints);
    }

    public boolean isInvalid() {
        return invalid != null;
    }

    /** Round-robin choice over ready endpoints using this event loop's counter; null when none. */
    public Endpoint pick(BalancerState state) {
        List<Endpoint> eps = endpoints;
        int n = eps.size();
        if (n == 0) {
            return null;
        }
        if (n == 1) {
            return eps.get(0);
        }
        return eps.get(state.next(id, n));
    }
}
