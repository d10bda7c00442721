package dev.ringway.io;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/2 connection to a backend endpoint (h2c with prior knowledge, or h2 over TLS with
 * ALPN), owned by one event loop's {@link UpstreamPool}. Every exchange gets a stream of its own
 * (an {@link Http2StreamChannel} whose pipeline ends in an {@link UpstreamConn}), so exchanges are
 * multiplexed without waiting for each other; at most the server's {@code MAX_CONCURRENT_STREAMS}
 * (and never more than {@link #MAX_STREAMS}) are open at once, more go to another connection.
 * Exchanges that arrive while the connection is being set up wait for it. A GOAWAY takes the
 * connection out of the pool (streams the server did not process are marked refused, so their
 * exchange may be retried); an idle connection with no stream closes after the idle timeout.
 */
final class H2Upstream extends ChannelInboundHandlerAdapter {
    static final int MAX_STREAMS = 100;
    static final int STREAM_WINDOW = 128 * 1024;
    static final int CONNECTION_WINDOW = MAX_STREAMS * STREAM_WINDOW;

    final UpstreamPool pool;
    final UpstreamPool.Endpoint ep;
    private Channel ch;
    private Http2FrameCodec codec;
    private Http2StreamChannelBootstrap streams;
    private boolean ready;
    private boolean closed;
    /** Streams open or being opened (counted from the request until the stream channel closes). */
    private int active;
    /** Exchanges waiting for the connection to be ready (not counted in {@link #active}). */
    private final ArrayDeque<Promise<UpstreamConn>> waiting = new ArrayDeque<>(2);
    private long idleSince = System.nanoTime();

    H2Upstream(UpstreamPool pool, UpstreamPool.Endpoint ep) {
        this.pool = pool;
        this.ep = ep;
    }

    /** Whether another exchange may use this connection now (or once it is up). */
    boolean hasRoom() {
        if (closed) {
            return false;
        }
        if (!ready) {
            return waiting.size() < MAX_STREAMS; // the excess moves elsewhere once the limit is known
        }
        return active < Math.min(MAX_STREAMS, codec.connection().local().maxActiveStreams());
    }

    void connect(Bootstrap base) {
        ChannelFuture f = base.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) {
                ChannelPipeline p = c.pipeline();
                pool.addTls(p, ep);
                codec = Http2FrameCodecBuilder.forClient()
                        .initialSettings(Http2Settings.defaultSettings().pushEnabled(false).initialWindowSize(STREAM_WINDOW))
                        .validateHeaders(true)
                        .build();
                p.addLast("h2", codec);
                p.addLast("h2-mux", new Http2MultiplexHandler(new RefusePush()));
                p.addLast("h2-conn", H2Upstream.this);
            }
        }).connect(ep.address);
        ch = f.channel();
        f.addListener(cf -> {
            if (!cf.isSuccess()) {
                fail(cf.cause());
                return;
            }
            // Streams wait for the server's SETTINGS (its MAX_CONCURRENT_STREAMS must be known: opening
            // one stream too many is a connection error), which must come within the connect timeout.
            ch.eventLoop().schedule(() -> {
                if (!ready && !closed) {
                    fail(new IllegalStateException("no HTTP/2 SETTINGS from " + ep.address));
                }
            }, pool.connectTimeoutMs(), TimeUnit.MILLISECONDS);
            SslHandler ssl = ch.pipeline().get(SslHandler.class);
            if (ssl == null) {
                return;
            }
            ssl.handshakeFuture().addListener(hf -> {
                if (!hf.isSuccess()) {
                    fail(new UpstreamPool.UpstreamTlsException(hf.cause()));
                } else if (!ApplicationProtocolNames.HTTP_2.equals(ssl.applicationProtocol())) {
                    fail(new UpstreamPool.UpstreamTlsException("backend did not negotiate h2 (ALPN "
                            + ssl.applicationProtocol() + ")"));
                }
            });
        });
    }

    /** The server's first SETTINGS arrived: streams may be opened, within its limit. */
    private void up() {
        if (closed || ready) {
            return;
        }
        ready = true;
        pool.metrics().connection(LoopMetrics.UP_OPEN);
        // The connection window covers every stream's, so one slow reader does not stall the rest.
        ch.writeAndFlush(new DefaultHttp2WindowUpdateFrame(CONNECTION_WINDOW - Http2CodecUtil.DEFAULT_WINDOW_SIZE));
        streams = new Http2StreamChannelBootstrap(ch).handler(new StreamInit());
        Promise<UpstreamConn> p;
        while ((p = waiting.poll()) != null) {
            if (hasRoom()) {
                active++;
                open(p);
            } else {
                pool.openH2(ep, p); // beyond this server's MAX_CONCURRENT_STREAMS: another connection
            }
        }
    }

    private void fail(Throwable cause) {
        closed = true;
        pool.remove(this);
        Promise<UpstreamConn> p;
        while ((p = waiting.poll()) != null) {
            p.tryFailure(cause);
        }
        if (ch != null) {
            ch.close();
        }
    }

    /** A stream for an exchange, now or once the connection is up. */
    void openStream(Promise<UpstreamConn> p) {
        if (!ready) {
            waiting.add(p);
            return;
        }
        active++;
        open(p);
    }

    private void open(Promise<UpstreamConn> p) {
        streams.open().addListener(f -> {
            if (!f.isSuccess()) {
                active--;
                p.tryFailure(f.cause());
                return;
            }
            Http2StreamChannel s = (Http2StreamChannel) f.getNow();
            UpstreamConn c = s.pipeline().get(UpstreamConn.class);
            s.closeFuture().addListener(cf -> streamClosed());
            if (c == null || !p.trySuccess(c)) {
                s.close();
            }
        });
    }

    private void streamClosed() {
        if (--active == 0) {
            idleSince = System.nanoTime();
        }
    }

    /** How long it has had no stream (0 while it has one, or is not up yet). */
    long idleFor(long now) {
        return ready && active == 0 && waiting.isEmpty() ? now - idleSince : 0;
    }

    /** GOAWAY and close once the open streams are done (drain). */
    void close() {
        closed = true;
        pool.remove(this);
        if (ch != null) {
            ch.close();
        }
    }

    /** The pipeline of each stream: the HTTP/2 bridge, the response timeout and the exchange's end. */
    private final class StreamInit extends ChannelInitializer<Http2StreamChannel> {
        @Override
        protected void initChannel(Http2StreamChannel s) {
            UpstreamConn c = new UpstreamConn(s, pool, pool.metrics(), H2Upstream.this);
            c.ep = ep;
            ChannelPipeline p = s.pipeline();
            p.addLast(UpstreamPool.CODEC, new H2Codecs.ClientStreamCodec(ep.target.scheme, c));
            long responseMs = pool.responseTimeoutMs();
            if (responseMs > 0) {
                p.addLast("idle", new IdleStateHandler(responseMs, 0, 0, TimeUnit.MILLISECONDS));
            }
            p.addLast("upstream", c);
        }
    }

    /** Server push is disabled in our SETTINGS; a pushed stream anyway is refused. */
    private static final class RefusePush extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.close();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }

    // ---- connection-level events (this handler is last in the connection pipeline) ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2SettingsFrame) {
            up(); // the codec applied them (MAX_CONCURRENT_STREAMS) before passing the frame on
        } else if (msg instanceof Http2GoAwayFrame) {
            // No new streams here; those above the last stream id were refused (the streams learn it
            // from the multiplexer) and the others finish.
            closed = true;
            pool.remove(this);
        }
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        boolean wasReady = ready;
        ready = false;
        if (!closed) {
            closed = true;
            pool.remove(this);
        }
        Promise<UpstreamConn> p;
        while ((p = waiting.poll()) != null) {
            p.tryFailure(new IllegalStateException("upstream HTTP/2 connection closed"));
        }
        if (wasReady) {
            pool.metrics().connection(LoopMetrics.UP_CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    @Override
    public String toString() {
        return "H2Upstream[" + ep.address + " active=" + active + (closed ? " closed" : "") + "]";
    }
}
