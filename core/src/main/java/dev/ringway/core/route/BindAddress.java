package dev.ringway.core.route;

/** Where a listener socket is bound: an IP literal, a port, and TCP or UDP. */
public record BindAddress(String ip, int port, Transport transport) implements Comparable<BindAddress> {
    public enum Transport { TCP, UDP }

    @Override
    public int compareTo(BindAddress o) {
        int c = ip.compareTo(o.ip);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(port, o.port);
        return c != 0 ? c : transport.compareTo(o.transport);
    }

    @Override
    public String toString() {
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port + (transport == Transport.UDP ? "/udp" : "");
    }
}
