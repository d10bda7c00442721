package dev.ringway.core.translate;

import java.util.Set;

/** An IPv4 CIDR handing out host addresses lowest first (network and broadcast skipped when /30 or wider). */
final class AddressPool {
    private final long first;
    private final long last;
    private final String cidr;

    private AddressPool(long first, long last, String cidr) {
        this.first = first;
        this.last = last;
        this.cidr = cidr;
    }

    static AddressPool parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("address pool must be a CIDR like 127.10.0.0/16: " + cidr);
        }
        long base = toLong(cidr.substring(0, slash));
        int bits = Integer.parseInt(cidr.substring(slash + 1));
        if (bits < 8 || bits > 32) {
            throw new IllegalArgumentException("address pool prefix must be /8 to /32: " + cidr);
        }
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        long net = base & mask;
        long bcast = net | (~mask & 0xFFFFFFFFL);
        if (bits <= 30) {
            return new AddressPool(net + 1, bcast - 1, cidr);
        }
        return new AddressPool(net, bcast, cidr);
    }

    boolean contains(String ip) {
        try {
            long v = toLong(ip);
            return v >= first && v <= last;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The lowest address not in {@code taken}, or null when exhausted. */
    String firstFree(Set<String> taken) {
        for (long v = first; v <= last; v++) {
            String ip = toIp(v);
            if (!taken.contains(ip)) {
                return ip;
            }
        }
        return null;
    }

    static long toLong(String ip) {
        String[] p = ip.split("\\.");
        if (p.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + ip);
        }
        long v = 0;
        for (String s : p) {
            int o = Integer.parseInt(s);
            if (o < 0 || o > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + ip);
            }
            v = (v << 8) | o;
        }
        return v;
    }

    static String toIp(long v) {
        return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
    }

    @Override
    public String toString() {
        return cidr;
    }
}
