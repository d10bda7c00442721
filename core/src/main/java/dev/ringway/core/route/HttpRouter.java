package dev.ringway.core.route;

import java.util.List;

/**
 * HTTP routing for one bound port: the listeners sharing the port (their hostnames distinct, or
 * they would be Conflicted), chosen by the request's host with {@link HostTable} specificity — a
 * request goes to the most specific listener only (listener isolation), then to that listener's
 * virtual host and rule table.
 */
public final class HttpRouter {
    private final HostTable<ListenerRoutes> listeners;
    private final List<ListenerRoutes> all;

    public HttpRouter(HostTable<ListenerRoutes> listeners, List<ListenerRoutes> all) {
        this.listeners = listeners;
        this.all = List.copyOf(all);
    }

    /** The listener a request with this host belongs to, or null. */
    public ListenerRoutes listenerFor(String host) {
        return listeners.lookup(host);
    }

    /** The match for a request, or null when nothing matches (404). */
    public CompiledMatch route(HttpRequestView req) {
        ListenerRoutes l = listeners.lookup(req.host());
        return l == null ? null : l.route(req);
    }

    public List<ListenerRoutes> listeners() {
        return all;
    }
}
