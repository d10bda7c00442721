package dev.ringway.io;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/2 backend for tests (prior-knowledge h2c, or h2 over TLS): echoes like {@link TestBackend}
 * ({@code version=HTTP/2.0}, {@code authority=}), plus {@code /delay?ms=N}, {@code /refuse}
 * (RST_STREAM REFUSED_STREAM while {@link #refuse} is positive) and a gRPC-shaped exchange for
 * {@code content-type: application/grpc}: every length-prefixed request message is answered by one
 * message ({@code "echo:" + payload}), then trailers {@code grpc-status: 0}; a method named
 * {@code Unimplemented} gets a trailers-only answer with {@code grpc-status: 12}.
 */
final class H2TestBackend implements AutoCloseable {
    final String name;
    final int port;
    final AtomicInteger accepts = new AtomicInteger();
    /** Connections closed (by either side). */
    final AtomicInteger closes = new AtomicInteger();
    final AtomicInteger streams = new AtomicInteger();
    final AtomicInteger concurrent = new AtomicInteger();
    final AtomicInteger maxConcurrent = new AtomicInteger();
    final AtomicInteger refuse = new AtomicInteger();
    private final EventLoopGroup group;
    private final Channel server;

    H2TestBackend(String name, long maxConcurrentStreams) throws InterruptedException {
        this(name, maxConcurrentStreams, null);
    }

    H2TestBackend(String name, long maxConcurrentStreams, SslContext ssl) throws InterruptedException {
        this.name = name;
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        accepts.incrementAndGet();
                        ch.closeFuture().addListener(f -> closes.incrementAndGet());
                        if (ssl != null) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forServer()
                                        .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(maxConcurrentStreams))
                                        .build(),
                                new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
                                    @Override
                                    protected void initChannel(Channel s) {
                                        s.pipeline().addLast(new StreamHandler());
                                    }
                                }));
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        this.port = ((java.net.InetSocketAddress) server.localAddress()).getPort();
    }

    /** ALPN h2 for a TLS backend. */
    static ApplicationProtocolConfig alpnH2() {
        return new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2);
    }

    static Iterable<String> ciphers() {
        return Http2SecurityUtil.CIPHERS;
    }

    static SupportedCipherSuiteFilter cipherFilter() {
        return SupportedCipherSuiteFilter.INSTANCE;
    }

    private final class StreamHandler extends ChannelInboundHandlerAdapter {
        Http2Headers head;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean counted;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                boolean end = false;
                if (msg instanceof Http2HeadersFrame h) {
                    if (head == null) {
                        head = h.headers();
                        streams.incrementAndGet();
                        counted = true;
                        int c = concurrent.incrementAndGet();
                        maxConcurrent.accumulateAndGet(c, Math::max);
                        if (head.path().toString().equals("/refuse") && refuse.getAndDecrement() > 0) {
                            ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM));
                            return;
                        }
                    }
                    end = h.isEndStream();
                } else if (msg instanceof Http2DataFrame d) {
                    ByteBuf b = d.content();
                    b.getBytes(b.readerIndex(), body, b.readableBytes());
                    end = d.isEndStream();
                }
                if (end) {
                    respond(ctx);
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (counted) {
                concurrent.decrementAndGet();
            }
        }

        private void respond(ChannelHandlerContext ctx) {
            String path = head.path().toString();
            QueryStringDecoder q = new QueryStringDecoder(path);
            if (q.path().equals("/delay")) {
                long ms = Long.parseLong(q.parameters().get("ms").getFirst());
                ctx.executor().schedule(() -> echo(ctx, path), ms, TimeUnit.MILLISECONDS);
                return;
            }
            CharSequence ct = head.get("content-type");
            if (ct != null && ct.toString().startsWith("application/grpc")) {
                grpc(ctx, path);
                return;
            }
            echo(ctx, path);
        }

        private void echo(ChannelHandlerContext ctx, String path) {
            StringBuilder sb = new StringBuilder();
            sb.append("server=").append(name).append('\n');
            sb.append("method=").append(head.method()).append('\n');
            sb.append("uri=").append(path).append('\n');
            sb.append("version=HTTP/2.0\n");
            sb.append("authority=").append(head.authority()).append('\n');
            sb.append("scheme=").append(head.scheme()).append('\n');
            sb.append("bytes=").append(body.size()).append('\n');
            Map<String, String> hs = new TreeMap<>();
            for (Map.Entry<CharSequence, CharSequence> e : head) {
                String k = e.getKey().toString();
                if (!k.startsWith(":")) {
                    hs.merge(k, e.getValue().toString(), (a, b) -> a + "," + b);
                }
            }
            hs.forEach((k, v) -> sb.append("h:").append(k).append('=').append(v).append('\n'));
            Http2Headers rh = new DefaultHttp2Headers().status("200").add("content-type", "text/plain")
                    .add("x-backend", name);
            ctx.write(new DefaultHttp2HeadersFrame(rh, false));
            ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.copiedBuffer(sb, StandardCharsets.UTF_8), true));
        }

        private void grpc(ChannelHandlerContext ctx, String path) {
            if (path.endsWith("/Unimplemented")) {
                ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
                        .add("content-type", "application/grpc").add("grpc-status", "12")
                        .add("grpc-message", "unknown method"), true));
                return;
            }
            ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
                    .add("content-type", "application/grpc"), false));
            byte[] in = body.toByteArray();
            ByteBuf out = Unpooled.buffer();
            int i = 0;
            while (i + 5 <= in.length) {
                int len = ((in[i + 1] & 0xff) << 24) | ((in[i + 2] & 0xff) << 16) | ((in[i + 3] & 0xff) << 8) | (in[i + 4] & 0xff);
                byte[] reply = ("echo:" + new String(in, i + 5, len, StandardCharsets.UTF_8)
                        + " te=" + head.get("te")).getBytes(StandardCharsets.UTF_8);
                out.writeByte(0).writeInt(reply.length).writeBytes(reply);
                i += 5 + len;
            }
            ctx.write(new DefaultHttp2DataFrame(out, false));
            ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().add("grpc-status", "0")
                    .add("grpc-message", "ok"), true));
        }
    }

    /** A gRPC message frame: flag 0, 4-byte length, payload. */
    static byte[] grpcMessage(String payload) {
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[5 + p.length];
        out[1] = (byte) (p.length >>> 24);
        out[2] = (byte) (p.length >>> 16);
        out[3] = (byte) (p.length >>> 8);
        out[4] = (byte) p.length;
        System.arraycopy(p, 0, out, 5, p.length);
        return out;
    }

    /** The payloads of the gRPC messages in a body. */
    static java.util.List<String> grpcMessages(byte[] body) {
        java.util.List<String> out = new java.util.ArrayList<>();
        int i = 0;
        while (i + 5 <= body.length) {
            int len = ((body[i + 1] & 0xff) << 24) | ((body[i + 2] & 0xff) << 16) | ((body[i + 3] & 0xff) << 8) | (body[i + 4] & 0xff);
            out.add(new String(body, i + 5, len, StandardCharsets.UTF_8));
            i += 5 + len;
        }
        return out;
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
