package dev.ringway.conformance.pods;

import java.util.Set;

/** Starts echo pods. Kinds an implementation does not support make the cases that need them "not run". */
public interface EchoBackends extends AutoCloseable {
    Set<EchoKind> kinds();

    /** Starts a pod listening on {@code spec.address()} and the spec's ports. */
    EchoPod start(PodSpec spec) throws Exception;

    @Override
    default void close() {}

    /** No echo servers at all. */
    static EchoBackends none() {
        return new EchoBackends() {
            @Override
            public Set<EchoKind> kinds() {
                return Set.of();
            }

            @Override
            public EchoPod start(PodSpec spec) {
                throw new UnsupportedOperationException("no echo backend for " + spec.kind());
            }
        };
    }
}
