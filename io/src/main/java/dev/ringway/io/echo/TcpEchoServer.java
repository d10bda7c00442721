package dev.ringway.io.echo;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The line-based TCP echo server (ECHO.md section 5): on every connection (after the TLS handshake on the TLS
 * listener) it writes {@code Gateway API Test TCP Server}, then answers {@code PING} with {@code PONG},
 * {@code IS_TLS} with {@code true}/{@code false} and {@code TEST} with a one-line JSON object; other lines get no
 * answer. The connection stays open until the client closes it.
 */
public final class TcpEchoServer implements AutoCloseable {
    /** First line on every connection. */
    public static final String GREETING = "Gateway API Test TCP Server";
    /** Longest line read, as Go's {@code bufio.Scanner}; a longer one ends the connection. */
    private static final int MAX_LINE = 64 * 1024;

    private final TcpEchoConfig config;
    private final ChannelGroup channels = new DefaultChannelGroup("tcp-echo", GlobalEventExecutor.INSTANCE);
    private InetSocketAddress tcpAddress;
    private Optional<InetSocketAddress> tlsAddress = Optional.empty();

    private TcpEchoServer(TcpEchoConfig config) {
        this.config = config;
    }

    /** Binds the configured listeners; on failure nothing stays bound. */
    public static TcpEchoServer start(EchoRuntime runtime, TcpEchoConfig config) throws IOException {
        TcpEchoServer server = new TcpEchoServer(config);
        try {
            server.bind(runtime);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void bind(EchoRuntime runtime) throws IOException {
        Optional<SslContext> tls = config.tls().isPresent()
                ? Optional.of(TlsSupport.tcpContext(config.tls().get()))
                : Optional.empty();
        tcpAddress = listen(runtime, config.tcpPort(), Optional.empty());
        if (tls.isPresent()) {
            tlsAddress = Optional.of(listen(runtime, config.tlsPort().orElseThrow(), tls));
        }
    }

    private InetSocketAddress listen(EchoRuntime runtime, int port, Optional<SslContext> tls) throws IOException {
        Channel listener = runtime.bindTcp(new InetSocketAddress(config.bindAddress(), port), new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                channels.add(ch);
                tls.ifPresent(context -> ch.pipeline().addLast(context.newHandler(ch.alloc())));
                ch.pipeline().addLast(new LineBasedFrameDecoder(MAX_LINE), new LineHandler(tls.isPresent()));
            }
        });
        channels.add(listener);
        return (InetSocketAddress) listener.localAddress();
    }

    /** One connection: greeting, then one answer per known command line. */
    private final class LineHandler extends SimpleChannelInboundHandler<ByteBuf> {
        private final boolean tls;
        private String testAnswer;

        LineHandler(boolean tls) {
            this.tls = tls;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (!tls) {
                greet(ctx);
            }
            ctx.fireChannelActive();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent handshake) {
                if (handshake.isSuccess()) {
                    greet(ctx);
                } else {
                    ctx.close();
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        private void greet(ChannelHandlerContext ctx) {
            Optional<TlsInfo> info = TlsInfo.of(ctx.channel());
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("namespace", config.identity().namespace());
            json.put("ingress", config.identity().ingress());
            json.put("service", config.identity().service());
            json.put("pod", config.identity().pod());
            json.put("tcpport", config.tcpPortLabel());
            json.put("tlsport", config.tlsPortLabel());
            json.put("isTLS", tls);
            info.ifPresent(i -> json.put("tls", i.tcpJson()));
            testAnswer = Json.compact(json);
            config.logSink().accept("TCP connection from " + Connections.remoteAddress(ctx.channel())
                    + (tls ? " (TLS, server name \"" + info.map(TlsInfo::serverName).orElse("") + "\")" : ""));
            writeLine(ctx, GREETING);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
            switch (line.toString(StandardCharsets.UTF_8)) {
                case "PING" -> writeLine(ctx, "PONG");
                case "IS_TLS" -> writeLine(ctx, Boolean.toString(tls));
                case "TEST" -> writeLine(ctx, testAnswer);
                default -> {
                    // unknown commands get no answer
                }
            }
        }

        private static void writeLine(ChannelHandlerContext ctx, String line) {
            ctx.writeAndFlush(ctx.alloc().buffer().writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    public TcpEchoConfig config() {
        return config;
    }

    /** Address of the plain listener (with the actual port when 0 was configured). */
    public InetSocketAddress tcpAddress() {
        return tcpAddress;
    }

    public Optional<InetSocketAddress> tlsAddress() {
        return tlsAddress;
    }

    /** Closes the listeners and all open connections. */
    @Override
    public void close() {
        channels.close().awaitUninterruptibly();
    }
}
