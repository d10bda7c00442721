package dev.ringway.io;

import dev.ringway.core.route.BindAddress;

import java.util.Map;
import java.util.Set;

/** The outcome of {@link DataPlane#apply}: which sockets are bound and which failed (with why). */
public record ApplyResult(long version, Set<BindAddress> bound, Map<BindAddress, String> failed) {
    public ApplyResult {
        bound = Set.copyOf(bound);
        failed = Map.copyOf(failed);
    }
}
