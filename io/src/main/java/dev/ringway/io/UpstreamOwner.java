package dev.ringway.io;

/**
 * Whoever currently uses an upstream connection (a client exchange or a mirrored copy); the
 * connection's events are delivered to it on their shared event loop.
 */
interface UpstreamOwner {
    void onUpstreamRead(UpstreamConn u, Object msg);

    void onUpstreamReadComplete(UpstreamConn u);

    void onUpstreamWritabilityChanged(UpstreamConn u);

    void onUpstreamClosed(UpstreamConn u);

    void onUpstreamIdle(UpstreamConn u);
}
