package dev.ringway.io.echo;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/2 stream of the echo server (h2c listener, or HTTPS after ALPN {@code h2}). The request is answered
 * once its stream ends; the body is dropped except an urlencoded form (for {@code delay}).
 */
final class Http2EchoStreamHandler extends ChannelInboundHandlerAdapter {
    private static final int MAX_FORM_BODY = 10 << 20;
    /** Not allowed in HTTP/2 (RFC 9113 section 8.2.2); Go's server drops them when writing. */
    private static final Set<String> CONNECTION_SPECIFIC =
            Set.of("connection", "proxy-connection", "keep-alive", "transfer-encoding", "upgrade", "te");

    private final HttpEchoService service;
    /** HTTPS routes endpoints; the h2c listener echoes everything. */
    private final boolean routed;
    private Http2Headers requestHeaders;
    private StringBuilder formBody;

    Http2EchoStreamHandler(HttpEchoService service, boolean routed) {
        this.service = service;
        this.routed = routed;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            switch (msg) {
                case Http2HeadersFrame frame -> {
                    if (requestHeaders == null) {
                        requestHeaders = frame.headers();
                        CharSequence contentType = requestHeaders.get("content-type");
                        formBody = EchoRequest.hasFormBody(String.valueOf(requestHeaders.method()),
                                contentType == null ? null : contentType.toString()) ? new StringBuilder() : null;
                    }
                    if (frame.isEndStream()) {
                        dispatch(ctx);
                    }
                }
                case Http2DataFrame frame -> {
                    if (formBody != null) {
                        if (formBody.length() + frame.content().readableBytes() > MAX_FORM_BODY) {
                            formBody = null;
                        } else {
                            formBody.append(frame.content().toString(StandardCharsets.ISO_8859_1));
                        }
                    }
                    if (frame.isEndStream()) {
                        dispatch(ctx);
                    }
                }
                default -> {
                    // resets, window updates: nothing to answer
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void dispatch(ChannelHandlerContext ctx) {
        if (requestHeaders == null) {
            return;
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        String host = "";
        for (Map.Entry<CharSequence, CharSequence> h : requestHeaders) {
            String name = h.getKey().toString();
            if (name.equals("host")) {
                host = h.getValue().toString();
            } else if (!name.startsWith(":")) {
                headers.add(Map.entry(name, h.getValue().toString()));
            }
        }
        CharSequence authority = requestHeaders.authority();
        EchoRequest request = new EchoRequest(
                String.valueOf(requestHeaders.method()),
                String.valueOf(requestHeaders.path()),
                authority != null ? authority.toString() : host,
                "HTTP/2.0",
                headers,
                Connections.remoteAddress(ctx.channel()),
                TlsInfo.of(ctx.channel()),
                Optional.ofNullable(formBody).map(StringBuilder::toString));
        boolean isHead = "HEAD".contentEquals(requestHeaders.method());
        requestHeaders = null;
        formBody = null;
        carryOut(ctx, isHead, routed ? service.route(request) : service.echo(request));
    }

    private void carryOut(ChannelHandlerContext ctx, boolean isHead, Reply reply) {
        switch (reply) {
            case Reply.Respond respond -> respond(ctx, isHead, respond);
            case Reply.Delayed delayed -> ctx.executor().schedule(() -> {
                if (ctx.channel().isActive()) {
                    carryOut(ctx, isHead, delayed.then());
                }
            }, delayed.delay().toNanos(), TimeUnit.NANOSECONDS);
            case Reply.Reset reset -> Connections.reset(ctx.channel());
            // HTTP/2 has no upgrade; Go's websocket handshake fails the same way
            case Reply.WebSocket webSocket -> respond(ctx, isHead, HttpEchoService.plainText(400, "Bad Request"));
        }
    }

    private static void respond(ChannelHandlerContext ctx, boolean isHead, Reply.Respond respond) {
        Http2Headers headers = new DefaultHttp2Headers().status(Integer.toString(respond.status()));
        for (Map.Entry<String, String> h : respond.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!CONNECTION_SPECIFIC.contains(name)) {
                headers.add(name, h.getValue());
            }
        }
        boolean bodyAllowed = respond.status() != 204 && respond.status() != 304;
        if (bodyAllowed) {
            headers.setInt("content-length", respond.body().length);
        }
        boolean sendBody = bodyAllowed && !isHead && respond.body().length > 0;
        ctx.write(new DefaultHttp2HeadersFrame(headers, !sendBody));
        if (sendBody) {
            ctx.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(respond.body()), true));
        }
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
