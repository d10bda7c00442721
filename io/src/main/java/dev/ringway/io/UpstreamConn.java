package dev.ringway.io;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;


/**
 * The last handler of an upstream exchange channel (an HTTP/1.1 connection, or one stream of an
 * HTTP/2 connection): passes everything, as HTTP message objects, to whoever currently owns it
 * (same event loop), or, while an HTTP/1.1 connection is pooled, watches for the server closing it
 * or it idling out.
 */
final class UpstreamConn extends ChannelInboundHandlerAdapter {
    final Channel ch;
    final UpstreamPool pool;
    private final LoopMetrics metrics;
    /** The HTTP/2 connection this stream belongs to, or null for an HTTP/1.1 connection. */
    final H2Upstream h2;
    /** Where it is pooled (target and address). */
    UpstreamPool.Endpoint ep;
    UpstreamOwner owner;
    boolean inPool;
    /** Exchanges served on this connection (more than 0 means a reused connection). */
    int uses;
    /** The server refused this stream without processing it (REFUSED_STREAM, or left out by GOAWAY). */
    boolean refused;
    /** When it went back to the pool ({@link System#nanoTime()}). */
    long idleSince;

    UpstreamConn(Channel ch, UpstreamPool pool, LoopMetrics metrics, H2Upstream h2) {
        this.ch = ch;
        this.pool = pool;
        this.metrics = metrics;
        this.h2 = h2;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (h2 == null) {
            metrics.connection(LoopMetrics.UP_OPEN);
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (h2 == null) {
            metrics.connection(LoopMetrics.UP_CLOSE);
        }
        if (inPool) {
            pool.remove(this);
        }
        UpstreamOwner o = owner;
        if (o != null) {
            owner = null;
            o.onUpstreamClosed(this);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        UpstreamOwner o = owner;
        if (o == null) {
            // Data on an idle connection: the server is not speaking HTTP/1.1 keep-alive correctly.
            ReferenceCountUtil.release(msg);
            ch.close();
            return;
        }
        o.onUpstreamRead(this, msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        UpstreamOwner o = owner;
        if (o != null) {
            o.onUpstreamReadComplete(this);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        UpstreamOwner o = owner;
        if (o != null) {
            o.onUpstreamWritabilityChanged(this);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent e) {
            UpstreamOwner o = owner;
            if (o == null) {
                ch.close(); // pooled and silent for a whole response timeout
            } else if (e.state() == IdleState.READER_IDLE) {
                o.onUpstreamIdle(this);
            }
            return;
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ch.close();
    }
}
