package dev.ringway.conformance.client;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/** One datagram out, one back; and DNS queries (4.1 udp). */
public final class UdpClient {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<String, Integer> TYPES = Map.of("A", 1, "NS", 2, "CNAME", 5, "SOA", 6, "PTR", 12,
            "MX", 15, "TXT", 16, "AAAA", 28, "SRV", 33, "ANY", 255);

    private UdpClient() {}

    public static byte[] exchange(InetAddress address, int port, byte[] payload, Duration timeout)
            throws TransportException {
        Loopback.require(address);
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            s.connect(new InetSocketAddress(address, port));
            s.send(new DatagramPacket(payload, payload.length));
            byte[] buf = new byte[65535];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            return Arrays.copyOf(p.getData(), p.getLength());
        } catch (Exception e) {
            throw new TransportException("UDP exchange with " + address.getHostAddress() + ":" + port + " failed", e);
        }
    }

    /** A DNS query message (recursion desired) for name/type; returns its 16-bit ID in {@code id[0]}. */
    public static byte[] dnsQuery(String name, String type, int[] id) {
        Integer t = TYPES.get(type.toUpperCase(Locale.ROOT));
        if (t == null) {
            throw new IllegalArgumentException("unknown DNS type " + type);
        }
        int qid = RANDOM.nextInt(65536);
        id[0] = qid;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(qid >>> 8);
        b.write(qid & 0xff);
        b.write(0x01); // RD
        b.write(0x00);
        b.write(0);
        b.write(1); // QDCOUNT
        for (int i = 0; i < 6; i++) {
            b.write(0);
        }
        for (String label : name.split("\\.")) {
            if (label.isEmpty()) {
                continue;
            }
            byte[] l = label.getBytes(StandardCharsets.US_ASCII);
            b.write(l.length);
            b.writeBytes(l);
        }
        b.write(0);
        b.write(t >>> 8);
        b.write(t & 0xff);
        b.write(0);
        b.write(1); // IN
        return b.toByteArray();
    }

    /** A well-formed DNS reply carrying the query's ID. */
    public static String checkDnsReply(byte[] reply, int id) {
        if (reply.length < 12) {
            return "DNS reply too short (" + reply.length + " bytes)";
        }
        int rid = ((reply[0] & 0xff) << 8) | (reply[1] & 0xff);
        if (rid != id) {
            return "DNS reply ID " + rid + " does not match query ID " + id;
        }
        if ((reply[2] & 0x80) == 0) {
            return "DNS message is not a response (QR bit clear)";
        }
        return null;
    }
}
