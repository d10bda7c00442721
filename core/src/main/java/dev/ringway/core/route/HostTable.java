package dev.ringway.core.route;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Host lookup with Gateway API hostname semantics: an exact name wins over wildcards, a longer
 * wildcard suffix wins over a shorter one, and the catch-all ({@code null} hostname) comes last.
 * {@code *.example.com} matches {@code a.example.com} and {@code a.b.example.com} but not
 * {@code example.com} (HTTPRouteSpec.hostnames godoc). Immutable once built; safe for any thread.
 */
public final class HostTable<T> {
    private final Map<String, T> exact;
    /** Keyed by the suffix including its leading dot: {@code *.example.com} is {@code .example.com}. */
    private final Map<String, T> wildcard;
    private final T any;

    private HostTable(Map<String, T> exact, Map<String, T> wildcard, T any) {
        this.exact = exact;
        this.wildcard = wildcard;
        this.any = any;
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /** The most specific entry for {@code host} (lower-case, no port), or null. */
    public T lookup(String host) {
        if (host != null && !host.isEmpty()) {
            T t = exact.get(host);
            if (t != null) {
                return t;
            }
            if (!wildcard.isEmpty()) {
                // Longest suffix first: for a.b.example.com try .b.example.com, then .example.com, then .com.
                int dot = host.indexOf('.');
                while (dot >= 0) {
                    t = wildcard.get(host.substring(dot));
                    if (t != null) {
                        return t;
                    }
                    dot = host.indexOf('.', dot + 1);
                }
            }
        }
        return any;
    }

    /** The entry stored for exactly this pattern ({@code *.x}, a name, or null for the catch-all). */
    public T get(String pattern) {
        if (pattern == null) {
            return any;
        }
        return pattern.startsWith("*.") ? wildcard.get(pattern.substring(1)) : exact.get(pattern);
    }

    public boolean isEmpty() {
        return exact.isEmpty() && wildcard.isEmpty() && any == null;
    }

    /** Visits every entry with its pattern ({@code null} for the catch-all), in no particular order. */
    public void forEach(BiConsumer<String, T> visitor) {
        exact.forEach(visitor);
        wildcard.forEach((k, v) -> visitor.accept("*" + k, v));
        if (any != null) {
            visitor.accept(null, any);
        }
    }

    public int size() {
        return exact.size() + wildcard.size() + (any == null ? 0 : 1);
    }

    public static final class Builder<T> {
        private final Map<String, T> exact = new HashMap<>();
        private final Map<String, T> wildcard = new HashMap<>();
        private T any;

        /** Adds or replaces the entry for a pattern: a host name, {@code *.suffix}, or null (catch-all). */
        public Builder<T> put(String pattern, T value) {
            if (pattern == null || pattern.equals("*")) {
                any = value;
            } else if (pattern.startsWith("*.")) {
                wildcard.put(pattern.substring(1).toLowerCase(java.util.Locale.ROOT), value);
            } else {
                exact.put(pattern.toLowerCase(java.util.Locale.ROOT), value);
            }
            return this;
        }

        public T get(String pattern) {
            if (pattern == null || pattern.equals("*")) {
                return any;
            }
            return pattern.startsWith("*.") ? wildcard.get(pattern.substring(1)) : exact.get(pattern);
        }

        public List<String> patterns() {
            List<String> out = new java.util.ArrayList<>(exact.keySet());
            wildcard.keySet().forEach(s -> out.add("*" + s));
            if (any != null) {
                out.add(null);
            }
            return out;
        }

        public HostTable<T> build() {
            return new HostTable<>(Map.copyOf(exact), Map.copyOf(wildcard), any);
        }
    }
}
