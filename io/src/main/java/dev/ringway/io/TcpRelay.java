package dev.ringway.io;

import dev.ringway.core.route.Backend;
import dev.ringway.core.route.Endpoint;
import dev.ringway.core.route.L4Route;
import dev.ringway.core.route.WeightedBackend;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;

/**
 * Raw TCP forwarding (TCPRoute, TLS passthrough, terminated TLSRoute): one upstream connection per
 * downstream connection, opened on the same event loop; bytes are relayed both ways with
 * backpressure, and when either side closes the other is closed after its pending writes.
 */
final class TcpRelay extends ChannelInboundHandlerAdapter {
    private final LoopState loop;
    private final L4Route route;
    private final ArrayDeque<Object> early = new ArrayDeque<>(2);
    private ChannelHandlerContext ctx;
    private Channel upstream;
    private boolean started;
    private boolean flushUp;

    TcpRelay(LoopState loop, L4Route route) {
        this.loop = loop;
        this.route = route;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        ctx.channel().config().setAutoRead(false);
        if (ctx.channel().isActive()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start();
        super.channelActive(ctx);
    }

    private void start() {
        if (started) {
            return;
        }
        started = true;
        WeightedBackend wb = route == null ? null : route.backends().pick(loop.balancer);
        Backend b = wb == null ? null : wb.backend();
        Endpoint ep = b == null || b.isInvalid() ? null : b.pick(loop.balancer);
        if (ep == null) {
            ctx.close();
            return;
        }
        String label = b.name();
        ChannelFuture f = loop.pool.connectRaw(ep.socketAddress(), new Peer());
        f.addListener((ChannelFutureListener) cf -> {
            if (!cf.isSuccess()) {
                LoopMetrics.inc(loop.metrics.backend(label).cells, LoopMetrics.BackendSeries.CONNECT_ERRORS, 1);
                ctx.close();
                return;
            }
            if (!ctx.channel().isActive()) {
                cf.channel().close();
                return;
            }
            upstream = cf.channel();
            Object m;
            while ((m = early.poll()) != null) {
                upstream.write(m, upstream.voidPromise());
            }
            upstream.flush();
            upstream.config().setAutoRead(true);
            ctx.channel().config().setAutoRead(upstream.isWritable());
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        Channel u = upstream;
        if (u == null) {
            early.add(msg);
            return;
        }
        u.write(msg, u.voidPromise());
        flushUp = true;
        if (!u.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (flushUp && upstream != null) {
            flushUp = false;
            upstream.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Channel u = upstream;
        if (u != null) {
            u.config().setAutoRead(ctx.channel().isWritable());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Object m;
        while ((m = early.poll()) != null) {
            ReferenceCountUtil.release(m);
        }
        Channel u = upstream;
        if (u != null && u.isActive()) {
            u.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /** The upstream side: relays to the downstream channel. */
    private final class Peer extends ChannelInboundHandlerAdapter {
        private boolean flushDown;

        @Override
        public void channelActive(ChannelHandlerContext c) throws Exception {
            loop.metrics.connection(LoopMetrics.UP_OPEN);
            super.channelActive(c);
        }

        @Override
        public void channelRead(ChannelHandlerContext c, Object msg) {
            Channel down = ctx.channel();
            down.write(msg, down.voidPromise());
            flushDown = true;
            if (!down.isWritable()) {
                c.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext c) {
            if (flushDown) {
                flushDown = false;
                ctx.channel().flush();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext c) {
            ctx.channel().config().setAutoRead(c.channel().isWritable());
        }

        @Override
        public void channelInactive(ChannelHandlerContext c) {
            loop.metrics.connection(LoopMetrics.UP_CLOSE);
            Channel down = ctx.channel();
            if (down.isActive()) {
                down.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
            c.close();
        }
    }
}
