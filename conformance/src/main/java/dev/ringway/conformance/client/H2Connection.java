package dev.ringway.conformance.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLEngine;

/**
 * An HTTP/2 client connection (Netty): TLS with ALPN {@code h2} required, or cleartext with prior knowledge. Many
 * requests can share it (used by h2, h2c and gRPC).
 */
public final class H2Connection implements AutoCloseable {
    private static volatile EventLoopGroup group;

    private final Channel channel;
    private final TlsConfig.Session session;

    /** A complete HTTP/2 answer: response headers (with :status), body, trailers. */
    public record Answer(Http2Headers headers, byte[] body, Http2Headers trailers) {
        public int status() {
            CharSequence s = headers.status();
            return s == null ? 0 : Integer.parseInt(s.toString());
        }

        public List<HttpCall.Header> headerList() {
            List<HttpCall.Header> out = new ArrayList<>();
            for (Map.Entry<CharSequence, CharSequence> e : headers) {
                String n = e.getKey().toString();
                if (!n.startsWith(":")) {
                    out.add(new HttpCall.Header(n, e.getValue().toString()));
                }
            }
            return out;
        }

        /** A header value from the trailers, else from the headers (gRPC trailers-only answers). */
        public String trailer(String name) {
            CharSequence v = trailers == null ? null : trailers.get(name);
            if (v == null) {
                v = headers.get(name);
            }
            return v == null ? null : v.toString();
        }
    }

    private H2Connection(Channel channel, TlsConfig.Session session) {
        this.channel = channel;
        this.session = session;
    }

    static EventLoopGroup group() {
        if (group == null) {
            synchronized (H2Connection.class) {
                if (group == null) {
                    group = new MultiThreadIoEventLoopGroup(2, r -> {
                        Thread t = new Thread(r, "conformance-h2");
                        t.setDaemon(true);
                        return t;
                    }, NioIoHandler.newFactory());
                }
            }
        }
        return group;
    }

    /** Opens a connection; {@code tls} null = h2c prior knowledge. */
    public static H2Connection open(InetAddress address, int port, TlsConfig tls, Duration timeout)
            throws TransportException {
        Loopback.require(address);
        TlsConfig.Session session;
        try {
            session = tls == null ? null : tls.withAlpn(List.of("h2")).newSession(address);
        } catch (Exception e) {
            throw new TransportException("TLS setup failed", e);
        }
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Bootstrap b = new Bootstrap().group(group()).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (session != null) {
                            SSLEngine engine = session.context().createSSLEngine(address.getHostAddress(), port);
                            engine.setUseClientMode(true);
                            engine.setSSLParameters(session.parameters(address));
                            ch.pipeline().addLast(new SslHandler(engine));
                        }
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().validateHeaders(false).build());
                        ch.pipeline().addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt instanceof SslHandshakeCompletionEvent e) {
                                    if (!e.isSuccess()) {
                                        ready.completeExceptionally(e.cause());
                                    } else {
                                        // SslHandler.applicationProtocol() is null for a plain JDK engine; ask the engine.
                                        String alpn = ctx.pipeline().get(SslHandler.class).engine().getApplicationProtocol();
                                        if (!"h2".equals(alpn)) {
                                            ready.completeExceptionally(new TransportException(
                                                    "server did not negotiate ALPN h2 (got " + alpn + ")"));
                                        } else {
                                            ready.complete(null);
                                        }
                                    }
                                }
                                ctx.fireUserEventTriggered(evt);
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                ready.completeExceptionally(new TransportException("connection closed"));
                                ctx.fireChannelInactive();
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ready.completeExceptionally(cause);
                                ctx.close();
                            }
                        });
                    }
                });
        ChannelFuture cf = b.connect(new InetSocketAddress(address, port));
        try {
            if (!cf.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                cf.channel().close();
                throw new TransportException("connect timeout");
            }
            if (!cf.isSuccess()) {
                throw new TransportException("connect to " + address.getHostAddress() + ":" + port + " failed",
                        cf.cause());
            }
            if (session == null) {
                ready.complete(null);
            }
            ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cf.channel().close();
            throw new TransportException("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            cf.channel().close();
            throw new TransportException("HTTP/2 connection setup with " + address.getHostAddress() + ":" + port
                    + " failed", e instanceof ExecutionException ? e.getCause() : e);
        }
        return new H2Connection(cf.channel(), session);
    }

    public boolean clientCertRequested() {
        return session != null && session.clientCertRequested().get();
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /** Sends one request on a new stream and waits for the complete answer. */
    public Answer exchange(Http2Headers headers, byte[] body, Duration timeout) throws TransportException {
        CompletableFuture<Answer> result = new CompletableFuture<>();
        Http2StreamChannel stream;
        try {
            stream = new Http2StreamChannelBootstrap(channel).handler(new StreamHandler(result)).open()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw new TransportException("cannot open HTTP/2 stream", e instanceof ExecutionException ? e.getCause() : e);
        }
        boolean hasBody = body != null && body.length > 0;
        stream.write(new DefaultHttp2HeadersFrame(headers, !hasBody));
        if (hasBody) {
            stream.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body), true));
        }
        stream.flush();
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted");
        } catch (ExecutionException e) {
            throw new TransportException("HTTP/2 request failed", e.getCause());
        } catch (TimeoutException e) {
            stream.close();
            throw new TransportException("timeout after " + timeout.toMillis() + " ms");
        }
    }

    /** Request headers for a path; names are lower-cased as HTTP/2 requires. */
    public static Http2Headers headers(String method, String scheme, String authority, String path,
                                       List<HttpCall.Header> extra) {
        Http2Headers h = new DefaultHttp2Headers(false);
        h.method(method).scheme(scheme).authority(authority).path(path);
        for (HttpCall.Header e : extra) {
            h.add(e.name().toLowerCase(Locale.ROOT), e.value());
        }
        return h;
    }

    @Override
    public void close() {
        channel.close();
    }

    private static final class StreamHandler extends SimpleChannelInboundHandler<Http2StreamFrame> {
        private final CompletableFuture<Answer> result;
        private Http2Headers headers;
        private Http2Headers trailers;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        StreamHandler(CompletableFuture<Answer> result) {
            this.result = result;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
            boolean end = false;
            if (frame instanceof Http2HeadersFrame h) {
                CharSequence status = h.headers().status();
                if (headers == null && status != null && status.toString().startsWith("1")) {
                    return; // interim
                }
                if (headers == null) {
                    headers = h.headers();
                } else {
                    trailers = h.headers();
                }
                end = h.isEndStream();
            } else if (frame instanceof Http2DataFrame d) {
                ByteBuf c = d.content();
                body.writeBytes(ByteBufUtil.getBytes(c));
                end = d.isEndStream();
            } else if (frame instanceof Http2ResetFrame r) {
                result.completeExceptionally(new TransportException("stream reset (error code " + r.errorCode() + ")"));
                return;
            }
            if (end) {
                if (headers == null) {
                    result.completeExceptionally(new TransportException("stream ended without headers"));
                } else {
                    result.complete(new Answer(headers, body.toByteArray(), trailers));
                }
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.completeExceptionally(new TransportException("stream closed before the answer was complete"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.completeExceptionally(cause);
            ctx.close();
        }
    }
}
