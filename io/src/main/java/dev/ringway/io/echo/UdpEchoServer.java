package dev.ringway.io.echo;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The datagram echo server (ECHO.md section 6): every datagram (its first 1024 bytes) is answered, to the
 * sender, with one datagram holding {@code {"request": <received text>, "namespace", "ingress", "service",
 * "pod"}}.
 */
public final class UdpEchoServer implements AutoCloseable {
    private static final int MAX_REQUEST = 1024;

    private final Channel channel;

    private UdpEchoServer(Channel channel) {
        this.channel = channel;
    }

    /** Binds {@code address} (port 0: ephemeral); log lines go to standard output. */
    public static UdpEchoServer start(EchoRuntime runtime, InetSocketAddress address, EchoIdentity identity)
            throws IOException {
        return start(runtime, address, identity, System.out::println);
    }

    /** Binds {@code address} (port 0: ephemeral); one log line per datagram goes to {@code logSink}. */
    public static UdpEchoServer start(EchoRuntime runtime, InetSocketAddress address, EchoIdentity identity,
            Consumer<String> logSink) throws IOException {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(logSink, "logSink");
        return new UdpEchoServer(runtime.bindUdp(address, new Echo(identity, logSink)));
    }

    private static final class Echo extends SimpleChannelInboundHandler<DatagramPacket> {
        private final EchoIdentity identity;
        private final Consumer<String> logSink;

        Echo(EchoIdentity identity, Consumer<String> logSink) {
            this.identity = identity;
            this.logSink = logSink;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf content = packet.content();
            String request = content.toString(content.readerIndex(), Math.min(content.readableBytes(), MAX_REQUEST),
                    StandardCharsets.UTF_8);
            logSink.accept("Received UDP " + request + " from " + Connections.format(packet.sender()));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("request", request);
            json.put("namespace", identity.namespace());
            json.put("ingress", identity.ingress());
            json.put("service", identity.service());
            json.put("pod", identity.pod());
            ctx.writeAndFlush(new DatagramPacket(
                    Unpooled.wrappedBuffer(Json.compact(json).getBytes(StandardCharsets.UTF_8)), packet.sender()));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // a datagram socket outlives errors about single datagrams (e.g. ICMP port unreachable)
        }
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
