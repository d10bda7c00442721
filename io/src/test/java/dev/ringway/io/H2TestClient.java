package dev.ringway.io;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A small HTTP/2 client for tests (Netty frame codec + multiplexer, its own NIO loop): prior
 * knowledge h2c, or TLS with ALPN h2. Each {@link #request} is a stream of its own.
 */
final class H2TestClient implements AutoCloseable {
    final EventLoopGroup group;
    final Channel parent;
    final Http2FrameCodec codec;
    final CompletableFuture<Http2Settings> settings = new CompletableFuture<>();
    /** The error code of the GOAWAY received. */
    final CompletableFuture<Long> goAway = new CompletableFuture<>();
    /** The ALPN protocol negotiated (TLS only). */
    String alpn;

    private H2TestClient(int port, String sni, boolean tls) throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        SslContext ssl = tls ? SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
                .endpointIdentificationAlgorithm(null)
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2)).build() : null;
        codec = Http2FrameCodecBuilder.forClient()
                .initialSettings(Http2Settings.defaultSettings().pushEnabled(false)).build();
        parent = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc(), sni == null ? "localhost" : sni, port));
                        }
                        ch.pipeline().addLast(codec, new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()),
                                new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        if (msg instanceof Http2SettingsFrame s) {
                                            settings.complete(s.settings());
                                        } else if (msg instanceof Http2GoAwayFrame g) {
                                            goAway.complete(g.errorCode());
                                        }
                                        ReferenceCountUtil.release(msg);
                                    }
                                });
                    }
                }).connect("127.0.0.1", port).sync().channel();
        // A large connection window: a stream the test does not read must not stall the others.
        parent.writeAndFlush(new io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame(64 * 1024 * 1024)).sync();
        if (ssl != null) {
            SslHandler h = parent.pipeline().get(SslHandler.class);
            h.handshakeFuture().sync();
            alpn = h.applicationProtocol();
        }
    }

    static H2TestClient cleartext(int port) throws Exception {
        return new H2TestClient(port, null, false);
    }

    static H2TestClient tls(int port, String sni) throws Exception {
        return new H2TestClient(port, sni, true);
    }

    static Http2Headers get(String path, String authority) {
        return new DefaultHttp2Headers().method("GET").scheme("http").path(path).authority(authority);
    }

    static Http2Headers post(String path, String authority) {
        return new DefaultHttp2Headers().method("POST").scheme("http").path(path).authority(authority);
    }

    /** What came back on a stream. */
    record Response(Http2Headers headers, byte[] body, Http2Headers trailers, Http2Error reset) {
        int status() {
            return headers == null ? 0 : Integer.parseInt(headers.status().toString());
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            CharSequence v = headers == null ? null : headers.get(name);
            return v == null ? null : v.toString();
        }

        java.util.Map<String, String> echo() {
            java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
            for (String line : text().split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    m.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return m;
        }
    }

    /** A stream being read; {@link #read} pulls frames when auto-read is off. */
    final class Stream extends ChannelInboundHandlerAdapter {
        final CompletableFuture<Response> done = new CompletableFuture<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        volatile long received;
        Http2Headers headers;
        Http2Headers trailers;
        Http2Error reset;
        Http2StreamChannel ch;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2HeadersFrame h) {
                    CharSequence st = h.headers().status();
                    if (headers == null && st != null && st.charAt(0) == '1') {
                        return; // interim
                    }
                    if (headers == null) {
                        headers = h.headers();
                    } else {
                        trailers = h.headers();
                    }
                    if (h.isEndStream()) {
                        finish();
                    }
                } else if (msg instanceof Http2DataFrame d) {
                    ByteBuf b = d.content();
                    received += b.readableBytes();
                    if (keepBody) {
                        b.getBytes(b.readerIndex(), body, b.readableBytes());
                    }
                    if (d.isEndStream()) {
                        finish();
                    }
                } else if (msg instanceof Http2ResetFrame r) {
                    reset = Http2Error.valueOf(r.errorCode());
                    finish();
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        boolean keepBody = true;

        private void finish() {
            done.complete(new Response(headers, body.toByteArray(), trailers, reset));
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            // The multiplexer hands a RST_STREAM to the stream as an event; the stream closes after it.
            if (evt instanceof Http2ResetFrame r) {
                reset = Http2Error.valueOf(r.errorCode());
                finish();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!done.isDone()) {
                done.complete(new Response(headers, body.toByteArray(), trailers, reset == null ? Http2Error.CANCEL : reset));
            }
        }

        void read() {
            ch.eventLoop().execute(ch::read);
        }

        void setAutoRead(boolean on) {
            ch.eventLoop().execute(() -> ch.config().setAutoRead(on));
        }

        io.netty.channel.ChannelFuture write(Object frame) {
            return ch.writeAndFlush(frame);
        }
    }

    /** Opens a stream and sends the head (and body, and trailers; null: none). */
    Stream open(Http2Headers headers, byte[] body, Http2Headers trailers, boolean autoRead) throws Exception {
        Stream s = new Stream();
        Http2StreamChannel ch = new Http2StreamChannelBootstrap(parent).handler(s).open().get(5, TimeUnit.SECONDS);
        s.ch = ch;
        ch.config().setAutoRead(autoRead);
        boolean end = body == null && trailers == null;
        ch.write(new DefaultHttp2HeadersFrame(headers, end));
        if (body != null) {
            ch.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body), trailers == null));
        }
        if (trailers != null) {
            ch.write(new DefaultHttp2HeadersFrame(trailers, true));
        }
        ch.flush();
        return s;
    }

    /** Opens a stream with its head only; the body follows through {@link Stream#write}. */
    Stream openForBody(Http2Headers headers) throws Exception {
        Stream s = new Stream();
        s.ch = new Http2StreamChannelBootstrap(parent).handler(s).open().get(5, TimeUnit.SECONDS);
        s.ch.writeAndFlush(new DefaultHttp2HeadersFrame(headers, false));
        return s;
    }

    CompletableFuture<Response> request(Http2Headers headers, byte[] body) throws Exception {
        return open(headers, body, null, true).done;
    }

    Response send(Http2Headers headers) throws Exception {
        return request(headers, null).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        parent.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
