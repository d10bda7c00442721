package dev.ringway.core.route;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A ready endpoint of a backend: an IP literal and port, with the resolved socket address built
 * once per snapshot (no DNS lookup, no allocation per request). {@code podName} is the EndpointSlice
 * targetRef name when known (for logs and debugging).
 */
public record Endpoint(String ip, int port, String podName, InetSocketAddress socketAddress) {

    public static Endpoint of(String ip, int port, String podName) {
        InetAddress addr = InetAddress.ofLiteral(ip);
        return new Endpoint(ip, port, podName, new InetSocketAddress(addr, port));
    }

    @Override
    public String toString() {
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port;
    }
}
