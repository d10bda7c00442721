package dev.ringway.io;

import dev.ringway.core.route.Endpoint;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;

import java.util.ArrayDeque;

/**
 * A RequestMirror copy: the request (head as sent to the primary backend, body teed as it streams)
 * goes to the mirror backend over a pooled connection of the same loop; its response is read and
 * dropped. Best effort and never in the way of the primary exchange: a mirror that cannot keep up
 * (not writable, or more than {@link #MAX_BUFFERED} bytes waiting for its connection) is abandoned.
 * Each copy counts in its backend's in-flight gauge on this loop
 * ({@link LoopMetrics.BackendSeries#MIRRORS_IN_FLIGHT}) from {@link #start} until it is answered or
 * abandoned; the caller does not start one beyond {@link LoopState#maxMirrorsInFlight}.
 */
final class MirrorExchange implements UpstreamOwner, GenericFutureListener<Future<UpstreamConn>> {
    static final int MAX_BUFFERED = 1024 * 1024;

    private final LoopState loop;
    private final Endpoint endpoint;
    private final HttpRequest head;
    /** The mirror backend's series on this loop: its in-flight cell counts this copy. */
    private final LoopMetrics.BackendSeries series;
    private final ArrayDeque<HttpContent> waiting = new ArrayDeque<>(2);
    private int waitingBytes;
    private UpstreamConn conn;
    private boolean requestDone;
    private boolean responseDone;
    private boolean keepAlive;
    private boolean abandoned;
    private boolean finished;

    private MirrorExchange(LoopState loop, Endpoint endpoint, HttpRequest head, LoopMetrics.BackendSeries series) {
        this.loop = loop;
        this.series = series;
        this.endpoint = endpoint;
        this.head = head;
    }

    /** Starts a mirror of {@code request} (copied now: the primary's headers keep changing). */
    static MirrorExchange start(LoopState loop, UpstreamTarget target, Endpoint endpoint, HttpRequest request,
                                LoopMetrics.BackendSeries series) {
        HttpRequest copy = new DefaultHttpRequest(request.protocolVersion(), request.method(), request.uri(),
                request.headers().copy());
        MirrorExchange m = new MirrorExchange(loop, endpoint, copy, series);
        LoopMetrics.inc(series.cells, LoopMetrics.BackendSeries.MIRRORS_IN_FLIGHT, 1);
        UpstreamConn c = loop.pool.poll(target, endpoint.socketAddress());
        if (c != null) {
            m.attach(c);
        } else {
            loop.pool.open(target, endpoint.socketAddress()).addListener(m);
        }
        return m;
    }

    @Override
    public void operationComplete(Future<UpstreamConn> f) {
        if (!f.isSuccess()) {
            abandon();
            return;
        }
        UpstreamConn c = f.getNow();
        if (abandoned) {
            c.owner = null;
            c.ch.close();
            return;
        }
        attach(c);
    }

    private void attach(UpstreamConn c) {
        conn = c;
        c.owner = this;
        c.uses++;
        Channel ch = c.ch;
        if (!ch.config().isAutoRead()) {
            ch.config().setAutoRead(true);
        }
        ch.write(head, ch.voidPromise());
        HttpContent w;
        while ((w = waiting.poll()) != null) {
            ch.write(w, ch.voidPromise());
        }
        ch.flush();
        waitingBytes = 0;
    }

    /** A piece of the primary request's body; this mirror takes its own reference. */
    void body(HttpContent c) {
        if (abandoned) {
            return;
        }
        boolean last = c instanceof LastHttpContent;
        if (last) {
            requestDone = true;
        }
        HttpContent dup = c.retainedDuplicate();
        UpstreamConn u = conn;
        if (u == null) {
            waitingBytes += dup.content().readableBytes();
            waiting.add(dup);
            if (waitingBytes > MAX_BUFFERED) {
                abandon();
            }
            return;
        }
        if (!u.ch.isWritable()) {
            dup.release();
            abandon();
            return;
        }
        u.ch.writeAndFlush(dup, u.ch.voidPromise());
    }

    @Override
    public void onUpstreamRead(UpstreamConn u, Object msg) {
        if (msg instanceof HttpResponse r) {
            keepAlive = HttpUtil.isKeepAlive(r) && r.status().code() >= 200;
        }
        boolean last = msg instanceof LastHttpContent;
        ReferenceCountUtil.release(msg);
        if (last && keepAlive) {
            responseDone = true;
            finish();
            conn = null;
            u.owner = null;
            if (requestDone && !abandoned) {
                loop.pool.release(u);
            } else {
                u.ch.close();
            }
        }
    }

    @Override
    public void onUpstreamReadComplete(UpstreamConn u) {
    }

    @Override
    public void onUpstreamWritabilityChanged(UpstreamConn u) {
    }

    @Override
    public void onUpstreamClosed(UpstreamConn u) {
        conn = null;
        abandon();
    }

    @Override
    public void onUpstreamIdle(UpstreamConn u) {
        abandon();
    }

    /** Gives up on this copy: drop what waits, close the connection. */
    void abandon() {
        if (abandoned) {
            return;
        }
        abandoned = true;
        finish();
        HttpContent w;
        while ((w = waiting.poll()) != null) {
            w.release();
        }
        UpstreamConn u = conn;
        conn = null;
        if (u != null && !responseDone) {
            u.owner = null;
            u.ch.close();
        }
    }

    /** Leaves the loop's in-flight count, once. */
    private void finish() {
        if (!finished) {
            finished = true;
            LoopMetrics.inc(series.cells, LoopMetrics.BackendSeries.MIRRORS_IN_FLIGHT, -1);
        }
    }

    boolean finishedSending() {
        return requestDone || abandoned;
    }
}
