package dev.ringway.io;

import dev.ringway.core.route.Backend;
import dev.ringway.core.route.BindAddress;
import dev.ringway.core.route.CompiledMatch;
import dev.ringway.core.route.Endpoint;
import dev.ringway.core.route.HeaderOps;
import dev.ringway.core.route.HttpFilter;
import dev.ringway.core.route.HttpRouter;
import dev.ringway.core.route.HttpRule;
import dev.ringway.core.route.ListenerRoutes;
import dev.ringway.core.route.TlsListener;
import dev.ringway.core.route.WeightedBackend;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One downstream HTTP/1.1 connection (a handler in its pipeline) or one HTTP/2 stream (driven by
 * {@link H2Server.Connection} through the {@code on...} methods) of the reverse proxy; either way
 * the answer goes to a {@link Downstream}. Requests are handled one at a time in
 * arrival order (pipelined requests wait in {@link #pending}, with reading paused, so responses go
 * out in order); each request reads the snapshot holder once when its head arrives, is routed,
 * filtered and forwarded to an upstream connection of this event loop's pool, and both bodies are
 * streamed with backpressure (the reading side stops when the other side is not writable).
 *
 * <p>Every path answers or closes: local errors get a response, upstream failures before the
 * response head become 502/503/504, failures after it close the client connection (the only way to
 * signal a truncated response in HTTP/1.1).
 */
final class HttpProxyHandler extends ChannelInboundHandlerAdapter implements UpstreamOwner {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HttpProxyHandler.class);

    // Read-pause reasons (the downstream reads only when none is set).
    private static final int PAUSE_PIPELINE = 1;
    private static final int PAUSE_CONNECT = 2;
    private static final int PAUSE_UPSTREAM_FULL = 4;

    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain; charset=utf-8");

    private final NettyDataPlane dp;
    private final LoopState loop;
    private final BindAddress address;
    private final boolean secure;
    /** The TLS listener SNI selected (terminating HTTPS), or null on cleartext. */
    private final TlsListener sniListener;
    /** The SNI server name, or null. */
    private final String sni;
    /** The HTTP/1.1 response encoder, or null on an HTTP/2 stream ({@link H2Server.Stream}). */
    private final HttpCodecs.ResponseEncoder encoder;
    private final RequestView view = new RequestView();
    private final ArrayDeque<Object> pending = new ArrayDeque<>(1);
    private final ArrayDeque<HttpContent> buffered = new ArrayDeque<>(2);
    private final List<HeaderOps> responseOps = new ArrayList<>();
    private final List<HttpFilter.Mirror> mirrorFilters = new ArrayList<>();
    private final List<MirrorExchange> mirrors = new ArrayList<>();
    private final GenericFutureListener<Future<UpstreamConn>> openListener = this::onOpened;

    /** The HTTP/1.1 connection's context (null on an HTTP/2 stream, which has no channel of its own). */
    private ChannelHandlerContext ctx;
    /** Where the answer goes: the HTTP/1.1 connection or the HTTP/2 stream. */
    private Downstream down;
    private String clientIp;
    private int pauseFlags;
    private boolean closing;
    private boolean tunnel;
    private boolean inDrain;
    private ChannelFuture lastWrite;

    // ---- the exchange in flight (one at a time) ----
    private boolean active;
    private long exchangeId;
    private HttpRequest request;
    private String method;
    private String originalUri;
    private HttpVersion clientVersion;
    private boolean head;
    private boolean expectContinue;
    private boolean upgradeRequested;
    private boolean requestHasBody;
    private ServingState state;
    private String listenerLabel;
    private String routeLabel;
    private String backendLabel;
    private Endpoint endpoint;
    private long startNanos;
    /** When the request head of the current attempt was written upstream (0: not yet). */
    private long upstreamSentNanos;
    /**
     * The backend answered (its response ended): the response's record also records the backend's
     * part ({@link LoopMetrics.RequestSeries#upstream}), up to the same clock read.
     */
    private boolean upstreamAnswered;
    private boolean requestDone;
    private boolean responseStarted;
    private boolean responseDone;
    private boolean discardBody;
    private boolean skipInterimLast;
    private boolean upstreamKeepAlive;
    private boolean retried;
    /** Upstream attempts made for this exchange beyond the first. */
    private int attempt;
    // ---- retries (HTTPRoute rules[].retry) and timeouts ----
    private Backend backend;
    private HttpRule.Retry retryPolicy;
    private int retriesLeft;
    /** Every body piece received so far (own references), while it fits the retry body limit. */
    private final ArrayDeque<HttpContent> replay = new ArrayDeque<>(1);
    private long replayBytes;
    /** {@link #replay} holds the whole body received so far. */
    private boolean replayable;
    /** Some of the body (or its end) was written to the current attempt's upstream. */
    private boolean bodySent;
    /** The end of the body was written to the current attempt's upstream. */
    private boolean lastSent;
    /** The next attempt sends {@link #replay} (the body already went to a failed attempt). */
    private boolean resendFromReplay;
    /** {@code timeouts.request} as a {@link System#nanoTime()} deadline, or 0. */
    private long deadline;
    /** {@code timeouts.backendRequest} in nanoseconds (each attempt), or 0. */
    private long attemptNanos;
    private ScheduledFuture<?> retryTimer;
    private int status;
    private long bytesOut;
    private UpstreamConn upstream;
    private UpstreamTarget target;
    /** The CORS filter whose origin check this request passed (its fields go on the response), or null. */
    private HttpFilter.Cors cors;
    private String corsOrigin;
    /** The Gateway's client certificate toward TLS backends for this request's listener, or null. */
    private dev.ringway.core.route.CertificateBundle backendClientCert;
    /** The upstream exchange channel being opened (connect, TLS handshake, HTTP/2 stream), or null. */
    private Future<UpstreamConn> pendingConnect;
    /** The client accepts trailers ({@code TE: trailers}); forwarded to HTTP/2 backends. */
    private boolean teTrailers;
    /** Inside a downstream read: upstream writes are flushed at the read's end. */
    private boolean deferFlush;
    private boolean upstreamFlushPending;
    private boolean downstreamFlushPending;
    private ScheduledFuture<?> timeout;
    /** The metric series of the previous response (see {@link #recordResponse}). */
    private LoopMetrics.ListenerSeries lastListenerSeries;
    private LoopMetrics.RequestSeries lastRequestSeries;
    private String lastListener;
    private String lastRoute;
    private String lastBackend;

    HttpProxyHandler(NettyDataPlane dp, LoopState loop, BindAddress address, boolean secure, TlsListener sniListener,
                     String sni, HttpCodecs.ResponseEncoder encoder) {
        this.dp = dp;
        this.loop = loop;
        this.address = address;
        this.secure = secure;
        this.sniListener = sniListener;
        this.sni = sni;
        this.encoder = encoder;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.down = new Downstream.Http1(ctx);
    }

    /** An HTTP/2 stream's handler: not in a pipeline; the connection calls the {@code on...} methods. */
    void attach(Downstream stream) {
        this.down = stream;
    }

    // =====================================================================================
    // Downstream events
    // =====================================================================================

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        onRead(msg);
    }

    /** A request head, body piece or end from the downstream. */
    void onRead(Object msg) {
        if (tunnel) {
            relayToUpstream(msg);
            return;
        }
        if (!pending.isEmpty() || (active && msg instanceof HttpRequest)) {
            pending.add(msg);
            pause(PAUSE_PIPELINE);
            return;
        }
        deferFlush = true;
        try {
            dispatch(msg);
        } finally {
            deferFlush = false;
        }
    }

    private void dispatch(Object msg) {
        if (msg instanceof HttpRequest r) {
            onRequestHead(r);
            if (msg instanceof HttpContent c) { // not produced by the decoder, but be safe
                onRequestContent(c);
            }
        } else if (msg instanceof HttpContent c) {
            onRequestContent(c);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        onReadComplete();
    }

    /** The end of a batch of {@link #onRead} calls: what went upstream is flushed. */
    void onReadComplete() {
        if (upstreamFlushPending) {
            upstreamFlushPending = false;
            UpstreamConn u = upstream;
            if (u != null) {
                u.ch.flush();
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        onDownstreamWritabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    /** The downstream became (un)writable: the upstream side reads only while it is writable. */
    void onDownstreamWritabilityChanged() {
        UpstreamConn u = upstream;
        if (u != null) {
            boolean writable = down.isWritable();
            if (u.ch.config().isAutoRead() != writable) {
                u.ch.config().setAutoRead(writable);
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        onDownstreamInactive();
    }

    /** The downstream is gone (connection closed, stream closed or reset). */
    void onDownstreamInactive() {
        if (active) {
            // The client went away mid-exchange: nothing to answer; drop the upstream side.
            UpstreamConn u = upstream;
            upstream = null;
            if (u != null) {
                u.owner = null;
                u.ch.close();
            }
            endExchange();
        }
        pendingConnect = null;
        releaseAll(buffered);
        Object m;
        while ((m = pending.poll()) != null) {
            ReferenceCountUtil.release(m);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (!active && pending.isEmpty()) {
                ctx.close();
            } else if (tunnel) {
                ctx.close();
            }
            return;
        }
        if (evt == NettyDataPlane.DRAIN) {
            closing = true;
            if (!active && pending.isEmpty()) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // I/O errors (reset by peer, TLS failures): nothing can be answered on this connection.
        ctx.close();
    }

    // =====================================================================================
    // Request head: validate, route, filter, pick, forward
    // =====================================================================================

    private void onRequestHead(HttpRequest r) {
        beginExchange(r);
        DecoderResult dr = r.decoderResult();
        if (dr.isFailure()) {
            Throwable c = dr.cause();
            int code = c instanceof TooLongHttpHeaderException ? 431 : c instanceof TooLongHttpLineException ? 414 : 400;
            requestDone = true; // the decoder discards the rest of the connection
            closing = true;
            sendLocal(code, null);
            return;
        }
        HttpHeaders h = r.headers();
        clientVersion = r.protocolVersion();
        method = r.method().name();
        head = r.method() == HttpMethod.HEAD;
        if (!HttpUtil.isKeepAlive(r) || dp.draining()) {
            closing = true;
        }
        if (h.size() > dp.options().limits().maxHeaderCount()) {
            closing = true;
            sendLocal(431, null);
            return;
        }
        boolean chunked = false;
        if (h.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            // Only "chunked" is accepted (RFC 9112 6.1: a request with any other final coding gets
            // 400); both framings at once are refused for HTTP/1.0 too (the decoder does it for 1.1).
            List<String> te = h.getAll(HttpHeaderNames.TRANSFER_ENCODING);
            if (te.size() != 1 || !te.getFirst().trim().equalsIgnoreCase("chunked")
                    || h.contains(HttpHeaderNames.CONTENT_LENGTH) || clientVersion != HttpVersion.HTTP_1_1) {
                closing = true;
                sendLocal(400, null);
                return;
            }
            chunked = true;
        }
        requestHasBody = chunked || HttpUtil.getContentLength(r, 0L) > 0;
        if (clientVersion == HttpVersion.HTTP_1_1 && !h.contains(HttpHeaderNames.HOST)) {
            closing = true;
            sendLocal(400, null);
            return;
        }
        if (r.method() == HttpMethod.CONNECT) {
            closing = true;
            sendLocal(405, null);
            return;
        }
        expectContinue = clientVersion == HttpVersion.HTTP_1_1 && h.containsValue(HttpHeaderNames.EXPECT, HttpHeaderValues.CONTINUE, true);
        if (view.reset(r) != null) {
            closing = true;
            sendLocal(400, null);
            return;
        }

        // One read of the holder per request: everything below uses this state until the answer.
        ServingState st = dp.holder().get();
        state = st;
        ServingState.Binding b = st.binding(address);
        HttpRouter router = b == null ? null : b.binding.http();
        if (router == null) {
            // The address is no longer served as HTTP: answer and close.
            closing = true;
            sendLocal(404, null);
            return;
        }
        ListenerRoutes lr = router.listenerFor(view.host());
        listenerLabel = lr != null ? lr.listener().label() : b.portLabel;
        if (sniListener != null && sni != null && lr != null && !lr.listener().equals(sniListener.listener())) {
            // The Host belongs to another listener of this port than the one the TLS handshake chose.
            sendLocal(421, null);
            return;
        }
        CompiledMatch m = lr == null ? null : lr.route(view);
        if (m == null) {
            sendLocal(404, null);
            return;
        }
        HttpRule rule = m.rule();
        routeLabel = rule.metricsLabel();
        backendClientCert = lr.backendClientCertificate();

        String originalHost = h.get(HttpHeaderNames.HOST);
        teTrailers = h.contains(HttpHeaderNames.TE) && h.containsValue(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS, true);
        upgradeRequested = FiltersAndHeaders.prepareRequestHeaders(h, clientIp(), secure, originalHost);

        String newPath = applyFilters(rule.filters(), m, null);
        if (responseStarted) {
            return; // a filter answered
        }
        WeightedBackend wb = rule.backends().pick(loop.balancer);
        if (wb == null) {
            sendLocal(500, null);
            return;
        }
        Backend backend = wb.backend();
        this.backend = backend;
        backendLabel = backend.name();
        if (backend.isInvalid()) {
            sendLocal(500, null);
            return;
        }
        if (!wb.filters().isEmpty()) {
            newPath = applyFilters(wb.filters(), m, newPath);
            if (responseStarted) {
                return;
            }
        }
        Endpoint ep = backend.pick(loop.balancer);
        if (ep == null) {
            sendLocal(503, null);
            return;
        }
        endpoint = ep;
        target = st.target(backend, backendClientCert);

        // Upstream request: origin-form target, HTTP/1.1, Host kept unless a filter changed it.
        if (newPath != null) {
            String q = view.query();
            r.setUri(q == null ? newPath : newPath + "?" + q);
        } else if (r.uri().charAt(0) != '/' && !r.uri().equals("*")) {
            String q = view.query();
            r.setUri(q == null ? view.path() : view.path() + "?" + q);
        }
        if (!h.contains(HttpHeaderNames.HOST)) {
            h.set(HttpHeaderNames.HOST, view.host().isEmpty() ? ep.toString() : view.host());
        }
        r.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (upgradeRequested) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        }
        if (teTrailers && target.h2) {
            h.set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS); // gRPC servers want it
        }
        HttpRule.Retry rp = rule.retry();
        if (rp != null && !upgradeRequested) {
            retryPolicy = rp;
            retriesLeft = rp.attempts() > 0 ? rp.attempts() : 1; // unspecified: one retry
            replayable = true;
        }
        initTimeouts(rule);
        armAttemptTimer();
        if (!mirrorFilters.isEmpty()) {
            startMirrors();
        }

        UpstreamConn c = loop.pool.poll(target, ep.socketAddress());
        if (c != null) {
            attach(c);
            sendRequestHead();
        } else {
            connect();
        }
    }

    /**
     * Runs a filter list in order. Returns the rewritten path (or {@code path} unchanged); when a
     * filter answers the request itself (redirect, unsupported) {@link #responseStarted} is set.
     */
    private String applyFilters(List<HttpFilter> filters, CompiledMatch m, String path) {
        for (int i = 0, n = filters.size(); i < n; i++) {
            HttpFilter f = filters.get(i);
            switch (f) {
                case HttpFilter.RequestHeaders rh -> HttpFilters.apply(rh.ops(), request.headers());
                case HttpFilter.ResponseHeaders rs -> responseOps.add(rs.ops());
                case HttpFilter.Rewrite rw -> {
                    if (rw.hostname() != null) {
                        request.headers().set(HttpHeaderNames.HOST, rw.hostname());
                    }
                    if (rw.pathType() != null) {
                        path = HttpFilters.modifiedPath(rw.pathType(), rw.path(), view.path(), m.path());
                    }
                }
                case HttpFilter.Redirect rd -> {
                    String host = view.host();
                    if (host.isEmpty()) {
                        host = address.ip().indexOf(':') >= 0 ? "[" + address.ip() + "]" : address.ip();
                    }
                    String loc = HttpFilters.location(rd, secure ? "https" : "http", host, address.port(),
                            view.path(), view.query(), m.path());
                    sendLocal(rd.statusCode(), loc);
                    return path;
                }
                case HttpFilter.Unsupported u -> {
                    sendLocal(u.status(), null);
                    return path;
                }
                case HttpFilter.Mirror mirror -> mirrorFilters.add(mirror);
                case HttpFilter.Cors c -> {
                    String origin = request.headers().get(HttpHeaderNames.ORIGIN);
                    if (origin != null) {
                        boolean ok = CorsFilter.allowed(c, origin);
                        cors = ok ? c : null;
                        corsOrigin = ok ? origin : null;
                        if (CorsFilter.isPreflight(request.method(), request.headers())) {
                            sendLocal(200, null, true); // answered here, with or without the CORS fields
                            return path;
                        }
                    }
                }
            }
        }
        return path;
    }

    /** RequestMirror: a copy of the request as sent upstream, to each mirror backend (fraction applied). */
    private void startMirrors() {
        for (int i = 0, n = mirrorFilters.size(); i < n; i++) {
            HttpFilter.Mirror f = mirrorFilters.get(i);
            if (f.numerator() <= 0 || f.denominator() <= 0) {
                continue;
            }
            if (f.numerator() < f.denominator() && loop.balancer.random(f.denominator()) >= f.numerator()) {
                continue;
            }
            Backend mb = f.backend();
            Endpoint mep = mb == null || mb.isInvalid() ? null : mb.pick(loop.balancer);
            if (mep == null) {
                continue;
            }
            LoopMetrics.BackendSeries series = loop.metrics.backend(mb.name());
            if (LoopMetrics.get(series.cells, LoopMetrics.BackendSeries.MIRRORS_IN_FLIGHT) >= loop.maxMirrorsInFlight) {
                // bounded: a mirror that does not keep up must not hold a connection per request
                LoopMetrics.inc(series.cells, LoopMetrics.BackendSeries.MIRRORS_DROPPED, 1);
                continue;
            }
            mirrors.add(MirrorExchange.start(loop, state.target(mb, backendClientCert), mep, request, series));
        }
        mirrorFilters.clear();
    }

    private void beginExchange(HttpRequest r) {
        active = true;
        exchangeId++;
        request = r;
        originalUri = r.uri();
        startNanos = System.nanoTime();
        upstreamSentNanos = 0;
        upstreamAnswered = false;
        state = null;
        listenerLabel = null;
        routeLabel = null;
        backendLabel = null;
        endpoint = null;
        requestDone = false;
        responseStarted = false;
        responseDone = false;
        discardBody = false;
        skipInterimLast = false;
        upstreamKeepAlive = false;
        retried = false;
        attempt = 0;
        backend = null;
        retryPolicy = null;
        retriesLeft = 0;
        replayable = false;
        bodySent = false;
        lastSent = false;
        resendFromReplay = false;
        deadline = 0;
        attemptNanos = 0;
        cors = null;
        corsOrigin = null;
        target = null;
        backendClientCert = null;
        teTrailers = false;
        expectContinue = false;
        upgradeRequested = false;
        requestHasBody = false;
        status = 0;
        bytesOut = 0;
        method = null;
        clientVersion = HttpVersion.HTTP_1_1;
        head = false;
        responseOps.clear();
        mirrorFilters.clear();
    }

    // =====================================================================================
    // Request body
    // =====================================================================================

    private void onRequestContent(HttpContent c) {
        if (!active || requestDone) {
            c.release();
            return;
        }
        boolean last = c instanceof LastHttpContent;
        if (c.decoderResult().isFailure()) {
            // Broken body framing (bad chunk): the connection cannot continue.
            c.release();
            requestDone = true;
            closing = true;
            dropUpstream();
            if (!responseStarted) {
                pendingConnect = null;
                releaseAll(buffered);
                sendLocal(400, null);
            } else if (!responseDone) {
                abortDownstream();
            } else {
                maybeFinish();
            }
            return;
        }
        if (last) {
            requestDone = true;
        }
        for (int i = 0, n = mirrors.size(); i < n; i++) {
            mirrors.get(i).body(c);
        }
        if (replayable && !discardBody && !responseStarted) {
            replayBytes += c.content().readableBytes();
            replay.add(c.retainedDuplicate()); // the limit is enforced once a piece went upstream
        }
        if (discardBody || responseDone || (responseStarted && upstream == null && pendingConnect == null)) {
            c.release();
            if (last) {
                maybeFinish();
            }
            return;
        }
        UpstreamConn u = upstream;
        if (u == null) {
            if (resendFromReplay) {
                c.release(); // a retry is on its way and will send the kept copies, this one included
            } else {
                buffered.add(c); // connecting: reading is paused, at most one read's worth waits here
            }
            return;
        }
        writeUp(u.ch, c);
        upstreamFlushPending = true;
        if (replayable && replayBytes > dp.options().upstream().retryBodyLimit()) {
            // Too long to keep for a retry: from now on this request is retried only if none of its
            // body went upstream (so never, as some just did).
            replayable = false;
            releaseAll(replay);
        }
        if (!u.ch.isWritable()) {
            pause(PAUSE_UPSTREAM_FULL);
        }
    }

    // =====================================================================================
    // Upstream connection
    // =====================================================================================

    private void connect() {
        pause(PAUSE_CONNECT);
        Future<UpstreamConn> f = loop.pool.open(target, endpoint.socketAddress());
        pendingConnect = f;
        f.addListener(openListener);
    }

    private void onOpened(Future<UpstreamConn> f) {
        if (f != pendingConnect) {
            // The exchange this connection was opened for is gone: keep the fresh connection.
            if (f.isSuccess()) {
                loop.pool.release(f.getNow());
            }
            return;
        }
        pendingConnect = null;
        if (!f.isSuccess()) {
            if (LOG.isDebugEnabled()) {
                Throwable root = f.cause();
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                }
                LOG.debug("upstream {} {} ({}): {} ({})", endpoint, target, backendLabel, f.cause(), root.toString());
            }
            LoopMetrics.inc(loop.metrics.backend(backendLabel).cells, LoopMetrics.BackendSeries.CONNECT_ERRORS, 1);
            if (!responseStarted && canRetry(-1)) {
                retry();
                return;
            }
            resume(PAUSE_CONNECT);
            releaseAll(buffered);
            if (!responseStarted) {
                // The TCP connection failed (503), or the backend's TLS did (502).
                sendLocal(f.cause() instanceof UpstreamPool.UpstreamTlsException ? 502 : 503, null);
            }
            return;
        }
        attach(f.getNow());
        sendRequestHead();
        resume(PAUSE_CONNECT);
    }

    private void attach(UpstreamConn c) {
        upstream = c;
        c.owner = this;
        c.uses++;
        if (!c.ch.config().isAutoRead()) {
            c.ch.config().setAutoRead(true);
        }
    }

    private void sendRequestHead() {
        UpstreamConn u = upstream;
        Channel uc = u.ch;
        upstreamSentNanos = System.nanoTime();
        uc.write(request, uc.voidPromise());
        if (expectContinue) {
            // The backend answers the expectation itself (forwarded), nothing to do here.
            expectContinue = false;
        }
        HttpContent c;
        if (resendFromReplay) {
            // A retry after the body went to the failed attempt: all of it again, from the copies.
            releaseAll(buffered);
            for (HttpContent p : replay) {
                writeUp(uc, p.retainedDuplicate());
            }
        } else {
            while ((c = buffered.poll()) != null) {
                writeUp(uc, c);
            }
        }
        if (attempt > 0 && requestDone && !requestHasBody && !lastSent) {
            // A bodiless request sent again: its end (HTTP/2 needs the END_STREAM) went to the first try.
            writeUp(uc, LastHttpContent.EMPTY_LAST_CONTENT);
        }
        if (deferFlush) {
            upstreamFlushPending = true; // flushed at the end of this read, with what else it brings
        } else {
            uc.flush();
        }
        if (!uc.isWritable()) {
            pause(PAUSE_UPSTREAM_FULL);
        }
    }

    @Override
    public void onUpstreamWritabilityChanged(UpstreamConn u) {
        if (u != upstream) {
            return;
        }
        if (u.ch.isWritable()) {
            resume(PAUSE_UPSTREAM_FULL);
        } else {
            pause(PAUSE_UPSTREAM_FULL);
        }
    }

    @Override
    public void onUpstreamRead(UpstreamConn u, Object msg) {
        if (u != upstream || !active) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (tunnel) {
            if (msg instanceof ByteBuf buf) {
                bytesOut += buf.readableBytes();
                down.write(buf);
                downstreamFlushPending = true;
                if (!down.isWritable()) {
                    u.ch.config().setAutoRead(false);
                }
            } else {
                ReferenceCountUtil.release(msg);
            }
            return;
        }
        if (msg instanceof HttpResponse resp) {
            if (resp.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                dropUpstream();
                if (!responseStarted) {
                    sendLocal(502, null);
                } else {
                    abortDownstream();
                }
                return;
            }
            onResponseHead(resp);
            if (msg instanceof HttpContent c) {
                if (upstream == u) {
                    onResponseContent(c);
                } else {
                    c.release();
                }
            }
            return;
        }
        if (msg instanceof HttpContent c) {
            onResponseContent(c);
            return;
        }
        ReferenceCountUtil.release(msg);
    }

    private void onResponseHead(HttpResponse resp) {
        int code = resp.status().code();
        if (code >= 100 && code < 200 && code != 101) {
            // Interim response: forward to HTTP/1.1 clients, then wait for the final one.
            skipInterimLast = true;
            if (clientVersion == HttpVersion.HTTP_1_1 && !responseStarted) {
                DefaultHttpResponse interim = new DefaultHttpResponse(HttpVersion.HTTP_1_1, resp.status());
                if (code != 100) {
                    interim.headers().set(resp.headers());
                    HttpFilters.removeHopByHop(interim.headers(), false);
                }
                setEncoderHead(false);
                down.write(interim);
                down.write(LastHttpContent.EMPTY_LAST_CONTENT);
                downstreamFlushPending = true;
            }
            return;
        }
        if (responseStarted) {
            // We already answered (e.g. a timeout): the upstream exchange is void.
            dropUpstream();
            return;
        }
        if (retryPolicy != null && canRetry(code)) {
            retry(); // this answer is dropped (with its connection)
            return;
        }
        responseStarted = true;
        status = code;
        if (replayable) {
            replayable = false; // answered: the kept copies are no longer needed
            releaseAll(replay);
        }
        HttpHeaders h = resp.headers();
        if (code == 101) {
            if (!upgradeRequested) {
                dropUpstream();
                responseStarted = false;
                sendLocal(502, null);
                return;
            }
            startTunnel(resp);
            return;
        }
        upstreamKeepAlive = HttpUtil.isKeepAlive(resp);
        HttpFilters.removeHopByHop(h, false);
        for (int i = 0, n = responseOps.size(); i < n; i++) {
            HttpFilters.apply(responseOps.get(i), h);
        }
        if (cors != null) {
            CorsFilter.actual(cors, corsOrigin, h);
        }
        boolean bodyAllowed = !head && code != 204 && code != 304;
        boolean chunked = HttpUtil.isTransferEncodingChunked(resp);
        if (chunked) {
            if (clientVersion != HttpVersion.HTTP_1_1) {
                h.remove(HttpHeaderNames.TRANSFER_ENCODING);
                closing = true; // HTTP/1.0 has no chunked coding: the end of the body is the close
            } else {
                h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        } else if (bodyAllowed && !h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            // Close-delimited from upstream: re-frame as chunked for 1.1 clients, close for 1.0.
            if (clientVersion == HttpVersion.HTTP_1_1) {
                h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            } else {
                closing = true;
            }
        }
        if (dp.draining()) {
            closing = true;
        }
        if (closing) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (clientVersion != HttpVersion.HTTP_1_1) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        resp.setProtocolVersion(HttpVersion.HTTP_1_1);
        setEncoderHead(head);
        down.write(resp);
        downstreamFlushPending = true;
    }

    private void onResponseContent(HttpContent c) {
        boolean last = c instanceof LastHttpContent;
        if (skipInterimLast) {
            c.release();
            if (last) {
                skipInterimLast = false;
            }
            return;
        }
        if (!responseStarted || responseDone) {
            c.release();
            if (last && responseDone) {
                dropUpstream();
            }
            return;
        }
        bytesOut += c.content().readableBytes();
        if (last) {
            if (closing) {
                lastWrite = down.writeTracked(c); // the close waits for it (finishExchange)
            } else {
                down.write(c); // a later close is queued behind it (finishExchange)
            }
            down.flush();
            downstreamFlushPending = false;
            responseDone = true;
            onUpstreamResponseDone();
            return;
        }
        down.write(c);
        downstreamFlushPending = true;
        if (!down.isWritable()) {
            UpstreamConn u = upstream;
            if (u != null) {
                u.ch.config().setAutoRead(false);
            }
        }
    }

    @Override
    public void onUpstreamReadComplete(UpstreamConn u) {
        if (downstreamFlushPending) {
            downstreamFlushPending = false;
            down.flush();
        }
    }

    private void onUpstreamResponseDone() {
        upstreamAnswered = upstreamSentNanos != 0;
        UpstreamConn u = upstream;
        upstream = null;
        if (u != null) {
            u.owner = null;
            if (requestDone && upstreamKeepAlive && !dp.draining()) {
                loop.pool.release(u);
            } else {
                u.ch.close();
            }
        }
        if (!requestDone) {
            discardBody = true; // the backend answered early: drop the rest of the request body
            releaseAll(buffered);
            resume(PAUSE_UPSTREAM_FULL);
            resume(PAUSE_CONNECT);
        }
        recordResponse();
        maybeFinish();
    }

    @Override
    public void onUpstreamClosed(UpstreamConn u) {
        if (u != upstream || !active) {
            return;
        }
        upstream = null;
        if (tunnel) {
            ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (!responseStarted) {
            // Reset before any response. On a reused keep-alive connection with nothing but a head
            // sent, this is the classic idle-close race; an HTTP/2 stream the server refused was not
            // processed at all: try once more on a fresh connection (or stream). With a retry policy,
            // the policy decides (and counts it).
            if (retryPolicy == null && (u.uses > 1 || u.refused) && !requestHasBody && !retried && endpoint != null) {
                retried = true;
                attempt++;
                lastSent = false;
                connect();
                return;
            }
            if (canRetry(-1)) {
                retry();
                return;
            }
            resume(PAUSE_UPSTREAM_FULL);
            sendLocal(502, null);
        } else if (!responseDone) {
            abortDownstream();
        }
    }

    @Override
    public void onUpstreamIdle(UpstreamConn u) {
        if (u != upstream || !active || tunnel) {
            return;
        }
        if (!responseStarted && canRetry(504)) {
            retry();
            return;
        }
        dropUpstream();
        if (!responseStarted) {
            sendLocal(504, null);
        } else {
            abortDownstream();
        }
    }

    /** {@code timeouts.request} bounds the whole exchange (retries included); {@code backendRequest} each attempt. */
    private void initTimeouts(HttpRule rule) {
        Duration d = rule.requestTimeout();
        Duration b = rule.backendRequestTimeout();
        deadline = d == null || d.isZero() || d.isNegative() ? 0 : startNanos + d.toNanos();
        if (deadline == 0 && d != null && !d.isZero() && !d.isNegative()) {
            deadline = 1; // the rare nanoTime of exactly 0 still means "a deadline"
        }
        attemptNanos = b == null || b.isZero() || b.isNegative() ? 0 : b.toNanos();
    }

    /** (Re)arms the timer for the attempt starting now: the earlier of the request deadline and the attempt's. */
    private void armAttemptTimer() {
        cancelTimeout();
        long now = System.nanoTime();
        long at = deadline;
        if (attemptNanos > 0 && (at == 0 || now + attemptNanos - at < 0)) {
            at = now + attemptNanos;
        }
        if (at == 0) {
            return;
        }
        long id = exchangeId;
        timeout = down.executor().schedule(() -> onTimeout(id), Math.max(0, at - now), TimeUnit.NANOSECONDS);
    }

    private void cancelTimeout() {
        ScheduledFuture<?> t = timeout;
        if (t != null) {
            timeout = null;
            t.cancel(false);
        }
    }

    private void onTimeout(long id) {
        timeout = null;
        if (!active || id != exchangeId || responseDone) {
            return;
        }
        boolean overall = deadline != 0 && System.nanoTime() - deadline >= 0;
        if (!overall && !responseStarted && canRetry(504)) {
            retry(); // the attempt's backendRequest timeout: like a 504 from the backend
            return;
        }
        cancelRetryTimer();
        UpstreamConn u = upstream;
        if (pendingConnect != null) {
            pendingConnect = null;
            resume(PAUSE_CONNECT);
        }
        if (u != null) {
            upstream = null;
            u.owner = null;
            u.ch.close();
        }
        if (!responseStarted) {
            releaseAll(buffered);
            resume(PAUSE_UPSTREAM_FULL);
            sendLocal(504, null);
        } else {
            abortDownstream();
        }
    }

    // =====================================================================================
    // Retries
    // =====================================================================================

    /**
     * Whether this attempt's failure ({@code code}: the status answered, -1 for a connection error)
     * may be retried: the rule has a retry policy with attempts left and the code listed (connection
     * errors always are), the body can be sent again (none of it went upstream, or all of it was
     * kept), and the backoff ends before the request deadline.
     */
    private boolean canRetry(int code) {
        HttpRule.Retry rp = retryPolicy;
        if (rp == null || retriesLeft <= 0 || !active || responseStarted || backend == null) {
            return false;
        }
        if (code >= 0 && !rp.codes().contains(code)) {
            return false;
        }
        if (bodySent && !replayable) {
            return false; // a streamed body we did not keep cannot be replayed
        }
        return deadline == 0 || deadline - System.nanoTime() > backoffNanos();
    }

    private long backoffNanos() {
        Duration b = retryPolicy == null ? null : retryPolicy.backoff();
        return b == null || b.isNegative() ? 0 : b.toNanos();
    }

    /** Abandons the current attempt and starts the next one after the backoff. */
    private void retry() {
        retriesLeft--;
        attempt++;
        LoopMetrics.inc(loop.metrics.backend(backendLabel).cells, LoopMetrics.BackendSeries.RETRIES, 1);
        UpstreamConn u = upstream;
        upstream = null;
        if (u != null) {
            u.owner = null;
            u.ch.close();
        }
        pendingConnect = null;
        skipInterimLast = false;
        if (bodySent) {
            // What went upstream is gone with the attempt; the kept copies hold all of it (and what
            // is buffered, received since, is among them).
            resendFromReplay = true;
            releaseAll(buffered);
        } else {
            resendFromReplay = false; // nothing was sent: what is buffered goes as it is
        }
        bodySent = false;
        lastSent = false;
        resume(PAUSE_UPSTREAM_FULL);
        pause(PAUSE_CONNECT);
        // Only the request deadline runs during the backoff.
        cancelTimeout();
        if (deadline != 0) {
            long id = exchangeId;
            timeout = down.executor().schedule(() -> onTimeout(id), Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        long wait = backoffNanos();
        if (wait <= 0) {
            startRetryAttempt();
        } else {
            long id = exchangeId;
            retryTimer = down.executor().schedule(() -> {
                retryTimer = null;
                if (active && id == exchangeId && !responseStarted) {
                    startRetryAttempt();
                }
            }, wait, TimeUnit.NANOSECONDS);
        }
    }

    private void startRetryAttempt() {
        // Another endpoint when there is one (round robin moves on; once more if it came back the same).
        Endpoint ep = backend.pick(loop.balancer);
        if (ep != null && ep == endpoint && backend.endpoints().size() > 1) {
            ep = backend.pick(loop.balancer);
        }
        if (ep == null) {
            resume(PAUSE_CONNECT);
            releaseAll(buffered);
            sendLocal(503, null);
            return;
        }
        endpoint = ep;
        armAttemptTimer();
        UpstreamConn c = loop.pool.poll(target, ep.socketAddress());
        if (c != null) {
            attach(c);
            sendRequestHead();
            resume(PAUSE_CONNECT);
        } else {
            connect();
        }
    }

    private void cancelRetryTimer() {
        ScheduledFuture<?> t = retryTimer;
        if (t != null) {
            retryTimer = null;
            t.cancel(false);
        }
    }

    /** Writes a body piece to the current attempt's upstream, noting what went. */
    private void writeUp(Channel uc, HttpContent c) {
        if (c instanceof LastHttpContent) {
            lastSent = true;
            bodySent = true;
        } else if (c.content().isReadable()) {
            bodySent = true;
        }
        uc.write(c, uc.voidPromise());
    }

    /** Detaches and closes the upstream connection of this exchange, if any. */
    private void dropUpstream() {
        UpstreamConn u = upstream;
        upstream = null;
        if (u != null) {
            u.owner = null;
            u.ch.close();
        }
    }

    /** The response cannot be completed: closing is the only honest signal left. */
    private void abortDownstream() {
        closing = true;
        down.flush();
        down.close();
    }

    // =====================================================================================
    // Upgrades (WebSocket and friends): after 101 both connections become a byte tunnel.
    // =====================================================================================

    private void startTunnel(HttpResponse resp) {
        HttpHeaders h = resp.headers();
        HttpFilters.removeHopByHop(h, true);
        for (int i = 0, n = responseOps.size(); i < n; i++) {
            HttpFilters.apply(responseOps.get(i), h);
        }
        h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        setEncoderHead(false);
        ctx.writeAndFlush(resp, ctx.voidPromise());
        tunnel = true;
        recordResponse();
        UpstreamConn u = upstream;
        // Raw bytes from here on, both ways. The decoders hand what they still hold downstream.
        if (u.ch.pipeline().get(UpstreamPool.CODEC) != null) {
            u.ch.pipeline().remove(UpstreamPool.CODEC);
        }
        if (u.ch.pipeline().get("idle") != null) {
            u.ch.pipeline().remove("idle");
        }
        Object m;
        boolean garbage = false;
        while ((m = pending.poll()) != null) {
            ReferenceCountUtil.release(m);
            garbage = true;
        }
        if (garbage) {
            // The client sent bytes before the 101 that the HTTP decoder already consumed.
            abortDownstream();
            return;
        }
        ctx.pipeline().remove(encoder);
        ctx.pipeline().remove(HttpCodecs.StrictRequestDecoder.class);
        dp.allIdle(ctx.pipeline());
        resume(PAUSE_PIPELINE);
    }

    private void relayToUpstream(Object msg) {
        UpstreamConn u = upstream;
        if (!(msg instanceof ByteBuf) || u == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        u.ch.write(msg, u.ch.voidPromise());
        upstreamFlushPending = true;
        if (!u.ch.isWritable()) {
            pause(PAUSE_UPSTREAM_FULL);
        }
    }

    // =====================================================================================
    // Local responses and completion
    // =====================================================================================

    /** Answers the current request from the gateway (errors, redirects). */
    private void sendLocal(int code, String location) {
        sendLocal(code, location, false);
    }

    /** {@code preflight}: a CORS preflight answer (empty body, the CORS fields when the origin is allowed). */
    private void sendLocal(int code, String location, boolean preflight) {
        responseStarted = true;
        status = code;
        if (!requestDone && expectContinue) {
            closing = true; // the client may or may not send the body it announced: do not guess
        }
        if (dp.draining()) {
            closing = true;
        }
        HttpResponseStatus st = HttpResponseStatus.valueOf(code);
        ByteBuf body;
        int length;
        if (location != null || preflight) {
            body = io.netty.buffer.Unpooled.EMPTY_BUFFER;
            length = 0;
        } else {
            String text = code + " " + st.reasonPhrase() + "\n";
            length = text.length();
            body = head ? io.netty.buffer.Unpooled.EMPTY_BUFFER : ByteBufUtil.writeAscii(down.alloc(), text);
        }
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, st, body);
        HttpHeaders h = resp.headers();
        if (location != null) {
            h.set(HttpHeaderNames.LOCATION, location);
        } else if (!preflight) {
            h.set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN);
        }
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, length);
        for (int i = 0, n = responseOps.size(); i < n; i++) {
            HttpFilters.apply(responseOps.get(i), h);
        }
        if (cors != null) {
            if (preflight) {
                CorsFilter.preflight(cors, corsOrigin, request.headers(), h);
            } else {
                CorsFilter.actual(cors, corsOrigin, h);
            }
        }
        if (closing) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (clientVersion != HttpVersion.HTTP_1_1) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        bytesOut += body.readableBytes();
        recordResponse();
        setEncoderHead(head);
        lastWrite = down.writeAndFlush(resp);
        responseDone = true;
        if (!requestDone) {
            discardBody = true;
            releaseAll(buffered);
        }
        // Whatever the reason, the downstream may read again (the body is discarded or we close).
        resume(PAUSE_CONNECT);
        resume(PAUSE_UPSTREAM_FULL);
        maybeFinish();
    }

    private void maybeFinish() {
        if (!active || !responseDone) {
            return;
        }
        if (requestDone || closing) {
            finishExchange();
        }
    }

    private void finishExchange() {
        endExchange();
        if (closing) {
            ChannelFuture lw = lastWrite;
            lastWrite = null;
            down.closeAfter(lw);
            return;
        }
        lastWrite = null;
        drainPending();
    }

    private void endExchange() {
        active = false;
        cancelTimeout();
        cancelRetryTimer();
        releaseAll(replay);
        replayBytes = 0;
        if (pendingConnect != null) {
            pendingConnect = null;
        }
        UpstreamConn u = upstream;
        if (u != null && !tunnel) {
            upstream = null;
            u.owner = null;
            u.ch.close();
        }
        for (int i = 0, n = mirrors.size(); i < n; i++) {
            MirrorExchange m = mirrors.get(i);
            if (!m.finishedSending()) {
                m.abandon(); // the client went away before the whole body arrived
            }
        }
        mirrors.clear();
        request = null;
        state = null;
        view.clear();
        responseOps.clear();
        releaseAll(buffered);
        pauseFlags &= ~(PAUSE_CONNECT | PAUSE_UPSTREAM_FULL);
        applyRead();
    }

    /** Runs queued pipelined requests now that the previous one is answered. */
    private void drainPending() {
        if (inDrain) {
            return;
        }
        inDrain = true;
        deferFlush = true;
        try {
            // Body pieces of the exchange in flight go on; a new head waits until it is answered.
            while (!closing && !pending.isEmpty()) {
                if (active && pending.peek() instanceof HttpRequest) {
                    break;
                }
                dispatch(pending.poll());
            }
            if (pending.isEmpty() || closing) {
                resume(PAUSE_PIPELINE);
            }
        } finally {
            inDrain = false;
            deferFlush = false;
        }
        // Bodies dispatched from the queue were written outside a read: flush them now.
        onReadComplete();
    }

    private void recordResponse() {
        long now = System.nanoTime();
        long nanos = now - startNanos;
        String listener = listenerLabel == null ? "" : listenerLabel;
        String route = routeLabel == null ? "" : routeLabel;
        String backend = backendLabel == null ? "" : backendLabel;
        // The labels are the snapshot's own strings: a connection's requests mostly hit the same
        // series, so the last one is kept and the loop's maps are consulted only when a label changed.
        LoopMetrics.RequestSeries rs = lastRequestSeries;
        if (rs == null || lastListener != listener || lastRoute != route || lastBackend != backend) {
            lastListenerSeries = loop.metrics.listener(listener);
            rs = lastRequestSeries = loop.metrics.request(listener, route, backend);
            lastListener = listener;
            lastRoute = route;
            lastBackend = backend;
        }
        lastListenerSeries.status(status);
        rs.record(nanos);
        if (upstreamAnswered) {
            rs.recordUpstream(now - upstreamSentNanos);
        }
        AccessLog log = dp.accessLog();
        if (log != null) {
            log.offer(new AccessLog.Entry(System.currentTimeMillis(), clientIp(), method == null ? "-" : method,
                    originalUri, encoder == null ? "HTTP/2.0" : clientVersion == null ? "-" : clientVersion.text(), view.host(), status, bytesOut,
                    nanos, listenerLabel, routeLabel, backendLabel, endpoint == null ? null : endpoint.toString()));
        }
    }

    // =====================================================================================
    // Helpers
    // =====================================================================================

    private void setEncoderHead(boolean h) {
        HttpCodecs.ResponseEncoder e = encoder;
        if (e != null) {
            e.head = h;
        }
    }

    private void pause(int flag) {
        if ((pauseFlags & flag) == 0) {
            pauseFlags |= flag;
            applyRead();
        }
    }

    private void resume(int flag) {
        if ((pauseFlags & flag) != 0) {
            pauseFlags &= ~flag;
            applyRead();
        }
    }

    private void applyRead() {
        Downstream d = down;
        if (d != null) {
            d.setReading(pauseFlags == 0);
        }
    }

    private String clientIp() {
        String ip = clientIp;
        if (ip == null) {
            SocketAddress sa = down.remoteAddress();
            ip = sa instanceof InetSocketAddress isa ? isa.getAddress().getHostAddress() : "unknown";
            clientIp = ip;
        }
        return ip;
    }

    private static void releaseAll(ArrayDeque<HttpContent> q) {
        HttpContent c;
        while ((c = q.poll()) != null) {
            c.release();
        }
    }

    /** Request header preparation shared with tests. */
    static final class FiltersAndHeaders {
        private FiltersAndHeaders() {
        }

        /**
         * Removes hop-by-hop fields and sets the forwarding fields. Returns whether the request is a
         * protocol upgrade (its {@code Upgrade} field is then kept).
         */
        static boolean prepareRequestHeaders(HttpHeaders h, String clientIp, boolean secure, String originalHost) {
            boolean upgrade = HttpFilters.isUpgradeRequest(h);
            HttpFilters.removeHopByHop(h, upgrade);
            String xff = h.get(HttpFilters.X_FORWARDED_FOR);
            if (xff == null) {
                h.set(HttpFilters.X_FORWARDED_FOR, clientIp);
            } else {
                List<String> all = h.getAll(HttpFilters.X_FORWARDED_FOR);
                String joined = all.size() == 1 ? xff : String.join(", ", all);
                h.set(HttpFilters.X_FORWARDED_FOR, joined + ", " + clientIp);
            }
            h.set(HttpFilters.X_FORWARDED_PROTO, secure ? HttpFilters.HTTPS : HttpFilters.HTTP);
            if (originalHost != null) {
                h.set(HttpFilters.X_FORWARDED_HOST, originalHost);
            }
            return upgrade;
        }
    }
}
