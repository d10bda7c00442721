package dev.ringway.core.model;

import java.util.List;
import java.util.Map;

/** A Gateway or ListenerSet listener. */
public record Listener(String name, String hostname, Integer port, String protocol, Tls tls,
                       AllowedRoutes allowedRoutes) {
    public Listener {
        allowedRoutes = allowedRoutes == null ? new AllowedRoutes(null, null) : allowedRoutes;
    }

    public int portOrZero() {
        return port == null ? 0 : port;
    }

    public record Tls(String mode, List<SecretObjectReference> certificateRefs, Map<String, String> options) {
        public Tls {
            mode = mode == null ? "Terminate" : mode;
            certificateRefs = Lists.copy(certificateRefs);
            options = Lists.copy(options);
        }
    }

    /** Which routes may attach: by namespace (Same by default) and by kind. */
    public record AllowedRoutes(RouteNamespaces namespaces, List<RouteGroupKind> kinds) {
        public AllowedRoutes {
            namespaces = namespaces == null ? new RouteNamespaces("Same", null) : namespaces;
            kinds = Lists.copyOrNull(kinds);
        }
    }

    public record RouteNamespaces(String from, LabelSelector selector) {
        public RouteNamespaces {
            from = from == null ? "Same" : from;
        }
    }

    public record RouteGroupKind(String group, String kind) {
        public RouteGroupKind {
            group = group == null ? Kinds.GATEWAY_GROUP : group;
        }
    }
}
