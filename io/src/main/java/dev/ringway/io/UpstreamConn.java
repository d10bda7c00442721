package dev.ringway.io;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;

/**
 * The last handler of an upstream HTTP/1.1 connection: passes everything to the downstream
 * connection that currently owns it (same event loop), or, while pooled, watches for the server
 * closing it or it idling out.
 */
final class UpstreamConn extends ChannelInboundHandlerAdapter {
    final Channel ch;
    final UpstreamPool pool;
    private final LoopMetrics metrics;
    InetSocketAddress key;
    UpstreamOwner owner;
    boolean inPool;
    /** Exchanges served on this connection (more than 0 means a reused connection). */
    int uses;

    UpstreamConn(Channel ch, UpstreamPool pool, LoopMetrics metrics) {
        this.ch = ch;
        this.pool = pool;
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        metrics.connection(LoopMetrics.UP_OPEN);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        metrics.connection(LoopMetrics.UP_CLOSE);
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
                if (e.state() == IdleState.ALL_IDLE) {
                    ch.close();
                }
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
