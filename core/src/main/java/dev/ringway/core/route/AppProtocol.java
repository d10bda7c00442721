package dev.ringway.core.route;

/** How the gateway speaks to a backend, from the Service port's {@code appProtocol}. */
public enum AppProtocol {
    /** HTTP/1.1 (default). */
    HTTP1,
    /** {@code kubernetes.io/h2c}: HTTP/2 cleartext with prior knowledge. */
    H2C,
    /** {@code kubernetes.io/ws}: WebSocket over HTTP/1.1. */
    WS,
    /** {@code kubernetes.io/wss}: WebSocket over TLS. */
    WSS,
    /** Raw TCP (TCPRoute, TLS passthrough). */
    TCP,
    /** UDP (UDPRoute). */
    UDP;

    public static AppProtocol fromServicePort(String appProtocol) {
        if (appProtocol == null) {
            return HTTP1;
        }
        return switch (appProtocol) {
            case "kubernetes.io/h2c" -> H2C;
            case "kubernetes.io/ws" -> WS;
            case "kubernetes.io/wss" -> WSS;
            default -> HTTP1;
        };
    }
}
