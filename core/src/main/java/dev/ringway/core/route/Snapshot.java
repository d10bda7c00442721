package dev.ringway.core.route;

import java.util.List;

/**
 * The immutable data-plane configuration produced by one translation. The data plane reads it from
 * a single volatile holder once per request (or connection) and never sees it change; every field is
 * immutable and safe to read from any thread without locks.
 *
 * @param version   increases with every published snapshot (set by the publisher)
 * @param bindings  one entry per socket to bind, sorted by address
 * @param backends  every backend, indexed by {@link Backend#id()}
 */
public record Snapshot(long version, List<PortBinding> bindings, List<Backend> backends) {
    public Snapshot {
        bindings = List.copyOf(bindings);
        backends = List.copyOf(backends);
    }

    public static final Snapshot EMPTY = new Snapshot(0, List.of(), List.of());

    public Snapshot withVersion(long v) {
        return new Snapshot(v, bindings, backends);
    }

    public PortBinding binding(BindAddress address) {
        for (PortBinding b : bindings) {
            if (b.address().equals(address)) {
                return b;
            }
        }
        return null;
    }
}
