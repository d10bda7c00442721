package dev.ringway.conformance.client;

import dev.ringway.conformance.model.Protocol;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * One HTTP-family request as sent on the wire: the request target and Host/:authority exactly as given, header
 * lines in order.
 */
public record HttpCall(Protocol protocol, InetAddress address, int port, String method, String authority,
                       String target, List<Header> headers, byte[] body, TlsConfig tls, Duration timeout) {

    public record Header(String name, String value) {}
}
