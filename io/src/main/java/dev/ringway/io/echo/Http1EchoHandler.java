package dev.ringway.io.echo;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.x side of the echo server. Placed after an {@link io.netty.handler.codec.http.HttpServerCodec} and a
 * {@link FlowControlHandler}, with auto-read off, it takes one request at a time: it asks for more input
 * ({@code read()} on every read-complete) only while no response is pending, and once more after each response
 * is written, so pipelined requests are answered in order and a delayed response holds back the ones behind it.
 * Request bodies of any size are read and dropped (an urlencoded form body is kept, up to 10 MiB like Go, for
 * {@code delay}).
 */
final class Http1EchoHandler extends ChannelInboundHandlerAdapter {
    /** Which listener the connection belongs to. */
    enum Listener {
        /** Plain HTTP and HTTPS: endpoint routing. */
        ROUTED,
        /** h2c listener, HTTP/1.x requests that were not upgraded. */
        H2C
    }

    private static final int MAX_FORM_BODY = 10 << 20;
    private static final int MAX_WEBSOCKET_FRAME = 16 << 20;

    private final HttpEchoService service;
    private final Listener listener;
    private HttpRequest request;
    /** A request has been dispatched and its response is not written yet: read nothing more. */
    private boolean responding;
    /** Form body collected so far (one char per byte), or null when the body is dropped. */
    private StringBuilder formBody;

    Http1EchoHandler(HttpEchoService service, Listener listener) {
        this.service = service;
        this.listener = listener;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(false);
        if (ctx.channel().isActive()) {
            ctx.read();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest head && !begin(ctx, head)) {
                return;
            }
            if (msg instanceof HttpContent content && request != null) {
                if (content.decoderResult().isFailure()) {
                    reject(ctx, 400, "400 Bad Request");
                    return;
                }
                if (formBody != null) {
                    if (formBody.length() + content.content().readableBytes() > MAX_FORM_BODY) {
                        formBody = null;
                    } else {
                        formBody.append(content.content().toString(StandardCharsets.ISO_8859_1));
                    }
                }
                if (content instanceof LastHttpContent) {
                    dispatch(ctx);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!responding && ctx.channel().isActive()) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    /** Starts a request; false when it was answered (and the connection is being closed) right away. */
    private boolean begin(ChannelHandlerContext ctx, HttpRequest head) {
        if (head.decoderResult().isFailure()) {
            reject(ctx, 400, "400 Bad Request");
            return false;
        }
        int hosts = head.headers().getAll(HttpHeaderNames.HOST).size();
        if (hosts == 0 && head.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            reject(ctx, 400, "400 Bad Request: missing required Host header");
            return false;
        }
        if (hosts > 1) {
            reject(ctx, 400, "400 Bad Request: too many Host headers");
            return false;
        }
        String expect = head.headers().get(HttpHeaderNames.EXPECT);
        if (expect != null && !expect.isEmpty() && !(head.protocolVersion().equals(HttpVersion.HTTP_1_1)
                && expect.equalsIgnoreCase(HttpHeaderValues.CONTINUE.toString()))) {
            reject(ctx, 417, "417 Expectation Failed");
            return false;
        }
        if (expect != null && !expect.isEmpty()) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER));
        }
        request = head;
        formBody = EchoRequest.hasFormBody(head.method().name(), head.headers().get(HttpHeaderNames.CONTENT_TYPE))
                ? new StringBuilder()
                : null;
        return true;
    }

    private void dispatch(ChannelHandlerContext ctx) {
        HttpRequest head = request;
        request = null;
        responding = true;
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (Map.Entry<String, String> h : head.headers()) {
            if (!h.getKey().equalsIgnoreCase("Host") && !h.getKey().equalsIgnoreCase("Transfer-Encoding")) {
                headers.add(Map.entry(h.getKey(), h.getValue()));
            }
        }
        EchoRequest echoRequest = new EchoRequest(
                head.method().name(),
                head.uri(),
                head.headers().get(HttpHeaderNames.HOST, ""),
                head.protocolVersion().text(),
                headers,
                Connections.remoteAddress(ctx.channel()),
                TlsInfo.of(ctx.channel()),
                Optional.ofNullable(formBody).map(StringBuilder::toString));
        formBody = null;
        Reply reply = switch (listener) {
            case ROUTED -> service.route(echoRequest);
            case H2C -> service.h2cListenerHttp1(echoRequest);
        };
        carryOut(ctx, head, reply);
    }

    private void carryOut(ChannelHandlerContext ctx, HttpRequest head, Reply reply) {
        switch (reply) {
            case Reply.Respond respond -> respond(ctx, head, respond);
            case Reply.Delayed delayed -> ctx.executor().schedule(() -> {
                if (ctx.channel().isActive()) {
                    carryOut(ctx, head, delayed.then());
                }
            }, delayed.delay().toNanos(), TimeUnit.NANOSECONDS);
            case Reply.Reset reset -> Connections.reset(ctx.channel());
            case Reply.WebSocket webSocket -> upgradeToWebSocket(ctx, head);
        }
    }

    private void respond(ChannelHandlerContext ctx, HttpRequest head, Reply.Respond respond) {
        boolean keepAlive = HttpUtil.isKeepAlive(head);
        boolean bodyAllowed = respond.status() != 204 && respond.status() != 304;
        boolean isHead = head.method().equals(HttpMethod.HEAD);
        FullHttpResponse response = new DefaultFullHttpResponse(
                head.protocolVersion(),
                HttpResponseStatus.valueOf(respond.status()),
                bodyAllowed && !isHead ? Unpooled.wrappedBuffer(respond.body()) : Unpooled.EMPTY_BUFFER);
        for (Map.Entry<String, String> h : respond.headers()) {
            response.headers().add(h.getKey(), h.getValue());
        }
        if (bodyAllowed) {
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, respond.body().length);
        }
        HttpUtil.setKeepAlive(response, keepAlive);
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess() || !keepAlive) {
                f.channel().close();
            } else {
                responding = false;
                ctx.read();
            }
        });
    }

    /** Answers and closes the connection. */
    private void reject(ChannelHandlerContext ctx, int status, String message) {
        responding = true;
        request = null;
        formBody = null;
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.copiedBuffer(message, StandardCharsets.UTF_8));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * {@code /ws} (ECHO.md section 3): a GET with {@code Connection: upgrade} and {@code Upgrade: websocket} and an
     * {@code Origin} header becomes a WebSocket that echoes frames; without the upgrade headers 400, without
     * Origin 403 (as Go's {@code x/net/websocket} does).
     */
    private void upgradeToWebSocket(ChannelHandlerContext ctx, HttpRequest head) {
        boolean upgrade = head.method().equals(HttpMethod.GET)
                && head.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && head.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
        if (!upgrade) {
            respond(ctx, head, HttpEchoService.plainText(400, "Bad Request"));
            return;
        }
        if (!head.headers().contains(HttpHeaderNames.ORIGIN)) {
            respond(ctx, head, HttpEchoService.plainText(403, "Forbidden"));
            return;
        }
        DefaultFullHttpRequest full = new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(),
                Unpooled.EMPTY_BUFFER, head.headers(), EmptyHttpHeaders.INSTANCE);
        String scheme = TlsInfo.of(ctx.channel()).isPresent() ? "wss://" : "ws://";
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                scheme + head.headers().get(HttpHeaderNames.HOST, "") + head.uri(), null,
                WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(MAX_WEBSOCKET_FRAME).build())
                .newHandshaker(full);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        var channel = ctx.channel();
        var pipeline = ctx.pipeline();
        pipeline.addAfter(ctx.name(), null, new WebSocketEchoHandler());
        pipeline.remove(this);
        if (pipeline.get(FlowControlHandler.class) != null) {
            pipeline.remove(FlowControlHandler.class);
        }
        handshaker.handshake(channel, full).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                channel.config().setAutoRead(true);
            } else {
                channel.close();
            }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof CleartextHttp2ServerUpgradeHandler.PriorKnowledgeUpgradeEvent) {
            HttpEchoServer.leaveHttp1(ctx.pipeline());
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
