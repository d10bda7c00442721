package dev.ringway.io;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.CharSequenceMap;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

import java.util.Iterator;
import java.util.Map;

/**
 * The bridge between HTTP/2 stream frames and Netty's HTTP/1 message objects, so that the proxy
 * handler (and the upstream side) speak one model whatever the wire protocol: a request or response
 * head becomes an {@link HttpRequest}/{@link HttpResponse}, DATA frames become {@link HttpContent},
 * the end of the stream a {@link LastHttpContent} (carrying trailers when a trailing HEADERS frame
 * ended it). Outbound, a head is held until the next write or flush so that a head followed by an
 * empty last content goes out as a single HEADERS frame with END_STREAM (gRPC's trailers-only
 * responses stay trailers-only; bodiless requests take one frame).
 *
 * <p>Connection-specific fields (RFC 9113 8.2.2) are never put into HTTP/2 headers; names are
 * lower-cased.
 */
final class H2Codecs {
    private H2Codecs() {
    }

    static final AsciiString TRAILERS = AsciiString.cached("trailers");

    /** Thrown for a request the HTTP/2 stream cannot carry as HTTP/1 (missing pseudo-headers, bad values). */
    static final class MalformedException extends Exception {
        MalformedException(String m) {
            super(m, null, false, false);
        }
    }

    // =====================================================================================
    // Head conversions
    // =====================================================================================

    /** A request head from HTTP/2 request headers; {@code :authority} becomes Host, cookies are joined. */
    static HttpRequest toRequest(Http2Headers h, boolean endStream) throws MalformedException {
        CharSequence method = h.method();
        if (method == null) {
            throw new MalformedException("no :method");
        }
        HttpMethod m;
        try {
            m = HttpMethod.valueOf(method.toString());
        } catch (IllegalArgumentException e) {
            throw new MalformedException("bad :method");
        }
        CharSequence authority = h.authority();
        String uri;
        if (m == HttpMethod.CONNECT) {
            uri = authority == null ? "" : authority.toString();
        } else {
            CharSequence path = h.path();
            if (path == null || path.isEmpty()) {
                throw new MalformedException("no :path");
            }
            uri = path.toString();
        }
        HttpRequest r;
        try {
            r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, m, uri);
            HttpHeaders out = r.headers();
            if (authority != null) {
                out.add(HttpHeaderNames.HOST, authority);
            }
            StringBuilder cookies = null;
            for (Map.Entry<CharSequence, CharSequence> e : h) {
                CharSequence name = e.getKey();
                if (name.isEmpty() || name.charAt(0) == ':') {
                    continue;
                }
                if (AsciiString.contentEquals(HttpHeaderNames.COOKIE, name)) {
                    if (cookies == null) {
                        cookies = new StringBuilder(e.getValue().length() + 16);
                    } else {
                        cookies.append("; ");
                    }
                    cookies.append(e.getValue());
                } else if (AsciiString.contentEquals(HttpHeaderNames.HOST, name)) {
                    if (authority == null) {
                        out.add(HttpHeaderNames.HOST, e.getValue());
                    } else if (!AsciiString.contentEqualsIgnoreCase(authority, e.getValue())) {
                        throw new MalformedException("host differs from :authority");
                    }
                } else {
                    out.add(name, e.getValue());
                }
            }
            if (cookies != null) {
                out.add(HttpHeaderNames.COOKIE, cookies.toString());
            }
            if (!endStream && !out.contains(HttpHeaderNames.CONTENT_LENGTH)) {
                out.add(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        } catch (IllegalArgumentException e) {
            throw new MalformedException("bad header: " + e.getMessage());
        }
        return r;
    }

    /** A response head from HTTP/2 response headers. */
    static HttpResponse toResponse(Http2Headers h) throws MalformedException {
        CharSequence status = h.status();
        if (status == null) {
            throw new MalformedException("no :status");
        }
        int code;
        try {
            code = AsciiString.of(status).parseInt();
        } catch (NumberFormatException e) {
            throw new MalformedException("bad :status");
        }
        if (code < 100 || code > 999) {
            throw new MalformedException("bad :status");
        }
        HttpResponse r;
        try {
            r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code));
            copyRegular(h, r.headers());
        } catch (IllegalArgumentException e) {
            throw new MalformedException("bad header: " + e.getMessage());
        }
        return r;
    }

    /** A body piece from a DATA frame's bytes: the last one when it ends the stream. */
    static HttpContent content(ByteBuf data, boolean endStream) {
        return endStream ? new DefaultLastHttpContent(data) : new DefaultHttpContent(data);
    }

    /** The end of a message carried by a trailing HEADERS frame (END_STREAM): its trailer fields. */
    static LastHttpContent trailers(Http2Headers h) {
        LastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
        copyRegular(h, last.trailingHeaders());
        return last;
    }

    /** Adds the non-pseudo fields of {@code h} to {@code out} (trailers, response fields). */
    static void copyRegular(Http2Headers h, HttpHeaders out) {
        for (Map.Entry<CharSequence, CharSequence> e : h) {
            CharSequence name = e.getKey();
            if (!name.isEmpty() && name.charAt(0) != ':') {
                out.add(name, e.getValue());
            }
        }
    }

    /** HTTP/2 response headers: {@code :status} and the fields, connection-specific ones left out. */
    static Http2Headers fromResponse(HttpResponse r) {
        Http2Headers out = new DefaultHttp2Headers(false, r.headers().size() + 1);
        out.status(r.status().codeAsText());
        copyFields(r.headers(), out);
        return out;
    }

    /**
     * HTTP/2 request headers: {@code :method}, {@code :scheme}, {@code :authority} (from Host) and
     * {@code :path} (the origin-form target), then the fields ({@code te} only as {@code trailers}).
     */
    static Http2Headers fromRequest(HttpRequest r, AsciiString scheme) {
        HttpHeaders h = r.headers();
        Http2Headers out = new DefaultHttp2Headers(false, h.size() + 4);
        out.method(r.method().asciiName());
        out.scheme(scheme);
        String host = h.get(HttpHeaderNames.HOST);
        if (host != null) {
            out.authority(host);
        }
        out.path(r.uri());
        copyFields(h, out);
        return out;
    }

    /** Trailer fields as HTTP/2 headers. */
    static Http2Headers fromTrailers(HttpHeaders t) {
        Http2Headers out = new DefaultHttp2Headers(false, t.size());
        copyFields(t, out);
        return out;
    }

    /** Lower-case constants for the field names most answers carry (looked up case-insensitively, no allocation). */
    private static final CharSequenceMap<AsciiString> KNOWN = new CharSequenceMap<>(false);

    static {
        for (AsciiString n : new AsciiString[]{HttpHeaderNames.CONTENT_TYPE, HttpHeaderNames.CONTENT_LENGTH,
                HttpHeaderNames.DATE, HttpHeaderNames.SERVER, HttpHeaderNames.CONNECTION, HttpHeaderNames.CACHE_CONTROL,
                HttpHeaderNames.LAST_MODIFIED, HttpHeaderNames.ETAG, HttpHeaderNames.ACCEPT_RANGES, HttpHeaderNames.VARY,
                HttpHeaderNames.EXPIRES, HttpHeaderNames.CONTENT_ENCODING, HttpHeaderNames.LOCATION, HttpHeaderNames.SET_COOKIE,
                HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.CONTENT_LANGUAGE,
                HttpHeaderNames.ACCEPT, HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderNames.ACCEPT_LANGUAGE,
                HttpHeaderNames.USER_AGENT, HttpHeaderNames.COOKIE, HttpHeaderNames.AUTHORIZATION, HttpHeaderNames.HOST,
                HttpHeaderNames.TE, HttpHeaderNames.UPGRADE, HttpHeaderNames.ORIGIN, HttpHeaderNames.REFERER,
                HttpFilters.X_FORWARDED_FOR, HttpFilters.X_FORWARDED_PROTO, HttpFilters.X_FORWARDED_HOST,
                AsciiString.cached("x-content-type-options"), AsciiString.cached("strict-transport-security"),
                AsciiString.cached("grpc-status"), AsciiString.cached("grpc-message"), AsciiString.cached("grpc-encoding"),
                AsciiString.cached("grpc-accept-encoding"), AsciiString.cached("x-request-id")}) {
            KNOWN.add(n, n);
        }
    }

    /** The lower-case form of a field name (a shared constant for common ones). */
    static AsciiString lowerName(CharSequence name) {
        AsciiString known = KNOWN.get(name);
        return known != null ? known : AsciiString.of(name).toLowerCase();
    }

    private static void copyFields(HttpHeaders in, Http2Headers out) {
        Iterator<Map.Entry<CharSequence, CharSequence>> it = in.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            AsciiString name = lowerName(e.getKey());
            if (isConnectionSpecific(name)) {
                // RFC 9113 8.2.2: TE may appear, with "trailers" only.
                if (name.length() == 2 && AsciiString.containsIgnoreCase(e.getValue(), TRAILERS)) {
                    out.set(HttpHeaderNames.TE, TRAILERS);
                }
                continue;
            }
            out.add(name, e.getValue());
        }
    }

    /** RFC 9113 8.2.2: fields that must not appear in HTTP/2 (and Host, carried as :authority). */
    static boolean isConnectionSpecific(AsciiString lowerName) {
        switch (lowerName.length()) {
            case 2:
                return lowerName.contentEquals(HttpHeaderNames.TE);
            case 4:
                return lowerName.contentEquals(HttpHeaderNames.HOST);
            case 7:
                return lowerName.contentEquals(HttpHeaderNames.UPGRADE);
            case 10:
                return lowerName.contentEquals(HttpHeaderNames.CONNECTION) || lowerName.contentEquals(HttpHeaderNames.KEEP_ALIVE);
            case 16:
                return lowerName.contentEquals(HttpFilters.PROXY_CONNECTION);
            case 17:
                return lowerName.contentEquals(HttpHeaderNames.TRANSFER_ENCODING);
            default:
                return false;
        }
    }

    // =====================================================================================
    // Outbound: HTTP messages to frames
    // =====================================================================================

    /**
     * HTTP message objects out as HTTP/2 frames, for a client stream ({@link H2Server.Stream}) and
     * an upstream one ({@link ClientStreamCodec}). A head is held until the next write or flush, so
     * that a head followed by an empty last content goes out as a single HEADERS frame with
     * END_STREAM (gRPC's trailers-only responses stay trailers-only; bodiless requests take one
     * frame). A 1xx response is a HEADERS frame of its own. Promises may be null: nobody waits.
     */
    abstract static class FrameOut {
        private Http2Headers pendingHead;
        private ChannelPromise pendingPromise;
        /** A 1xx response went out: the empty last content the HTTP/1 model writes after it is dropped. */
        private boolean skipEmptyLast;

        /** The HTTP/2 headers for an outbound head. */
        abstract Http2Headers outboundHead(HttpMessage m);

        abstract void headers(Http2Headers h, boolean endStream, ChannelPromise promise);

        abstract void data(ByteBuf b, boolean endStream, ChannelPromise promise);

        /** Writes {@code msg} as frames; false when it is not an HTTP message (left to the caller). */
        final boolean writeMessage(Object msg, ChannelPromise promise) {
            if (msg instanceof HttpMessage m) {
                writeHead(m, promise);
                return true;
            }
            if (msg instanceof HttpContent c) {
                writeContent(c, promise);
                return true;
            }
            return false;
        }

        private void writeHead(HttpMessage m, ChannelPromise promise) {
            flushPendingHead();
            Http2Headers h = outboundHead(m);
            if (m instanceof HttpResponse r && r.status().code() < 200) {
                // An interim response: its own HEADERS frame, never the end of the stream.
                ReferenceCountUtil.release(m);
                headers(h, false, promise);
                skipEmptyLast = true;
                return;
            }
            if (m instanceof FullHttpMessage full) {
                ByteBuf body = full.content();
                HttpHeaders trailers = full.trailingHeaders();
                if (!body.isReadable() && trailers.isEmpty()) {
                    body.release();
                    headers(h, true, promise);
                    return;
                }
                headers(h, false, null);
                writeLast(body, trailers, promise);
                return;
            }
            ReferenceCountUtil.release(m);
            pendingHead = h;
            pendingPromise = promise;
        }

        private void writeContent(HttpContent c, ChannelPromise promise) {
            if (c instanceof LastHttpContent last) {
                boolean empty = !last.content().isReadable() && last.trailingHeaders().isEmpty();
                if (skipEmptyLast && pendingHead == null) {
                    skipEmptyLast = false;
                    if (empty) {
                        last.release();
                        succeed(promise);
                        return;
                    }
                }
                Http2Headers head = pendingHead;
                if (head != null) {
                    pendingHead = null;
                    ChannelPromise hp = pendingPromise;
                    pendingPromise = null;
                    if (empty) {
                        last.release();
                        // Head and end of stream in one frame; both writes' promises follow it.
                        headers(head, true, combine(promise, hp));
                        return;
                    }
                    headers(head, false, hp);
                }
                writeLast(last.content(), last.trailingHeaders(), promise);
                return;
            }
            skipEmptyLast = false;
            flushPendingHead();
            ByteBuf b = c.content();
            if (!b.isReadable()) {
                b.release();
                succeed(promise);
                return;
            }
            data(b, false, promise);
        }

        private void writeLast(ByteBuf body, HttpHeaders trailers, ChannelPromise promise) {
            if (trailers.isEmpty()) {
                data(body, true, promise);
                return;
            }
            if (body.isReadable()) {
                data(body, false, null);
            } else {
                body.release();
            }
            headers(fromTrailers(trailers), true, promise);
        }

        /** Writes a held head (before a flush, or before anything else goes out). */
        final void flushPendingHead() {
            Http2Headers head = pendingHead;
            if (head != null) {
                pendingHead = null;
                ChannelPromise p = pendingPromise;
                pendingPromise = null;
                headers(head, false, p);
            }
        }

        /** Drops a held head: the stream is gone. */
        final void dropPendingHead(String why) {
            pendingHead = null;
            ChannelPromise p = pendingPromise;
            pendingPromise = null;
            if (p != null) {
                p.tryFailure(new IllegalStateException(why));
            }
        }

        static void succeed(ChannelPromise p) {
            if (p != null) {
                p.trySuccess();
            }
        }

        /** One promise standing for two writes that became one frame. */
        private static ChannelPromise combine(ChannelPromise a, ChannelPromise b) {
            if (b == null) {
                return a;
            }
            if (a == null) {
                return b;
            }
            a.addListener(f -> {
                if (f.isSuccess()) {
                    b.trySuccess();
                } else {
                    b.tryFailure(f.cause());
                }
            });
            return a;
        }
    }

    /**
     * The codec of an upstream stream (opened by us toward an HTTP/2 backend): requests out,
     * responses in. A RST_STREAM(REFUSED_STREAM) or a GOAWAY that leaves this stream out marks the
     * exchange as not processed by the server (safe to retry).
     */
    static final class ClientStreamCodec extends ChannelDuplexHandler {
        private final AsciiString scheme;
        private final UpstreamConn conn;
        /** Whether the response head was read (what follows is body or trailers). */
        private boolean headRead;
        private ChannelHandlerContext ctx;
        private final FrameOut out = new FrameOut() {
            @Override
            Http2Headers outboundHead(HttpMessage m) {
                return fromRequest((HttpRequest) m, scheme);
            }

            @Override
            void headers(Http2Headers h, boolean endStream, ChannelPromise promise) {
                ctx.write(new DefaultHttp2HeadersFrame(h, endStream), promise == null ? ctx.voidPromise() : promise);
            }

            @Override
            void data(ByteBuf b, boolean endStream, ChannelPromise promise) {
                ctx.write(new DefaultHttp2DataFrame(b, endStream), promise == null ? ctx.voidPromise() : promise);
            }
        };

        ClientStreamCodec(AsciiString scheme, UpstreamConn conn) {
            this.scheme = scheme;
            this.conn = conn;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            out.dropPendingHead("stream codec removed");
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (!out.writeMessage(msg, promise.isVoid() ? null : promise)) {
                ctx.write(msg, promise);
            }
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            out.flushPendingHead();
            ctx.flush();
        }

        /** Answers a malformed message on this stream with RST_STREAM(PROTOCOL_ERROR). */
        private static void reset(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.PROTOCOL_ERROR));
            ctx.close();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2HeadersFrame hf) {
                if (!headRead) {
                    HttpResponse r;
                    try {
                        r = toResponse(hf.headers());
                    } catch (MalformedException e) {
                        reset(ctx);
                        return;
                    }
                    int code = r.status().code();
                    if (code == 101) {
                        reset(ctx); // no upgrades in HTTP/2
                        return;
                    }
                    ctx.fireChannelRead(r);
                    if (code < 200) {
                        // Interim: the HTTP/1 model ends it with an empty last content.
                        ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
                        return;
                    }
                    headRead = true;
                    if (hf.isEndStream()) {
                        ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
                    }
                } else if (hf.isEndStream()) {
                    ctx.fireChannelRead(trailers(hf.headers()));
                } else {
                    reset(ctx);
                }
                return;
            }
            if (msg instanceof Http2DataFrame d) {
                if (!headRead) {
                    d.release();
                    reset(ctx);
                    return;
                }
                ctx.fireChannelRead(content(d.content(), d.isEndStream()));
                return;
            }
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof io.netty.handler.codec.http2.Http2ResetFrame rst) {
                // The multiplexer delivers RST_STREAM as an event; the stream channel closes after it.
                if (rst.errorCode() == Http2Error.REFUSED_STREAM.code() && !headRead) {
                    conn.refused = true;
                }
                return;
            }
            if (evt instanceof io.netty.handler.codec.http2.Http2GoAwayFrame g) {
                // Only streams above the GOAWAY's last stream id get it: not processed by the server.
                if (!headRead) {
                    conn.refused = true;
                }
                g.release();
                return;
            }
            super.userEventTriggered(ctx, evt);
        }
    }
}
