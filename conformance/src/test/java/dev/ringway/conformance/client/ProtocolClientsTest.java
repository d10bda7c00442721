package dev.ringway.conformance.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTP/2, gRPC, websocket, TCP line and UDP/DNS clients against tiny in-test servers. */
class ProtocolClientsTest {
    static final InetAddress LO = InetAddress.getLoopbackAddress();

    @Test
    void h2cAndGrpcOverOneConnection() throws Exception {
        var group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build());
                            ch.pipeline().addLast(new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
                                @Override
                                protected void initChannel(Channel stream) {
                                    stream.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                        @Override
                                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                            try {
                                                if (msg instanceof Http2HeadersFrame h && h.headers().path() != null) {
                                                    answer(ctx, h.headers());
                                                }
                                            } finally {
                                                ReferenceCountUtil.release(msg);
                                            }
                                        }
                                    });
                                }
                            }));
                        }
                    }).bind(LO, 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            try (H2Connection c = H2Connection.open(LO, port, null, Duration.ofSeconds(5))) {
                H2Connection.Answer a = c.exchange(H2Connection.headers("GET", "http", "example.com", "/p?q=1",
                        List.of(new HttpCall.Header("X-Test", "v"))), null, Duration.ofSeconds(5));
                assertThat(a.status()).isEqualTo(200);
                assertThat(new String(a.body(), StandardCharsets.UTF_8)).isEqualTo("example.com /p?q=1 v");
                assertThat(a.headerList()).contains(new HttpCall.Header("x-multi", "1"), new HttpCall.Header("x-multi", "2"));
                GrpcClient.Result g = GrpcClient.call(c, "example.com", "pkg.Svc", "Echo", Map.of("X-Md", "m"),
                        Duration.ofSeconds(5));
                assertThat(g.code()).isEqualTo("OK");
                assertThat(g.fullyQualifiedMethod()).isEqualTo("/pkg.Svc/Echo");
                assertThat(g.pod()).isEqualTo("grpc-1-2");
                assertThat(g.namespace()).isEqualTo("ns");
                GrpcClient.Result u = GrpcClient.call(c, "example.com", "pkg.Svc", "EchoThree", Map.of(),
                        Duration.ofSeconds(5));
                assertThat(u.code()).isEqualTo("Unimplemented");
            }
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private static void answer(ChannelHandlerContext ctx, Http2Headers req) {
        String path = req.path().toString();
        if (path.startsWith("/pkg.Svc/")) {
            Http2Headers h = new DefaultHttp2Headers().status("200").set("content-type", "application/grpc");
            if (path.endsWith("EchoThree")) {
                ctx.write(new DefaultHttp2HeadersFrame(h.set("grpc-status", "12"), true));
                ctx.flush();
                return;
            }
            ByteArrayOutputStream context = new ByteArrayOutputStream();
            GrpcClient.writeString(context, 1, "ns");
            GrpcClient.writeString(context, 4, "grpc-1-2");
            ByteArrayOutputStream assertions = new ByteArrayOutputStream();
            GrpcClient.writeString(assertions, 1, path);
            GrpcClient.writeBytes(assertions, 4, context.toByteArray());
            ByteArrayOutputStream resp = new ByteArrayOutputStream();
            GrpcClient.writeBytes(resp, 1, assertions.toByteArray());
            byte[] m = resp.toByteArray();
            byte[] framed = new byte[5 + m.length];
            framed[4] = (byte) m.length;
            System.arraycopy(m, 0, framed, 5, m.length);
            ctx.write(new DefaultHttp2HeadersFrame(h, false));
            ctx.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(framed), false));
            ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().set("grpc-status", "0"), true));
            ctx.flush();
            return;
        }
        byte[] body = (req.authority() + " " + path + " " + req.get("x-test")).getBytes(StandardCharsets.UTF_8);
        ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200").add("x-multi", "1").add("x-multi", "2"), false));
        ctx.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body), true));
        ctx.flush();
    }

    @Test
    void websocketHandshakeAndEcho() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 5, LO)) {
            Thread.startVirtualThread(() -> {
                try (Socket s = ss.accept()) {
                    InputStream in = new BufferedInputStream(s.getInputStream());
                    String key = null;
                    String origin = null;
                    String line;
                    while ((line = Http1Client.readLine(in)) != null && !line.isEmpty()) {
                        if (line.toLowerCase().startsWith("sec-websocket-key:")) {
                            key = line.substring(18).trim();
                        }
                        if (line.toLowerCase().startsWith("origin:")) {
                            origin = line.substring(7).trim();
                        }
                    }
                    OutputStream out = s.getOutputStream();
                    if (origin == null) {
                        out.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        return;
                    }
                    String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                            .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1)));
                    out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    for (int i = 0; i < 2; i++) {
                        int b0 = in.read();
                        byte[] payload = WebSocketClient.readMessage(new java.io.SequenceInputStream(
                                new java.io.ByteArrayInputStream(new byte[] {(byte) (0x80 | (b0 & 0x0f))}), in), out);
                        out.write(0x80 | (b0 & 0x0f));
                        out.write(payload.length);
                        out.write(payload);
                        out.flush();
                    }
                } catch (Exception e) {
                    // test ends
                }
            });
            List<byte[]> got = WebSocketClient.exchange(LO, ss.getLocalPort(), "h:1", "/ws", "ws://gateway/x",
                    List.of(new WebSocketClient.Message("hi".getBytes(StandardCharsets.UTF_8), true),
                            new WebSocketClient.Message(new byte[] {1, 2, 3}, false)), Duration.ofSeconds(5));
            assertThat(got.get(0)).containsExactly('h', 'i');
            assertThat(got.get(1)).containsExactly(1, 2, 3);
        }
    }

    @Test
    void tcpLineProtocol() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 5, LO)) {
            Thread.startVirtualThread(() -> {
                try (Socket s = ss.accept()) {
                    InputStream in = new BufferedInputStream(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    out.write("Gateway API Test TCP Server\n".getBytes(StandardCharsets.UTF_8));
                    String line;
                    while ((line = Http1Client.readLine(in)) != null) {
                        String reply = switch (line) {
                            case "PING" -> "PONG";
                            case "IS_TLS" -> "false";
                            case "TEST" -> "{\"pod\":\"tcp-backend-abc-xyz\",\"namespace\":\"ns\"}";
                            default -> null;
                        };
                        if (reply != null) {
                            out.write((reply + "\n").getBytes(StandardCharsets.UTF_8));
                        }
                    }
                } catch (Exception e) {
                    // test ends
                }
            });
            LineClient.Exchange x = LineClient.exchange(LO, ss.getLocalPort(), null, List.of("PING", "IS_TLS", "TEST"),
                    Duration.ofSeconds(5));
            assertThat(x.welcome()).isEqualTo("Gateway API Test TCP Server");
            assertThat(x.replies()).containsEntry("PING", "PONG").containsEntry("IS_TLS", "false");
            var e = new dev.ringway.conformance.model.Expect(null, "tcp-backend", null, "ns", null, null, null, null,
                    false, null, null, false, false, false, false, null, null, "Gateway API Test TCP Server",
                    Map.of("PING", "PONG"), null, false, false, false, null, false);
            assertThat(dev.ringway.conformance.check.Expectations.line(e, x)).isNull();
            // prefix followed by '-': "tcp-backend-2" must not match tcp-backend pods, "tcp" does (8.8)
            var wrong = new dev.ringway.conformance.model.Expect(null, "tcp-backend-2", null, null, null, null, null, null,
                    false, null, null, false, false, false, false, null, null, null, null, null, false, false, false,
                    null, false);
            assertThat(dev.ringway.conformance.check.Expectations.line(wrong, x)).contains("expected backend tcp-backend-2");
        }
    }

    @Test
    void udpAndDns() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, LO)) {
            Thread.startVirtualThread(() -> {
                try {
                    for (int i = 0; i < 2; i++) {
                        DatagramPacket p = new DatagramPacket(new byte[1024], 1024);
                        s.receive(p);
                        byte[] reply = p.getData().clone();
                        if (p.getLength() > 12 && reply[5] == 1) { // a DNS query: answer with QR set
                            reply[2] |= (byte) 0x80;
                            s.send(new DatagramPacket(reply, p.getLength(), p.getSocketAddress()));
                        } else {
                            byte[] j = "{\"service\":\"svc\"}".getBytes(StandardCharsets.UTF_8);
                            s.send(new DatagramPacket(j, j.length, p.getSocketAddress()));
                        }
                    }
                } catch (Exception e) {
                    // test ends
                }
            });
            byte[] r = UdpClient.exchange(LO, s.getLocalPort(), "x".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(2));
            assertThat(new String(r, StandardCharsets.UTF_8)).contains("svc");
            int[] id = {0};
            byte[] q = UdpClient.dnsQuery("foo.bar.com.", "A", id);
            byte[] reply = UdpClient.exchange(LO, s.getLocalPort(), q, Duration.ofSeconds(2));
            assertThat(UdpClient.checkDnsReply(reply, id[0])).isNull();
            assertThat(UdpClient.checkDnsReply(reply, id[0] ^ 1)).contains("does not match");
            assertThat(UdpClient.checkDnsReply(q, id[0])).contains("not a response");
        }
    }

    @Test
    void refusesNonLoopbackTargets() throws Exception {
        assertThatThrownBy(() -> UdpClient.exchange(InetAddress.getByName("192.0.2.1"), 53, new byte[1],
                Duration.ofSeconds(1))).hasMessageContaining("only talks to loopback");
    }
}
