package dev.ringway.conformance.client;

import java.net.InetAddress;

/** The runner sends traffic only to addresses on this machine (the loopback range). */
public final class Loopback {
    private Loopback() {}

    public static InetAddress require(InetAddress a) throws TransportException {
        if (!a.isLoopbackAddress()) {
            throw new TransportException("refusing to send traffic to " + a.getHostAddress()
                    + ": the runner only talks to loopback addresses");
        }
        return a;
    }
}
