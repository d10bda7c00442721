package dev.ringway.io;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.EventExecutor;

import java.net.SocketAddress;

/**
 * Where {@link HttpProxyHandler} sends its answer and whose reading it pauses: an HTTP/1.1
 * connection ({@link Http1}, the handler's own channel) or one HTTP/2 stream
 * ({@link H2Server.Stream}, frames on the shared connection). Messages are Netty's HTTP/1 message
 * objects either way; the HTTP/2 side turns them into frames.
 */
interface Downstream {
    /** Queues a message; nothing waits for it. */
    void write(Object msg);

    /** Queues a message whose completion a later close waits for. */
    ChannelFuture writeTracked(Object msg);

    void flush();

    ChannelFuture writeAndFlush(Object msg);

    /** Ends this downstream now (HTTP/1.1: the connection; HTTP/2: the stream, reset if not complete). */
    void close();

    /**
     * Ends this downstream once {@code lastWrite} is done, or once what is queued is written when
     * there is no tracked write.
     */
    void closeAfter(ChannelFuture lastWrite);

    /** Whether the downstream takes more without buffering beyond its bounds (socket, stream window). */
    boolean isWritable();

    /** Reads (or stops reading) requests and request bodies: the backpressure toward the client. */
    void setReading(boolean read);

    EventExecutor executor();

    ByteBufAllocator alloc();

    SocketAddress remoteAddress();

    /** An HTTP/1.1 connection: the handler's own channel context. */
    record Http1(ChannelHandlerContext ctx) implements Downstream {
        @Override
        public void write(Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public ChannelFuture writeTracked(Object msg) {
            return ctx.write(msg);
        }

        @Override
        public void flush() {
            ctx.flush();
        }

        @Override
        public ChannelFuture writeAndFlush(Object msg) {
            return ctx.writeAndFlush(msg);
        }

        @Override
        public void close() {
            ctx.close();
        }

        @Override
        public void closeAfter(ChannelFuture lastWrite) {
            if (lastWrite != null && !lastWrite.isDone()) {
                lastWrite.addListener(ChannelFutureListener.CLOSE);
            } else if (lastWrite == null) {
                // The response went out without a promise: close once what is queued is written.
                ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.close();
            }
        }

        @Override
        public boolean isWritable() {
            return ctx.channel().isWritable();
        }

        @Override
        public void setReading(boolean read) {
            if (ctx.channel().config().isAutoRead() != read) {
                ctx.channel().config().setAutoRead(read);
            }
        }

        @Override
        public EventExecutor executor() {
            return ctx.executor();
        }

        @Override
        public ByteBufAllocator alloc() {
            return ctx.alloc();
        }

        @Override
        public SocketAddress remoteAddress() {
            return ctx.channel().remoteAddress();
        }
    }
}
