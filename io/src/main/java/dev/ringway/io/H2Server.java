package dev.ringway.io;

import dev.ringway.core.route.BindAddress;
import dev.ringway.core.route.TlsListener;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * HTTP/2 toward clients (ALPN {@code h2} on HTTPS listeners, prior-knowledge h2c on cleartext
 * ones). The connection runs Netty's frame codec and multiplexer; every stream is a child channel
 * of its own with an {@link H2Codecs.ServerStreamCodec} and an {@link HttpProxyHandler}, so each
 * stream is routed, filtered and proxied independently (its own upstream exchange: a slow stream
 * never holds up another), with HTTP/2 flow control as its backpressure: a stream whose upstream
 * cannot take more stops reading, so its window is not replenished.
 *
 * <p>Settings: {@code SETTINGS_MAX_CONCURRENT_STREAMS} 100 (more get RST_STREAM REFUSED_STREAM),
 * {@code SETTINGS_MAX_HEADER_LIST_SIZE} the HTTP/1 header limit (a request beyond it gets 431).
 * On drain the connection sends GOAWAY and closes once its streams are done.
 */
final class H2Server {
    static final int MAX_CONCURRENT_STREAMS = 100;
    /** Per-stream receive window: what a client may send on a stream whose upstream is not reading. */
    static final int INITIAL_WINDOW = 128 * 1024;
    /**
     * Connection receive window: every stream's window at once, so that streams whose upstream is
     * slow (and which therefore do not return their window) never stall the others' bodies.
     */
    static final int CONNECTION_WINDOW = MAX_CONCURRENT_STREAMS * INITIAL_WINDOW;

    private H2Server() {
    }

    /** Adds the HTTP/2 connection handlers at the end of a client pipeline. */
    static void install(NettyDataPlane dp, ChannelPipeline p, LoopState ls, BindAddress address, boolean secure,
                        TlsListener listener, String sni) {
        DataPlaneOptions o = dp.options();
        Http2Settings settings = Http2Settings.defaultSettings()
                .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                .maxHeaderListSize(o.limits().maxHeaderSize())
                .initialWindowSize(INITIAL_WINDOW);
        Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
                .initialSettings(settings)
                .validateHeaders(true)
                .gracefulShutdownTimeoutMillis(Math.max(1000, o.drain().toMillis()))
                .build();
        p.addLast("h2", codec);
        p.addLast("h2-mux", new Http2MultiplexHandler(new StreamInit(dp, ls, address, secure, listener, sni)));
        p.addLast("h2-conn", new Connection(codec));
    }

    /** The pipeline of each client-initiated stream. */
    private static final class StreamInit extends ChannelInitializer<Http2StreamChannel> {
        private final NettyDataPlane dp;
        private final LoopState ls;
        private final BindAddress address;
        private final boolean secure;
        private final TlsListener listener;
        private final String sni;

        StreamInit(NettyDataPlane dp, LoopState ls, BindAddress address, boolean secure, TlsListener listener, String sni) {
            this.dp = dp;
            this.ls = ls;
            this.address = address;
            this.secure = secure;
            this.listener = listener;
            this.sni = sni;
        }

        @Override
        protected void initChannel(Http2StreamChannel ch) {
            ch.pipeline().addLast("codec", new H2Codecs.ServerStreamCodec());
            ch.pipeline().addLast("proxy", new HttpProxyHandler(dp, ls, address, secure, listener, sni, null));
        }
    }

    /** Connection-level events: drain (GOAWAY, then close when idle) and the idle timeout. */
    private static final class Connection extends ChannelDuplexHandler {
        private final Http2FrameCodec codec;

        Connection(Http2FrameCodec codec) {
            this.codec = codec;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            // Raise the connection window from the default 65535 (a WINDOW_UPDATE on stream 0).
            ctx.writeAndFlush(new DefaultHttp2WindowUpdateFrame(CONNECTION_WINDOW - Http2CodecUtil.DEFAULT_WINDOW_SIZE))
                    .addListener(io.netty.channel.ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == NettyDataPlane.DRAIN) {
                // Http2ConnectionHandler.close: GOAWAY with the last stream id, then the close once
                // the open streams have finished (or the graceful-shutdown timeout).
                ctx.channel().close();
                return;
            }
            if (evt instanceof IdleStateEvent) {
                if (codec.connection().numActiveStreams() == 0) {
                    ctx.channel().close();
                }
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Channel ch = ctx.channel();
            ch.close();
        }
    }
}
