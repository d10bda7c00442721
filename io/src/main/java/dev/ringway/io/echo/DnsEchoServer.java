package dev.ringway.io.echo;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Stand-in for the suite's CoreDNS backend (ECHO.md section 7), over UDP. Queries for {@code foo.bar.com} and
 * names below it get what CoreDNS's {@code whoami} plugin answers: an authoritative NOERROR reply with the
 * question, no answer records and, as additional records, the client's address (A or AAAA) and an SRV record
 * {@code _udp.<name>} carrying the client's port. Other names get SERVFAIL (CoreDNS would forward them to the
 * Internet). Every reply carries the query's ID; malformed datagrams and responses are dropped.
 */
public final class DnsEchoServer implements AutoCloseable {
    /** The zone the {@code whoami} server block answers. */
    static final String ZONE = "foo.bar.com";

    private static final int HEADER = 12;
    private static final int FLAG_QR = 0x8000;
    private static final int FLAG_AA = 0x0400;
    private static final int FLAG_RD = 0x0100;
    private static final int OPCODE_MASK = 0x7800;
    private static final int RCODE_FORMERR = 1;
    private static final int RCODE_SERVFAIL = 2;
    private static final int RCODE_NOTIMP = 4;
    private static final int TYPE_A = 1;
    private static final int TYPE_AAAA = 28;
    private static final int TYPE_SRV = 33;
    /** Compression pointer to the question name, which starts right after the header. */
    private static final int POINTER_TO_QUESTION = 0xC000 | HEADER;

    private final Channel channel;

    private DnsEchoServer(Channel channel) {
        this.channel = channel;
    }

    /** Binds {@code address} (UDP; port 0: ephemeral). */
    public static DnsEchoServer start(EchoRuntime runtime, InetSocketAddress address) throws IOException {
        return new DnsEchoServer(runtime.bindUdp(address, new Responder()));
    }

    private static final class Responder extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            reply(ByteBufUtil.getBytes(packet.content()), packet.sender()).ifPresent(bytes ->
                    ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(bytes), packet.sender())));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // a datagram socket outlives errors about single datagrams
        }
    }

    /** The reply to {@code query} from {@code client}, or empty when the datagram is to be dropped. */
    static Optional<byte[]> reply(byte[] query, InetSocketAddress client) {
        if (query.length < HEADER) {
            return Optional.empty();
        }
        int id = u16(query, 0);
        int flags = u16(query, 2);
        if ((flags & FLAG_QR) != 0) {
            return Optional.empty();
        }
        int replyFlags = FLAG_QR | (flags & OPCODE_MASK) | (flags & FLAG_RD);
        if ((flags & OPCODE_MASK) != 0) {
            return Optional.of(header(id, replyFlags | RCODE_NOTIMP, 0, 0));
        }
        if (u16(query, 4) != 1) {
            return Optional.of(header(id, replyFlags | RCODE_FORMERR, 0, 0));
        }
        // the question: labels up to the root label, then type and class
        StringBuilder name = new StringBuilder();
        int at = HEADER;
        while (true) {
            if (at >= query.length) {
                return Optional.of(header(id, replyFlags | RCODE_FORMERR, 0, 0));
            }
            int length = query[at] & 0xFF;
            if (length == 0) {
                at++;
                break;
            }
            if (length > 63 || at + 1 + length > query.length) {
                return Optional.of(header(id, replyFlags | RCODE_FORMERR, 0, 0));
            }
            if (!name.isEmpty()) {
                name.append('.');
            }
            name.append(new String(query, at + 1, length, StandardCharsets.ISO_8859_1));
            at += 1 + length;
        }
        if (at + 4 > query.length) {
            return Optional.of(header(id, replyFlags | RCODE_FORMERR, 0, 0));
        }
        byte[] question = Arrays.copyOfRange(query, HEADER, at + 4);
        int qclass = u16(query, at + 2);
        String lower = name.toString().toLowerCase(Locale.ROOT);
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        if (!(lower.equals(ZONE) || lower.endsWith("." + ZONE))) {
            out.writeBytes(header(id, replyFlags | RCODE_SERVFAIL, 1, 0));
            out.writeBytes(question);
            return Optional.of(out.toByteArray());
        }
        out.writeBytes(header(id, replyFlags | FLAG_AA, 1, 2));
        out.writeBytes(question);
        // the client's address
        byte[] address = client.getAddress().getAddress();
        writeU16(out, POINTER_TO_QUESTION);
        writeU16(out, client.getAddress() instanceof Inet4Address ? TYPE_A : TYPE_AAAA);
        writeU16(out, qclass);
        writeU32(out, 0);
        writeU16(out, address.length);
        out.writeBytes(address);
        // _udp.<name> SRV 0 0 <client port> .
        out.write(4);
        out.writeBytes("_udp".getBytes(StandardCharsets.US_ASCII));
        writeU16(out, POINTER_TO_QUESTION);
        writeU16(out, TYPE_SRV);
        writeU16(out, qclass);
        writeU32(out, 0);
        writeU16(out, 7);
        writeU16(out, 0);
        writeU16(out, 0);
        writeU16(out, client.getPort());
        out.write(0);
        return Optional.of(out.toByteArray());
    }

    private static byte[] header(int id, int flags, int questions, int additional) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(HEADER);
        writeU16(out, id);
        writeU16(out, flags);
        writeU16(out, questions);
        writeU16(out, 0);
        writeU16(out, 0);
        writeU16(out, additional);
        return out.toByteArray();
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    private static void writeU16(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    private static void writeU32(ByteArrayOutputStream out, long v) {
        writeU16(out, (int) (v >>> 16) & 0xFFFF);
        writeU16(out, (int) v & 0xFFFF);
    }

    /** The bound address (with the actual port when 0 was asked for). */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
    }
}
