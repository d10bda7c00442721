package dev.ringway.io;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.timeout.IdleStateHandler;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive HTTP/1.1 connections to backend endpoints, owned by one event loop: new connections
 * are created on that loop (so a downstream connection and its upstream connections share a thread
 * and never hand off), idle ones are kept per endpoint address up to a cap and reused
 * most-recently-used first, and a connection that closes while idle is evicted at once.
 * Not thread-safe: only its loop touches it.
 */
final class UpstreamPool {
    static final String CODEC = "codec";

    private final HashMap<InetSocketAddress, ArrayDeque<UpstreamConn>> idle = new HashMap<>();
    private final Bootstrap bootstrap;
    private final Bootstrap rawBootstrap;
    private final int maxIdlePerEndpoint;
    private final LoopMetrics metrics;
    private int idleCount;

    UpstreamPool(EventLoop loop, Transport transport, DataPlaneOptions options, LoopMetrics metrics) {
        this.maxIdlePerEndpoint = options.upstream().maxIdlePerEndpoint();
        this.metrics = metrics;
        DataPlaneOptions.Upstream up = options.upstream();
        long idleMs = up.idleTimeout().toMillis();
        long responseMs = up.responseTimeout().toMillis();
        int connectMs = (int) Math.max(1, Math.min(Integer.MAX_VALUE, up.connectTimeout().toMillis()));
        UpstreamPool pool = this;
        ChannelHandler init = new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast("idle", new IdleStateHandler(responseMs, 0, idleMs, TimeUnit.MILLISECONDS));
                ch.pipeline().addLast(CODEC, new HttpClientCodec(8192, 64 * 1024, 64 * 1024));
                ch.pipeline().addLast("upstream", new UpstreamConn(ch, pool, metrics));
            }
        };
        this.bootstrap = new Bootstrap().group(loop).channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMs)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024))
                .handler(init);
        this.rawBootstrap = new Bootstrap().group(loop).channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMs)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024));
    }

    /** An idle live connection to {@code address}, removed from the pool, or null. */
    UpstreamConn poll(InetSocketAddress address) {
        ArrayDeque<UpstreamConn> q = idle.get(address);
        if (q == null) {
            return null;
        }
        UpstreamConn c;
        while ((c = q.pollLast()) != null) {
            idleCount--;
            c.inPool = false;
            if (c.ch.isActive()) {
                return c;
            }
        }
        return null;
    }

    /** Returns a connection whose last exchange completed cleanly; closes it when the pool is full. */
    void release(UpstreamConn c) {
        c.owner = null;
        if (!c.ch.isActive()) {
            return;
        }
        if (!c.ch.config().isAutoRead()) {
            c.ch.config().setAutoRead(true); // watch for the server closing it
        }
        ArrayDeque<UpstreamConn> q = idle.get(c.key);
        if (q == null) {
            q = new ArrayDeque<>();
            idle.put(c.key, q);
        }
        if (q.size() >= maxIdlePerEndpoint) {
            c.ch.close();
            return;
        }
        c.inPool = true;
        q.addLast(c);
        idleCount++;
    }

    /** Called when a pooled connection closes or idles out. */
    void remove(UpstreamConn c) {
        if (!c.inPool) {
            return;
        }
        c.inPool = false;
        ArrayDeque<UpstreamConn> q = idle.get(c.key);
        if (q != null && q.remove(c)) {
            idleCount--;
            if (q.isEmpty()) {
                idle.remove(c.key);
            }
        }
    }

    int idleCount() {
        return idleCount;
    }

    /** Opens an HTTP/1.1 connection on this loop; the {@link UpstreamConn} is in its pipeline. */
    ChannelFuture connect(InetSocketAddress address) {
        return bootstrap.connect(address);
    }

    /** Opens a raw (L4) connection on this loop with auto-read off and the given handler. */
    ChannelFuture connectRaw(InetSocketAddress address, ChannelHandler handler) {
        return rawBootstrap.clone().handler(handler).connect(address);
    }

    /** Closes every idle connection (drain). */
    void closeIdle() {
        for (ArrayDeque<UpstreamConn> q : idle.values()) {
            for (UpstreamConn c : q) {
                c.inPool = false;
                c.ch.close();
            }
        }
        idle.clear();
        idleCount = 0;
    }

    LoopMetrics metrics() {
        return metrics;
    }
}
