package dev.ringway.core.route;

/**
 * The routes attached to one listener, by effective hostname: each route hostname intersected with
 * the listener hostname (HTTPRouteSpec.hostnames godoc) selects a virtual host, and "precedence must
 * be given to rules from the HTTPRoute with the largest number of characters in a matching
 * non-wildcard hostname; characters in a matching hostname" — the most specific virtual host for the
 * request's host is the one whose rules are matched.
 *
 * @param backendClientCertificate the Gateway's client certificate toward TLS backends
 *                                 ({@code spec.tls.backend.clientCertificateRef}), or null
 */
public record ListenerRoutes(ListenerRef listener, String hostname, HostTable<RuleTable> vhosts,
                             CertificateBundle backendClientCertificate) {

    public ListenerRoutes(ListenerRef listener, String hostname, HostTable<RuleTable> vhosts) {
        this(listener, hostname, vhosts, null);
    }

    public CompiledMatch route(HttpRequestView req) {
        RuleTable t = vhosts.lookup(req.host());
        return t == null ? null : t.match(req);
    }
}
