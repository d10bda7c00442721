package dev.ringway.io;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small HTTP/1.1 backend for socket tests (NIO, its own event loop). Paths:
 * default: echo ({@code server=}, {@code method=}, {@code uri=}, {@code bytes=} and {@code h:name=value}
 * lines, repeated values joined by {@code ,}); {@code /download?size=N[&chunked]} streams N bytes;
 * {@code /status/N}; {@code /reset} closes without answering; {@code /hang} never answers;
 * {@code /close} answers with {@code Connection: close}; {@code /eof} answers close-delimited;
 * {@code /trailers} answers chunked with trailers ({@code grpc-status: 0}); {@code /truncate} promises
 * 100 bytes, sends 10 and closes; {@code /delay?ms=N} echoes after N ms.
 * The response headers named in {@code x-echo-set-header: Name:value,Name:value} are added.
 */
final class TestBackend implements AutoCloseable {
    final String name;
    final int port;
    final AtomicInteger accepts = new AtomicInteger();
    /** Connections closed (by either side). */
    final AtomicInteger closes = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicLong bodyBytes = new AtomicLong();
    final AtomicLong bytesSent = new AtomicLong();
    /** Attempts seen per uuid by the {@code /retry/} simulator. */
    final java.util.concurrent.ConcurrentHashMap<String, AtomicInteger> retryCounts = new java.util.concurrent.ConcurrentHashMap<>();
    private final EventLoopGroup group;
    private final Channel server;

    TestBackend(String name) throws InterruptedException {
        this(name, null);
    }

    /**
     * With {@code ssl}, an HTTPS backend: the echo adds {@code sni=} (the server name the client
     * sent) and {@code clientcert=} (the subject of the client certificate, or {@code none}).
     */
    TestBackend(String name, io.netty.handler.ssl.SslContext ssl) throws InterruptedException {
        this.name = name;
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        accepts.incrementAndGet();
                        ch.closeFuture().addListener(f -> closes.incrementAndGet());
                        if (ssl != null) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(8192, 65536, 65536), new Handler());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        this.port = ((java.net.InetSocketAddress) server.localAddress()).getPort();
    }

    private final class Handler extends ChannelInboundHandlerAdapter {
        HttpRequest req;
        long bytes;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest r) {
                req = r;
                bytes = 0;
                requests.incrementAndGet();
                String path = new QueryStringDecoder(r.uri()).path();
                if (path.equals("/reset")) {
                    ctx.close();
                    return;
                }
                if (path.equals("/upgrade") && r.headers().contains("upgrade")) {
                    // 101, then a raw byte echo on this connection.
                    HttpResponse up = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
                    up.headers().set(HttpHeaderNames.UPGRADE, r.headers().get("upgrade"));
                    up.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
                    ctx.writeAndFlush(up);
                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                    ctx.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext c, Object m) {
                            if (m instanceof ByteBuf b) {
                                c.writeAndFlush(b);
                            } else {
                                io.netty.util.ReferenceCountUtil.release(m);
                            }
                        }
                    });
                    ctx.pipeline().remove(HttpServerCodec.class);
                    ctx.pipeline().remove(this);
                    return;
                }
            }
            if (msg instanceof HttpContent c) {
                int n = c.content().readableBytes();
                bytes += n;
                bodyBytes.addAndGet(n);
                boolean last = c instanceof LastHttpContent;
                c.release();
                if (last && req != null) {
                    respond(ctx, req, bytes);
                    req = null;
                }
            }
        }

        private void respond(ChannelHandlerContext ctx, HttpRequest r, long bytes) {
            QueryStringDecoder q = new QueryStringDecoder(r.uri());
            String path = q.path();
            if (path.endsWith("/hang")) {
                return;
            }
            if (path.equals("/delay")) {
                long ms = Long.parseLong(q.parameters().get("ms").getFirst());
                HttpRequest copy = new io.netty.handler.codec.http.DefaultHttpRequest(r.protocolVersion(), r.method(), "/delayed" + r.uri().substring(6), r.headers());
                ctx.executor().schedule(() -> respond(ctx, copy, bytes), ms, java.util.concurrent.TimeUnit.MILLISECONDS);
                return;
            }
            if (path.startsWith("/retry/")) {
                // The conformance echo's retry simulator (ECHO.md 3): per uuid, the first succeedAfter
                // attempts fail with responseCode (or a TCP reset without it; or never answer with
                // hang), then it echoes.
                String uuid = q.parameters().get("uuid").getFirst();
                int succeedAfter = Integer.parseInt(q.parameters().get("succeedAfter").getFirst());
                int n = retryCounts.computeIfAbsent(uuid, k -> new AtomicInteger()).incrementAndGet();
                if (n <= succeedAfter) {
                    if (q.parameters().containsKey("hang")) {
                        return;
                    }
                    java.util.List<String> rc = q.parameters().get("responseCode");
                    if (rc == null) {
                        ((io.netty.channel.socket.SocketChannel) ctx.channel()).config().setSoLinger(0);
                        ctx.close();
                        return;
                    }
                    FullHttpResponse fail = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                            HttpResponseStatus.valueOf(Integer.parseInt(rc.getFirst())));
                    HttpUtil.setContentLength(fail, 0);
                    ctx.writeAndFlush(fail);
                    return;
                }
            }
            if (path.equals("/trailers")) {
                // Chunked body, then trailers (as a gRPC-over-HTTP/1 bridge would send them).
                HttpResponse resp = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                HttpUtil.setTransferEncodingChunked(resp, true);
                resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/grpc");
                ctx.write(resp);
                ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer("body-bytes", StandardCharsets.US_ASCII)));
                io.netty.handler.codec.http.DefaultLastHttpContent last = new io.netty.handler.codec.http.DefaultLastHttpContent();
                last.trailingHeaders().set("grpc-status", "0").set("grpc-message", "fine");
                ctx.writeAndFlush(last);
                return;
            }
            if (path.equals("/truncate")) {
                // Promises 100 bytes, sends 10, closes.
                HttpResponse resp = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                HttpUtil.setContentLength(resp, 100);
                ctx.write(resp);
                ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer("0123456789", StandardCharsets.US_ASCII)))
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
            if (path.equals("/download")) {
                long size = Long.parseLong(q.parameters().get("size").getFirst());
                boolean chunked = q.parameters().containsKey("chunked");
                HttpResponse resp = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                if (chunked) {
                    HttpUtil.setTransferEncodingChunked(resp, true);
                } else {
                    HttpUtil.setContentLength(resp, size);
                }
                ctx.writeAndFlush(resp);
                new Streamer(ctx, size, bytesSent).run();
                return;
            }
            int status = 200;
            if (path.startsWith("/status/")) {
                status = Integer.parseInt(path.substring(8));
            }
            StringBuilder sb = new StringBuilder();
            sb.append("server=").append(name).append('\n');
            sb.append("method=").append(r.method()).append('\n');
            sb.append("uri=").append(r.uri()).append('\n');
            sb.append("version=").append(r.protocolVersion()).append('\n');
            sb.append("bytes=").append(bytes).append('\n');
            io.netty.handler.ssl.SslHandler tls = ctx.pipeline().get(io.netty.handler.ssl.SslHandler.class);
            if (tls != null) {
                javax.net.ssl.SSLSession session = tls.engine().getSession();
                String sni = "";
                if (session instanceof javax.net.ssl.ExtendedSSLSession es) {
                    for (javax.net.ssl.SNIServerName n : es.getRequestedServerNames()) {
                        if (n instanceof javax.net.ssl.SNIHostName h) {
                            sni = h.getAsciiName();
                        }
                    }
                }
                sb.append("sni=").append(sni).append('\n');
                String peer = "none";
                try {
                    peer = ((java.security.cert.X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName();
                } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                    // no client certificate
                }
                sb.append("clientcert=").append(peer).append('\n');
            }
            Map<String, String> hs = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : r.headers()) {
                hs.merge(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue(), (a, b) -> a + "," + b);
            }
            hs.forEach((k, v) -> sb.append("h:").append(k).append('=').append(v).append('\n'));
            ByteBuf body = Unpooled.copiedBuffer(sb, StandardCharsets.UTF_8);
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), body);
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            String set = r.headers().get("x-echo-set-header");
            if (set != null && !set.isEmpty()) {
                for (String kv : set.split(",")) {
                    int c = kv.indexOf(':');
                    resp.headers().add(kv.substring(0, c).trim(), kv.substring(c + 1).trim());
                }
            }
            boolean close = path.equals("/close");
            boolean eof = path.equals("/eof");
            if (!eof) {
                HttpUtil.setContentLength(resp, body.readableBytes());
            }
            if (close || eof) {
                resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.writeAndFlush(resp);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Writes {@code size} bytes in 16 KiB pieces, respecting the channel's writability. */
    private static final byte[] PATTERN = "abcdefgh".repeat(2048).getBytes(StandardCharsets.US_ASCII);

    private static final class Streamer implements Runnable {
        final ChannelHandlerContext ctx;
        final AtomicLong sent;
        long left;

        Streamer(ChannelHandlerContext ctx, long size, AtomicLong sent) {
            this.ctx = ctx;
            this.left = size;
            this.sent = sent;
        }

        @Override
        public void run() {
            Channel ch = ctx.channel();
            while (left > 0 && ch.isActive()) {
                int n = (int) Math.min(16384, left);
                ByteBuf b = ctx.alloc().buffer(n);
                b.writeBytes(PATTERN, 0, n);
                left -= n;
                sent.addAndGet(n);
                if (left == 0) {
                    ctx.write(new DefaultHttpContent(b));
                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                    return;
                }
                ctx.write(new DefaultHttpContent(b));
                if (!ch.isWritable()) {
                    ctx.flush();
                    if (ch.isWritable()) {
                        continue;
                    }
                    // Resume when the proxy reads again.
                    ctx.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelWritabilityChanged(ChannelHandlerContext c) {
                            if (c.channel().isWritable()) {
                                c.pipeline().remove(this);
                                Streamer.this.run();
                            }
                            c.fireChannelWritabilityChanged();
                        }
                    });
                    return;
                }
            }
            ctx.flush();
        }
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
