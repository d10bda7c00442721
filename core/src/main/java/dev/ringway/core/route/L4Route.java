package dev.ringway.core.route;

/** A TCPRoute, UDPRoute or TLSRoute rule compiled: where the stream or datagrams go. */
public record L4Route(RouteRef route, BackendSet backends) {
}
