package dev.ringway.io;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;

/**
 * The upstream connections of one event loop, per {@link UpstreamTarget} and endpoint address:
 * new connections are created on that loop (so a downstream connection and its upstream
 * connections share a thread and never hand off). HTTP/1.1 connections are kept idle per endpoint
 * up to a cap and reused most-recently-used first; a connection that closes while idle is evicted
 * at once. HTTP/2 connections ({@link H2Upstream}) carry many exchanges at once, one stream each,
 * up to the server's concurrency limit, after which another connection is opened.
 *
 * <p>What an exchange gets is an {@link UpstreamConn}: the last handler of an HTTP/1.1 connection
 * or of one HTTP/2 stream, both speaking Netty's HTTP message objects. TLS targets complete
 * {@link #open} only once the handshake (and the backend certificate's verification) succeeded.
 * Not thread-safe: only its loop touches it.
 */
final class UpstreamPool {
    static final String CODEC = "codec";

    /** Everything pooled for one target and address. */
    static final class Endpoint {
        final UpstreamTarget target;
        final InetSocketAddress address;
        final ArrayDeque<UpstreamConn> idle = new ArrayDeque<>();
        /** HTTP/2 connections, connecting or live (a connection leaves on GOAWAY or close). */
        final ArrayList<H2Upstream> h2 = new ArrayList<>(1);

        Endpoint(UpstreamTarget target, InetSocketAddress address) {
            this.target = target;
            this.address = address;
        }

        boolean isEmpty() {
            return idle.isEmpty() && h2.isEmpty();
        }
    }

    private final EventLoop loop;
    /** Cleartext HTTP/1.1 endpoints (the common case: one lookup). */
    private final HashMap<InetSocketAddress, Endpoint> plain = new HashMap<>();
    /** Every other target. */
    private final HashMap<UpstreamTarget, HashMap<InetSocketAddress, Endpoint>> others = new HashMap<>();
    private final Bootstrap bootstrap;
    private final Bootstrap rawBootstrap;
    private final int maxIdlePerEndpoint;
    private final long idleMs;
    private final long responseMs;
    private final int connectMs;
    private final LoopMetrics metrics;
    private int idleCount;

    UpstreamPool(EventLoop loop, Transport transport, DataPlaneOptions options, LoopMetrics metrics) {
        this.loop = loop;
        this.maxIdlePerEndpoint = options.upstream().maxIdlePerEndpoint();
        this.metrics = metrics;
        DataPlaneOptions.Upstream up = options.upstream();
        this.idleMs = up.idleTimeout().toMillis();
        this.responseMs = up.responseTimeout().toMillis();
        this.connectMs = (int) Math.max(1, Math.min(Integer.MAX_VALUE, up.connectTimeout().toMillis()));
        this.bootstrap = new Bootstrap().group(loop).channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMs)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024));
        this.rawBootstrap = bootstrap.clone().option(ChannelOption.AUTO_READ, false);
        if (idleMs > 0) {
            long period = Math.max(250, idleMs / 4);
            loop.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Closes connections idle for longer than the idle timeout: pooled HTTP/1.1 connections (oldest
     * first in each deque) and HTTP/2 connections without a stream. One task per loop instead of a
     * timer per connection.
     */
    private void sweep() {
        long now = System.nanoTime();
        long limit = TimeUnit.MILLISECONDS.toNanos(idleMs);
        ArrayList<Endpoint> all = new ArrayList<>(plain.values()); // a copy: forget(e) removes from the maps
        for (HashMap<InetSocketAddress, Endpoint> m : others.values()) {
            all.addAll(m.values());
        }
        for (Endpoint e : all) {
            UpstreamConn c;
            while ((c = e.idle.peekFirst()) != null && now - c.idleSince > limit) {
                e.idle.pollFirst();
                idleCount--;
                c.inPool = false;
                c.ch.close();
            }
            for (int i = e.h2.size() - 1; i >= 0; i--) {
                H2Upstream h = e.h2.get(i);
                if (h.idleFor(now) > limit) {
                    h.close();
                }
            }
            forget(e);
        }
    }

    EventLoop loop() {
        return loop;
    }

    long responseTimeoutMs() {
        return responseMs;
    }

    long connectTimeoutMs() {
        return connectMs;
    }

    long idleTimeoutMs() {
        return idleMs;
    }

    LoopMetrics metrics() {
        return metrics;
    }

    private Endpoint endpoint(UpstreamTarget t, InetSocketAddress address, boolean create) {
        HashMap<InetSocketAddress, Endpoint> m;
        if (t == UpstreamTarget.H1) {
            m = plain;
        } else {
            m = others.get(t);
            if (m == null) {
                if (!create) {
                    return null;
                }
                m = new HashMap<>();
                others.put(t, m);
            }
        }
        Endpoint e = m.get(address);
        if (e == null && create) {
            e = new Endpoint(t, address);
            m.put(address, e);
        }
        return e;
    }

    private void forget(Endpoint e) {
        if (!e.isEmpty()) {
            return;
        }
        if (e.target == UpstreamTarget.H1) {
            plain.remove(e.address, e);
        } else {
            HashMap<InetSocketAddress, Endpoint> m = others.get(e.target);
            if (m != null && m.remove(e.address, e) && m.isEmpty()) {
                others.remove(e.target);
            }
        }
    }

    /**
     * An idle live HTTP/1.1 connection to {@code address}, removed from the pool, or null (always
     * null for HTTP/2 targets: use {@link #open}).
     */
    UpstreamConn poll(UpstreamTarget t, InetSocketAddress address) {
        if (t.h2) {
            return null;
        }
        Endpoint e = t == UpstreamTarget.H1 ? plain.get(address) : endpoint(t, address, false);
        if (e == null) {
            return null;
        }
        UpstreamConn c;
        while ((c = e.idle.pollLast()) != null) {
            idleCount--;
            c.inPool = false;
            if (c.ch.isActive()) {
                return c;
            }
        }
        return null;
    }

    /**
     * A new exchange channel to {@code address}: a new HTTP/1.1 connection, or a stream on an HTTP/2
     * connection (opened if none has room). Completes on this loop once usable (TLS handshake done).
     */
    Future<UpstreamConn> open(UpstreamTarget t, InetSocketAddress address) {
        Promise<UpstreamConn> p = loop.newPromise();
        if (t.failure != null) {
            return p.setFailure(new UpstreamTlsException(t.failure));
        }
        Endpoint e = endpoint(t, address, true);
        if (t.h2) {
            openH2(e, p);
            return p;
        }
        Bootstrap b = bootstrap.clone().handler(new H1Init(this, e));
        ChannelFuture f = b.connect(address);
        f.addListener(cf -> {
            if (!cf.isSuccess()) {
                forget(e);
                p.tryFailure(cf.cause());
                return;
            }
            Channel ch = f.channel();
            UpstreamConn c = ch.pipeline().get(UpstreamConn.class);
            if (c == null) {
                ch.close();
                p.tryFailure(new IllegalStateException("upstream connection closed during setup"));
                return;
            }
            SslHandler ssl = ch.pipeline().get(SslHandler.class);
            if (ssl == null) {
                p.trySuccess(c);
                return;
            }
            ssl.handshakeFuture().addListener(hf -> {
                if (hf.isSuccess()) {
                    p.trySuccess(c);
                } else {
                    ch.close();
                    p.tryFailure(new UpstreamTlsException(hf.cause()));
                }
            });
        });
        return p;
    }

    /** A stream on an HTTP/2 connection of {@code e} with room, else on a new connection. */
    void openH2(Endpoint e, Promise<UpstreamConn> p) {
        H2Upstream h = null;
        for (int i = 0, n = e.h2.size(); i < n; i++) {
            H2Upstream c = e.h2.get(i);
            if (c.hasRoom()) {
                h = c;
                break;
            }
        }
        if (h == null) {
            Endpoint live = endpoint(e.target, e.address, true); // e itself unless it was forgotten
            h = new H2Upstream(this, live);
            live.h2.add(h);
            h.connect(bootstrap);
        }
        h.openStream(p);
    }

    /** The pipeline of an HTTP/1.1 upstream connection (TLS first for TLS targets). */
    private static final class H1Init extends ChannelInitializer<Channel> {
        private final UpstreamPool pool;
        private final Endpoint ep;

        H1Init(UpstreamPool pool, Endpoint ep) {
            this.pool = pool;
            this.ep = ep;
        }

        @Override
        protected void initChannel(Channel ch) {
            ChannelPipeline p = ch.pipeline();
            pool.addTls(p, ep);
            if (pool.responseMs > 0) {
                // The response timeout only (reader idle: no promise per write); idle pooled
                // connections are closed by the pool's sweep.
                p.addLast("idle", new IdleStateHandler(pool.responseMs, 0, 0, TimeUnit.MILLISECONDS));
            }
            p.addLast(CODEC, new HttpCodecs.UpstreamCodec());
            UpstreamConn c = new UpstreamConn(ch, pool, pool.metrics, null);
            c.ep = ep;
            p.addLast("upstream", c);
        }
    }

    /** Puts the client TLS handler first in an upstream pipeline when the target is TLS. */
    void addTls(ChannelPipeline p, Endpoint ep) {
        UpstreamTarget t = ep.target;
        if (t.ssl != null) {
            SslHandler h = t.sni != null
                    ? t.ssl.newHandler(p.channel().alloc(), t.sni, ep.address.getPort())
                    : t.ssl.newHandler(p.channel().alloc());
            p.addLast("tls", h);
        }
    }

    /** Returns a connection whose last exchange completed cleanly; closes it when the pool is full. */
    void release(UpstreamConn c) {
        c.owner = null;
        if (c.h2 != null) {
            c.ch.close(); // a finished stream is over; its connection stays in the pool
            return;
        }
        if (!c.ch.isActive()) {
            return;
        }
        if (!c.ch.config().isAutoRead()) {
            c.ch.config().setAutoRead(true); // watch for the server closing it
        }
        Endpoint e = c.ep;
        Endpoint live = endpoint(e.target, e.address, false);
        if (live == null) {
            live = endpoint(e.target, e.address, true);
        }
        c.ep = live;
        if (live.idle.size() >= maxIdlePerEndpoint) {
            c.ch.close();
            return;
        }
        c.inPool = true;
        c.idleSince = System.nanoTime();
        live.idle.addLast(c);
        idleCount++;
    }

    /** Called when a pooled HTTP/1.1 connection closes or idles out. */
    void remove(UpstreamConn c) {
        if (!c.inPool) {
            return;
        }
        c.inPool = false;
        Endpoint e = c.ep;
        if (e.idle.remove(c)) {
            idleCount--;
            forget(e);
        }
    }

    /** Called by an HTTP/2 connection that took a GOAWAY or closed: no new streams on it. */
    void remove(H2Upstream h) {
        Endpoint e = h.ep;
        if (e.h2.remove(h)) {
            forget(e);
        }
    }

    int idleCount() {
        return idleCount;
    }

    /** Opens a raw (L4) connection on this loop with auto-read off and the given handler. */
    ChannelFuture connectRaw(InetSocketAddress address, ChannelHandler handler) {
        return rawBootstrap.clone().handler(handler).connect(address);
    }

    /** Closes every idle connection (drain); HTTP/2 connections get GOAWAY and close when done. */
    void closeIdle() {
        ArrayList<Endpoint> all = new ArrayList<>(plain.values());
        for (HashMap<InetSocketAddress, Endpoint> m : others.values()) {
            all.addAll(m.values());
        }
        for (Endpoint e : all) {
            for (UpstreamConn c : e.idle) {
                c.inPool = false;
                c.ch.close();
            }
            e.idle.clear();
            for (H2Upstream h : new ArrayList<>(e.h2)) {
                h.close();
            }
            e.h2.clear();
        }
        plain.clear();
        others.clear();
        idleCount = 0;
    }

    /** The backend's TLS failed (handshake, certificate verification) or could not be set up. */
    static final class UpstreamTlsException extends Exception {
        UpstreamTlsException(String m) {
            super(m, null, false, false);
        }

        UpstreamTlsException(Throwable cause) {
            super(String.valueOf(cause), cause, false, false);
        }
    }
}
