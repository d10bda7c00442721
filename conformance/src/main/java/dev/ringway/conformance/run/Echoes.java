package dev.ringway.conformance.run;

import dev.ringway.conformance.pods.EchoBackends;
import dev.ringway.conformance.pods.RingwayEchoBackends;

/** The echo backends the suite runs its pods with: Ringway's own echo servers, in-process. */
public final class Echoes {
    private Echoes() {}

    public static EchoBackends available() {
        return RingwayEchoBackends.create(2);
    }
}
