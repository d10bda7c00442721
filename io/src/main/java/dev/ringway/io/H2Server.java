package dev.ringway.io;

import dev.ringway.core.route.BindAddress;
import dev.ringway.core.route.TlsListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;

import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * HTTP/2 toward clients (ALPN {@code h2} on HTTPS listeners, prior-knowledge h2c on cleartext
 * ones). One {@link Connection} handler per connection: Netty's HTTP/2 connection handler (framing,
 * HPACK, flow control, stream states) with this class as its frame listener. Every client stream
 * gets a {@link Stream} and an {@link HttpProxyHandler} of its own, so each stream is routed,
 * filtered and proxied independently (its own upstream exchange: a slow stream never holds up
 * another). A stream is not a channel: there is no child channel, pipeline or per-stream frame
 * object; the stream turns the proxy's HTTP messages into HEADERS and DATA frames on the shared
 * connection, and delivers the request's frames to the proxy as HTTP messages ({@link H2Codecs}).
 *
 * <p>Backpressure is HTTP/2 flow control: a stream whose proxy stops reading (its upstream cannot
 * take more) holds what arrives and does not return those bytes to the client's window, so the
 * client stops sending on that stream only. Toward the client, a stream is writable while its send
 * window and the connection's socket take more ({@link #isWritable}).
 *
 * <p>Flushes are gathered per connection: a stream's flush inside a read of the connection is done
 * by the read's end; any other (responses arriving from upstream connections) is done once, after
 * the event loop's current I/O, for every stream that asked in that time. One write to the client
 * socket then carries the answers of all streams that got theirs in the same loop turn.
 *
 * <p>Settings: {@code SETTINGS_MAX_CONCURRENT_STREAMS} 100 (more get RST_STREAM REFUSED_STREAM),
 * {@code SETTINGS_MAX_HEADER_LIST_SIZE} the HTTP/1 header limit (a request beyond it gets 431, from
 * Netty's connection handler). On drain the connection sends GOAWAY and closes once its streams
 * are done.
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

    /** Adds the HTTP/2 connection handler at the end of a client pipeline. */
    static void install(NettyDataPlane dp, ChannelPipeline p, LoopState ls, BindAddress address, boolean secure,
                        TlsListener listener, String sni) {
        DataPlaneOptions o = dp.options();
        Http2Settings settings = Http2Settings.defaultSettings()
                .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                .maxHeaderListSize(o.limits().maxHeaderSize())
                .initialWindowSize(INITIAL_WINDOW);
        p.addLast("h2", new Builder(new Site(dp, ls, address, secure, listener, sni))
                .settings(settings, Math.max(1000, o.drain().toMillis()))
                .build());
    }

    /** What every stream's proxy of a connection shares: where the connection was accepted. */
    private record Site(NettyDataPlane dp, LoopState loop, BindAddress address, boolean secure, TlsListener listener,
                        String sni) {
        HttpProxyHandler newProxy() {
            return new HttpProxyHandler(dp, loop, address, secure, listener, sni, null);
        }
    }

    private static final class Builder extends AbstractHttp2ConnectionHandlerBuilder<Connection, Builder> {
        private final Site site;

        Builder(Site site) {
            this.site = site;
            server(true);
            validateHeaders(true);
        }

        Builder settings(Http2Settings s, long gracefulShutdownMillis) {
            initialSettings(s);
            gracefulShutdownTimeoutMillis(gracefulShutdownMillis);
            return this;
        }

        @Override
        protected Connection build() {
            return super.build();
        }

        @Override
        protected Connection build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings s) {
            Connection c = new Connection(decoder, encoder, s, site);
            decoder.frameListener(c);
            return c;
        }
    }

    /**
     * The connection: Netty's HTTP/2 protocol handling, the streams' frames in and out, drain
     * (GOAWAY, then close when the streams are done) and the idle timeout.
     */
    static final class Connection extends Http2ConnectionHandler implements Http2FrameListener {
        private final Site site;
        private final Http2Connection.PropertyKey key;
        private ChannelHandlerContext ctx;
        /** Streams given messages in the current read: their proxies hear of the read's end. */
        private final ArrayList<Stream> readBatch = new ArrayList<>();
        private boolean inRead;
        /** A flush is queued for after the loop's current I/O ({@link #flushTask}). */
        private boolean flushScheduled;
        private final Runnable flushTask = this::scheduledFlush;

        Connection(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings s, Site site) {
            super(decoder, encoder, s);
            this.site = site;
            Http2Connection c = connection();
            this.key = c.newKey();
            c.addListener(new Http2ConnectionAdapter() {
                @Override
                public void onStreamClosed(Http2Stream stream) {
                    Stream st = stream.getProperty(key);
                    if (st != null) {
                        st.onClosed();
                    }
                }
            });
            c.remote().flowController().listener(stream -> {
                Stream st = stream.getProperty(key);
                if (st != null && !st.closed) {
                    st.proxy.onDownstreamWritabilityChanged();
                }
            });
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
            super.handlerAdded(ctx);
            this.ctx = ctx;
            // Raise the connection window from the default 65535 (a WINDOW_UPDATE on stream 0).
            Http2Connection c = connection();
            c.local().flowController().incrementWindowSize(c.connectionStream(),
                    CONNECTION_WINDOW - Http2CodecUtil.DEFAULT_WINDOW_SIZE);
            flush(ctx);
        }

        // ---- reads ------------------------------------------------------------------------

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            inRead = true;
            super.channelRead(ctx, msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
            inRead = false;
            ArrayList<Stream> batch = readBatch;
            for (int i = 0; i < batch.size(); i++) { // a proxy may add streams while we go
                Stream st = batch.get(i);
                st.inBatch = false;
                if (!st.closed) {
                    st.proxy.onReadComplete();
                }
            }
            batch.clear();
            super.channelReadComplete(ctx); // flushes
        }

        private Stream stream(int streamId) {
            Http2Stream s = connection().stream(streamId);
            return s == null ? null : s.getProperty(key);
        }

        @Override
        public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
            int bytes = data.readableBytes() + padding;
            Stream st = stream(streamId);
            if (st == null || st.closed) {
                return bytes; // a stream we reset: nothing to deliver, the window is returned
            }
            data.retain();
            return st.receive(H2Codecs.content(data, endOfStream), bytes);
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                                  short weight, boolean exclusive, int padding, boolean endOfStream) {
            onHeadersRead(ctx, streamId, headers, padding, endOfStream);
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                                  boolean endOfStream) {
            Http2Stream s = connection().stream(streamId);
            if (s == null) {
                return;
            }
            Stream st = s.getProperty(key);
            if (st == null) {
                HttpRequest r;
                try {
                    r = H2Codecs.toRequest(headers, endOfStream);
                } catch (H2Codecs.MalformedException | RuntimeException e) {
                    // This stream's request cannot be carried; the connection and its other streams go on.
                    resetStream(ctx, streamId, Http2Error.PROTOCOL_ERROR.code(), ctx.newPromise());
                    return;
                }
                st = new Stream(this, s, site.newProxy());
                s.setProperty(key, st);
                st.receive(r, 0);
                if (endOfStream) {
                    st.receive(LastHttpContent.EMPTY_LAST_CONTENT, 0);
                }
            } else if (st.closed) {
                return;
            } else if (endOfStream) {
                st.receive(H2Codecs.trailers(headers), 0);
            } else {
                st.close(Http2Error.PROTOCOL_ERROR); // a second head that does not end the stream
            }
        }

        @Override
        public void onPriorityRead(ChannelHandlerContext ctx, int streamId, int streamDependency, short weight,
                                   boolean exclusive) {
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
            // The stream is closed by the decoder: onStreamClosed tells its proxy.
        }

        @Override
        public void onSettingsAckRead(ChannelHandlerContext ctx) {
        }

        @Override
        public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
        }

        @Override
        public void onPingRead(ChannelHandlerContext ctx, long data) {
        }

        @Override
        public void onPingAckRead(ChannelHandlerContext ctx, long data) {
        }

        @Override
        public void onPushPromiseRead(ChannelHandlerContext ctx, int streamId, int promisedStreamId,
                                      Http2Headers headers, int padding) {
        }

        @Override
        public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
        }

        @Override
        public void onWindowUpdateRead(ChannelHandlerContext ctx, int streamId, int windowSizeIncrement) {
        }

        @Override
        public void onUnknownFrame(ChannelHandlerContext ctx, byte frameType, int streamId, Http2Flags flags,
                                   ByteBuf payload) {
        }

        // ---- flushes ----------------------------------------------------------------------

        /** A stream's flush: gathered with the others' (see the class comment). */
        void requestFlush() {
            if (inRead) {
                return; // channelReadComplete flushes
            }
            if (!flushScheduled) {
                flushScheduled = true;
                ctx.executor().execute(flushTask);
            }
        }

        private void scheduledFlush() {
            flushScheduled = false;
            flush(ctx);
        }

        // ---- connection events --------------------------------------------------------------

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == NettyDataPlane.DRAIN) {
                // Http2ConnectionHandler.close: GOAWAY with the last stream id, then the close once
                // the open streams have finished (or the graceful-shutdown timeout).
                ctx.channel().close();
                return;
            }
            if (evt instanceof IdleStateEvent) {
                if (connection().numActiveStreams() == 0) {
                    ctx.channel().close();
                }
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
            if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
                super.exceptionCaught(ctx, cause); // protocol errors: RST_STREAM or GOAWAY as the RFC says
                return;
            }
            ctx.close(); // I/O errors (reset by peer, TLS failures): nothing can be answered
        }
    }

    /** A request held while its stream's proxy is not reading, with its flow-controlled bytes. */
    private record Held(Object msg, int bytes) {
    }

    /**
     * One client stream: the request's frames in as HTTP messages, the proxy's HTTP messages out as
     * frames through the connection's encoder ({@link H2Codecs.FrameOut}: a response head followed
     * by an empty end is one HEADERS frame with END_STREAM, so gRPC's trailers-only responses stay
     * trailers-only).
     */
    static final class Stream extends H2Codecs.FrameOut implements Downstream, Runnable {
        private final Connection conn;
        private final Http2Stream stream;
        final HttpProxyHandler proxy;
        boolean closed;
        boolean inBatch;
        private boolean reading = true;
        private ArrayDeque<Held> held;

        Stream(Connection conn, Http2Stream stream, HttpProxyHandler proxy) {
            this.conn = conn;
            this.stream = stream;
            this.proxy = proxy;
            proxy.attach(this);
        }

        // ---- inbound ----------------------------------------------------------------------

        /**
         * A request message from the client; {@code bytes} its flow-controlled size. Returns the
         * bytes to give back to the client's window now (none when held).
         */
        int receive(Object msg, int bytes) {
            if (!reading) {
                if (held == null) {
                    held = new ArrayDeque<>(4);
                }
                held.add(new Held(msg, bytes));
                return 0;
            }
            deliver(msg);
            return bytes;
        }

        private void deliver(Object msg) {
            if (!inBatch && conn.inRead) {
                inBatch = true;
                conn.readBatch.add(this);
            }
            try {
                proxy.onRead(msg);
            } catch (RuntimeException e) {
                close(Http2Error.INTERNAL_ERROR);
            }
        }

        @Override
        public void setReading(boolean read) {
            if (reading == read) {
                return;
            }
            reading = read;
            ArrayDeque<Held> q = held;
            if (!read || q == null || q.isEmpty() || closed) {
                return;
            }
            // Deliver what arrived while paused, and give its bytes back to the client's window.
            int consumed = 0;
            Held h;
            while (reading && !closed && (h = q.poll()) != null) {
                deliver(h.msg());
                consumed += h.bytes();
            }
            if (!closed) {
                proxy.onReadComplete();
            }
            if (consumed > 0 && !closed) {
                try {
                    conn.connection().local().flowController().consumeBytes(stream, consumed);
                } catch (Http2Exception e) {
                    conn.onError(conn.ctx, false, e);
                }
                conn.requestFlush();
            }
        }

        /** The stream is closed (both ends done, reset, or the connection gone). */
        void onClosed() {
            closed = true;
            dropPendingHead("stream closed");
            ArrayDeque<Held> q = held;
            if (q != null) {
                Held h;
                while ((h = q.poll()) != null) {
                    ReferenceCountUtil.release(h.msg());
                }
            }
            // Told after the current call returns (the close may happen inside the proxy's own
            // write of the response's end), like a channel's inactive event.
            try {
                conn.ctx.executor().execute(this);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                run(); // the loop is shutting down: nothing else runs after us
            }
        }

        @Override
        public void run() {
            proxy.onDownstreamInactive();
        }

        // ---- outbound ---------------------------------------------------------------------

        @Override
        public void write(Object msg) {
            write(msg, null);
        }

        @Override
        public ChannelFuture writeTracked(Object msg) {
            ChannelPromise p = conn.ctx.newPromise();
            write(msg, p);
            return p;
        }

        @Override
        public ChannelFuture writeAndFlush(Object msg) {
            ChannelFuture f = writeTracked(msg);
            flush();
            return f;
        }

        private void write(Object msg, ChannelPromise promise) {
            if (closed) {
                ReferenceCountUtil.release(msg);
                if (promise != null) {
                    promise.tryFailure(new IllegalStateException("stream closed"));
                }
                return;
            }
            if (!writeMessage(msg, promise)) {
                ReferenceCountUtil.release(msg); // raw bytes: HTTP/2 streams carry no tunnels
                succeed(promise);
            }
        }

        @Override
        Http2Headers outboundHead(HttpMessage m) {
            return H2Codecs.fromResponse((HttpResponse) m);
        }

        @Override
        void headers(Http2Headers h, boolean endStream, ChannelPromise promise) {
            ChannelHandlerContext ctx = conn.ctx;
            conn.encoder().writeHeaders(ctx, stream.id(), h, 0, endStream, promise == null ? ctx.voidPromise() : promise);
        }

        @Override
        void data(ByteBuf b, boolean endStream, ChannelPromise promise) {
            ChannelHandlerContext ctx = conn.ctx;
            conn.encoder().writeData(ctx, stream.id(), b, 0, endStream, promise == null ? ctx.voidPromise() : promise);
        }

        @Override
        public void flush() {
            if (!closed) {
                flushPendingHead();
            }
            conn.requestFlush();
        }

        @Override
        public void close() {
            close(Http2Error.CANCEL);
        }

        /** Resets the stream unless it is already closed (a complete exchange needs nothing more). */
        void close(Http2Error error) {
            if (closed) {
                return;
            }
            dropPendingHead("stream reset");
            ChannelHandlerContext ctx = conn.ctx;
            conn.resetStream(ctx, stream.id(), error.code(), ctx.newPromise());
            conn.requestFlush();
        }

        @Override
        public void closeAfter(ChannelFuture lastWrite) {
            if (lastWrite != null && !lastWrite.isDone()) {
                lastWrite.addListener(f -> close());
            } else {
                close();
            }
        }

        @Override
        public boolean isWritable() {
            return !closed && conn.connection().remote().flowController().isWritable(stream);
        }

        @Override
        public EventExecutor executor() {
            return conn.ctx.executor();
        }

        @Override
        public ByteBufAllocator alloc() {
            return conn.ctx.alloc();
        }

        @Override
        public SocketAddress remoteAddress() {
            return conn.ctx.channel().remoteAddress();
        }
    }
}
