package dev.ringway.core.translate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Hostname validation and the listener/route hostname intersection rules. */
final class Hostnames {
    private Hostnames() {
    }

    /**
     * Listener and route hostnames (Hostname type godoc): an RFC 1123 DNS name, optionally prefixed
     * by a wildcard label {@code *.}; IP addresses are not allowed. Returns null when valid, else why.
     */
    static String validate(String h) {
        if (h == null || h.isEmpty()) {
            return null;
        }
        if (h.length() > 253) {
            return "hostname longer than 253 characters";
        }
        String name = h.startsWith("*.") ? h.substring(2) : h;
        if (name.isEmpty()) {
            return "wildcard hostname needs a domain after *.";
        }
        if (isIpLiteral(h)) {
            return "hostname must not be an IP address";
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                return "invalid hostname \"" + h + "\": empty or too long label";
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0 && i < label.length() - 1);
                if (!ok) {
                    return "invalid hostname \"" + h + "\": must be lower-case RFC 1123 labels, optionally prefixed by *.";
                }
            }
        }
        return null;
    }

    static boolean isIpLiteral(String h) {
        if (h.indexOf(':') >= 0) {
            return true;
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return false;
            }
        }
        return true;
    }

    /** Does {@code pattern} ({@code *.x} or a name) match the concrete name {@code host}? */
    static boolean matches(String pattern, String host) {
        if (pattern.startsWith("*.")) {
            String suffix = pattern.substring(1); // ".example.com"
            return host.endsWith(suffix) && host.length() > suffix.length();
        }
        return pattern.equals(host);
    }

    /**
     * The effective hostnames of a route on a listener, per HTTPRouteSpec.hostnames godoc: with no
     * listener hostname, the route's hostnames (or all, {@code [null]}); with no route hostnames, the
     * listener's; with both, every route hostname that matches the listener hostname, where a
     * wildcard route hostname narrower than or equal to a wildcard listener hostname is kept as is,
     * and a wildcard route hostname wider than the listener hostname yields the listener hostname
     * ({@code *.example.com} on listener {@code foo.example.com} serves {@code foo.example.com}).
     * "Any HTTPRoute hostnames that do not match the Listener hostname MUST be ignored"; an empty
     * result means the route does not attach ({@code NoMatchingListenerHostname}).
     */
    static List<String> intersect(String listenerHostname, List<String> routeHostnames) {
        String l = listenerHostname == null || listenerHostname.isEmpty() ? null : listenerHostname.toLowerCase(Locale.ROOT);
        if (routeHostnames.isEmpty()) {
            List<String> any = new ArrayList<>(1);
            any.add(l);
            return any;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String raw : routeHostnames) {
            String r = raw.toLowerCase(Locale.ROOT);
            if (l == null) {
                out.add(r);
            } else if (l.equals(r)) {
                out.add(r);
            } else if (!r.startsWith("*.") && l.startsWith("*.")) {
                if (matches(l, r)) {
                    out.add(r);
                }
            } else if (r.startsWith("*.") && !l.startsWith("*.")) {
                if (matches(r, l)) {
                    out.add(l);
                }
            } else if (r.startsWith("*.") && l.startsWith("*.")) {
                // both wildcards: the narrower one, when one contains the other
                if (r.endsWith(l.substring(1))) {
                    out.add(r);
                } else if (l.endsWith(r.substring(1))) {
                    out.add(l);
                }
            }
        }
        return new ArrayList<>(out);
    }
}
